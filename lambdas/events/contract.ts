/**
 * The events service's contract: pipeline events into the audit trail (`POST /events`) and the audit
 * trail read back (`GET /audit`).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { defineContract } from "../shared/contract.js";
import { errorSchema, nameSchema } from "../shared/schemas.js";

/** Pipeline event types. */
export const PipelineEventType = [
  "training_started",
  "training_completed",
  "training_failed",
  "deployment",
  "prediction_batch",
  "error",
  "custom",
] as const;

/** Largest `details` object of an event (serialized JSON), checked by the handler. */
export const maxDetailsBytes = 32 * 1024;

/** Body of `POST /events`. */
export const eventBody = z
  .object({
    type: z.enum(PipelineEventType),
    model: nameSchema.optional(),
    version: z.string().min(1).max(64).optional(),
    jobName: z.string().min(1).max(256).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** One entry of the audit trail. */
export const auditEntrySchema = z
  .object({
    id: z.string(),
    time: z.string(),
    type: z.string(),
    actor: z.string(),
    model: z.string().optional(),
    version: z.string().optional(),
    target: z.string(),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  })
  .openapi("AuditEntry");

/** Query of `GET /audit`. */
export const auditQuery = z.object({
  model: nameSchema.optional(),
  type: z.string().regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, "must be an entry type such as model.promoted, or a prefix such as event.*").optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  limit: z.string().optional(),
  nextToken: z.string().max(4096).optional(),
});

/** One page of `GET /audit`. */
export const auditPageSchema = z.object({ items: z.array(auditEntrySchema), nextToken: z.string().nullable() });

/** The events service's routes, by operation. */
export const eventsContract = defineContract("events", {
  recordEvent: createRoute({
    method: "post",
    path: "/events",
    summary: "Record a pipeline event (training started/completed/failed, deployment, …) in the audit trail",
    request: { body: { required: true, content: { "application/json": { schema: eventBody } } } },
    responses: {
      201: { description: "recorded", content: { "application/json": { schema: auditEntrySchema } } },
      400: { description: "invalid event", content: { "application/json": { schema: errorSchema } } },
    },
  }),
  listAudit: createRoute({
    method: "get",
    path: "/audit",
    summary: "Read the audit trail, newest first",
    request: { query: auditQuery },
    responses: {
      200: { description: "one page of entries", content: { "application/json": { schema: auditPageSchema } } },
      400: { description: "invalid query", content: { "application/json": { schema: errorSchema } } },
    },
  }),
});
