/**
 * The events service: pipeline events into the audit trail (`POST /events`) and the audit trail
 * read back (`GET /audit`).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createRoutes, hostApp, intQuery } from "../shared/http.js";
import { writeAudit } from "../shared/audit.js";
import { requireEnv, EnvName } from "../shared/env.js";
import { serviceLogger } from "../shared/logger.js";
import { ValidationError } from "../shared/errors.js";
import { errorSchema, nameSchema } from "../shared/schemas.js";
import { readAudit } from "./store.js";

/** The events service's route collection. */
export const eventsRoutes = createRoutes();

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

const maxDetailsBytes = 32 * 1024;

const eventBody = z
  .object({
    type: z.enum(PipelineEventType),
    model: nameSchema.optional(),
    version: z.string().min(1).max(64).optional(),
    jobName: z.string().min(1).max(256).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const auditEntrySchema = z
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


eventsRoutes.openapi(
  createRoute({
    method: "post",
    path: "/events",
    summary: "Record a pipeline event (training started/completed/failed, deployment, …) in the audit trail",
    request: { body: { required: true, content: { "application/json": { schema: eventBody } } } },
    responses: {
      201: { description: "recorded", content: { "application/json": { schema: auditEntrySchema } } },
      400: { description: "invalid event", content: { "application/json": { schema: errorSchema } } },
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    if (body.details !== undefined && JSON.stringify(body.details).length > maxDetailsBytes) {
      throw new ValidationError(`body.details: must be at most ${maxDetailsBytes / 1024} KB of JSON`);
    }
    const requestId = c.get("requestId");
    const [entry] = await writeAudit({
      type: `event.${body.type}`,
      actor: c.get("caller"),
      model: body.model,
      version: body.version,
      target: body.model ? `models/${body.model}${body.version ? `/versions/${body.version}` : ""}` : `events/${body.type}`,
      details: { ...(body.jobName ? { jobName: body.jobName } : {}), ...(body.details ?? {}) },
      requestId,
    });
    serviceLogger("events").info("pipeline event", { requestId, model: body.model, version: body.version, eventType: body.type, jobName: body.jobName });
    return c.json(entry, 201);
  },
);

function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new ValidationError(`query.${name}: must be an ISO 8601 time or epoch milliseconds`);
  return ms;
}

eventsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/audit",
    summary: "Read the audit trail, newest first",
    request: {
      query: z.object({
        model: nameSchema.optional(),
        type: z.string().regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, "must be an entry type such as model.promoted, or a prefix such as event.*").optional(),
        since: z.string().optional(),
        until: z.string().optional(),
        limit: z.string().optional(),
        nextToken: z.string().max(4096).optional(),
      }),
    },
    responses: {
      200: {
        description: "one page of entries",
        content: { "application/json": { schema: z.object({ entries: z.array(auditEntrySchema), nextToken: z.string().optional() }) } },
      },
      400: { description: "invalid query", content: { "application/json": { schema: errorSchema } } },
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const until = parseTime(q.until, "until") ?? Date.now();
    const since = parseTime(q.since, "since") ?? until - 30 * 24 * 3600_000;
    if (since > until) throw new ValidationError("query.since: must not be after until");
    const limit = intQuery(q.limit, "limit", 50, 200);
    const page = await readAudit(requireEnv(EnvName.auditLogGroup), { model: q.model, type: q.type, since, until, limit, nextToken: q.nextToken });
    return c.json(page, 200);
  },
);

/** The events Lambda's app. */
export const app = hostApp("events", eventsRoutes);
