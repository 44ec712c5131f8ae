/**
 * The retraining service's contract: request and answer schemas and route definitions. Imported by the
 * app (which binds handlers), CDK, the OpenAPI generator and the clients; no handlers, no SDK.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { errorAnswer, eventOutcomeSchema, nameSchema } from "../shared/schemas.js";
import { RetrainingTrigger } from "../shared/event-schemas.js";
import { defineContract } from "../shared/contract.js";

const tags = ["retraining"];

/** Path parameters `{model}`. */
export const modelParams = z.object({ model: nameSchema.openapi({ param: { name: "model", in: "path" }, example: "churn" }) });

/** Body of `POST /models/{model}/retraining`. */
export const retrainingBody = z
  .strictObject({ reason: z.string().trim().min(1, "must not be empty").max(1000, "at most 1000 characters") })
  .openapi("RequestRetraining");
export type RetrainingBody = z.infer<typeof retrainingBody>;

/** Limits of a policy, also used in the 400 messages. */
export const policyLimits = {
  psi: { min: 0, max: 10 },
  degradationPercent: { min: 0, max: 10_000 },
  everyHours: { min: 1, max: 8760 },
  minHoursBetween: { min: 0, max: 8760, fallback: 24 },
} as const;

const positiveFinite = (max: number) =>
  z.number({ error: "must be a number" }).refine(Number.isFinite, "must be a finite number").refine((n) => n > 0 && n <= max, `must be greater than 0 and at most ${max}`);

/** Body of `PUT /models/{model}/retraining-policy` (the whole policy; an absent trigger is off). */
export const retrainingPolicyBody = z
  .strictObject({
    onDriftPsiAbove: positiveFinite(policyLimits.psi.max)
      .optional()
      .openapi({ description: "request retraining when a drift check finds a feature whose PSI is above this (e.g. 0.2)", example: 0.2 }),
    onPerformanceDegradationPercent: positiveFinite(policyLimits.degradationPercent.max)
      .optional()
      .openapi({ description: "request retraining when a batch's primary metric is more than this percent worse than its baseline (e.g. 10)", example: 10 }),
    schedule: z
      .strictObject({
        everyHours: z
          .number({ error: "must be a whole number of hours" })
          .int("must be a whole number of hours")
          .min(policyLimits.everyHours.min, `must be at least ${policyLimits.everyHours.min}`)
          .max(policyLimits.everyHours.max, `must be at most ${policyLimits.everyHours.max} (a year)`),
      })
      .optional()
      .openapi({ description: "request retraining every N hours (checked hourly; the first one is due N hours after the policy is set)" }),
    minHoursBetween: z
      .number({ error: "must be a number of hours" })
      .refine(Number.isFinite, "must be a finite number")
      .refine((n) => n >= policyLimits.minHoursBetween.min && n <= policyLimits.minHoursBetween.max, `must be from 0 to ${policyLimits.minHoursBetween.max}`)
      .optional()
      .openapi({ description: "automatic requests (drift, performance, schedule) at most once per this many hours; manual ones are never limited", default: 24 }),
  })
  .openapi("RetrainingPolicyInput");
export type RetrainingPolicyBody = z.infer<typeof retrainingPolicyBody>;

/** A stored policy. */
export const retrainingPolicySchema = z
  .object({
    model: z.string(),
    onDriftPsiAbove: z.number().nullable(),
    onPerformanceDegradationPercent: z.number().nullable(),
    schedule: z.object({ everyHours: z.number() }).nullable(),
    minHoursBetween: z.number(),
    nextScheduledAt: z.string().nullable().openapi({ description: "when the schedule next requests retraining" }),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi("RetrainingPolicy");
export type RetrainingPolicy = z.infer<typeof retrainingPolicySchema>;

/** One retraining request: `requested` (event sent), `suppressed` (inside the window) or `failed` (event not sent). */
export const retrainingRequestSchema = z
  .object({
    requestId: z.string(),
    model: z.string(),
    trigger: z.enum(RetrainingTrigger),
    status: z.enum(["requested", "suppressed", "failed"]),
    reason: z.string(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    evidence: z.object({ checkId: z.string().optional(), batchId: z.string().optional() }),
    suppressedUntil: z.string().optional().openapi({ description: "suppressed: when the window that suppressed it ends" }),
    event: eventOutcomeSchema.optional(),
  })
  .openapi("RetrainingRequest");
export type RetrainingRequest = z.infer<typeof retrainingRequestSchema>;

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/** Query of the request listing. */
export const requestsQuery = z.object({
  limit: z.string().optional().openapi({ description: "page size, 1-100", example: "25" }),
  nextToken: z.string().max(2048).optional(),
});

/** The retraining service's routes, by operation. */
export const retrainingContract = defineContract("retraining", {
  requestRetraining: createRoute({
    method: "post",
    path: "/models/{model}/retraining",
    tags,
    summary: "Request retraining by hand: publishes `mlwatch Retraining Requested` (trigger manual; never rate-limited)",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: retrainingBody } } } },
    responses: {
      202: json(retrainingRequestSchema, "the request; `event.sent` says whether the event reached the bus (status `failed` when not)"),
      400: errorAnswer("invalid body"),
      404: errorAnswer("no such model"),
    },
  }),
  getRetrainingPolicy: createRoute({
    method: "get",
    path: "/models/{model}/retraining-policy",
    tags,
    summary: "The model's retraining policy (all triggers off when none was set)",
    request: { params: modelParams },
    responses: { 200: json(retrainingPolicySchema, "the policy"), 404: errorAnswer("no such model") },
  }),
  setRetrainingPolicy: createRoute({
    method: "put",
    path: "/models/{model}/retraining-policy",
    tags,
    summary: "Set the model's retraining policy (replaces it; an absent trigger is off)",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: retrainingPolicyBody } } } },
    responses: { 200: json(retrainingPolicySchema, "the stored policy"), 400: errorAnswer("invalid body"), 404: errorAnswer("no such model") },
  }),
  listRetrainingRequests: createRoute({
    method: "get",
    path: "/models/{model}/retraining-requests",
    tags,
    summary: "Retraining requests of a model, requested, suppressed and failed, newest first",
    request: { params: modelParams, query: requestsQuery },
    responses: {
      200: json(z.object({ items: z.array(retrainingRequestSchema), nextToken: z.string().nullable() }), "`{ items, nextToken }`"),
      400: errorAnswer("invalid query"),
      404: errorAnswer("no such model"),
    },
  }),
});
