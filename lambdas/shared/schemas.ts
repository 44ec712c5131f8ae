/**
 * Request schema pieces every service shares: names safe as S3 keys, DynamoDB keys and CloudWatch
 * dimensions, and semantic versions.
 */
import { z } from "@hono/zod-openapi";
import { FinishingStep } from "./finishing-steps.js";

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

/** The finishing steps of a check or batch that did not complete (lambdas/shared/finishing.ts, docs/reliability.md). */
export const incompleteStepsSchema = z
  .array(z.object({ step: z.enum(Object.values(FinishingStep) as [FinishingStep, ...FinishingStep[]]), error: z.string() }))
  .openapi("IncompleteSteps", { description: "the finishing steps that did not complete, in step order, each with its error; the check or batch itself is recorded" });

/** What happened to one of mlwatch's EventBridge events (lambdas/shared/events-bus.ts). */
export const eventOutcomeSchema = z
  .object({ type: z.string(), sent: z.boolean(), eventId: z.string().optional(), error: z.string().optional(), at: z.string() })
  .openapi("EventOutcome");
