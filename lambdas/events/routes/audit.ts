/**
 * `GET /audit`: the audit trail, newest first, filtered by model, type and time.
 */
import { requireEnv, EnvName } from "../../shared/env.js";
import { ValidationError } from "../../shared/errors.js";
import { intQuery, type Routes } from "../../shared/http.js";
import { eventsContract } from "../contract.js";
import { readAudit } from "../store/audit.js";

function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new ValidationError(`query.${name}: must be an ISO 8601 time or epoch milliseconds`);
  return ms;
}

/** Adds `GET /audit`. */
export function addAuditRoutes(routes: Routes): void {
  routes.openapi(eventsContract.routes.listAudit, async (c) => {
    const q = c.req.valid("query");
    const until = parseTime(q.until, "until") ?? Date.now();
    const since = parseTime(q.since, "since") ?? until - 30 * 24 * 3600_000;
    if (since > until) throw new ValidationError("query.since: must not be after until");
    const limit = intQuery(q.limit, "limit", 50, 200);
    const page = await readAudit(requireEnv(EnvName.auditLogGroup), { model: q.model, type: q.type, since, until, limit, nextToken: q.nextToken });
    return c.json(page, 200);
  });
}
