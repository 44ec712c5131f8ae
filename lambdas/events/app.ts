/**
 * The events service's app: binds the handlers of `POST /events` and `GET /audit` to its contract
 * (contract.ts).
 */
import { createRoutes, hostApp, intQuery } from "../shared/http.js";
import { writeAudit } from "../shared/audit.js";
import { requireEnv, EnvName } from "../shared/env.js";
import { notify } from "../shared/notices.js";
import { serviceLogger } from "../shared/logger.js";
import { ValidationError } from "../shared/errors.js";
import { eventsContract, maxDetailsBytes } from "./contract.js";
import { readAudit } from "./store.js";

/** The events service's route collection. */
export const eventsRoutes = createRoutes();

eventsRoutes.openapi(
  eventsContract.routes.recordEvent,
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
    notify({ kind: "event", source: "pipeline", detailType: body.type, model: body.model });
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
  eventsContract.routes.readAudit,
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
