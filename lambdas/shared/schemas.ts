/**
 * Request schema pieces every service shares: names safe as S3 keys, DynamoDB keys and CloudWatch
 * dimensions, and semantic versions.
 */
import { z } from "@hono/zod-openapi";

/** The naming rule for models, datasets and features. */
export const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A model, dataset or feature name. */
export const nameSchema = z
  .string()
  .regex(namePattern, "must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");

/** A semantic version `major.minor.patch`. */
export const semverSchema = z.string().regex(/^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/, "must be a semantic version major.minor.patch");
