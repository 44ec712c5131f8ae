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

/** The body of every error answer: `{ "error": { "code", "message" } }` (lambdas/shared/errors.ts). */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z
        .record(z.string(), z.unknown())
        .optional()
        .openapi({ description: "structured facts of some errors: `failed` (every failed gate `{metric, value, rule}`) with GATE_FAILED, `reason` (e.g. SELF_APPROVAL) with FORBIDDEN" }),
    }),
  })
  .openapi("Error");

/** An error answer for a route's OpenAPI responses. */
export const errorAnswer = (description: string) => ({ description, content: { "application/json": { schema: errorSchema } } });

/** Any JSON answer, documented in prose rather than by a schema. */
export const jsonAnswer = (description: string) => ({ description, content: { "application/json": { schema: z.any() } } });
