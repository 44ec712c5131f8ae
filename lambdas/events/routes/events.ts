/**
 * `POST /events`: a pipeline reports what it did; the event lands in the audit trail and the notices.
 */
import { writeAudit } from "../../shared/audit.js";
import { ValidationError } from "../../shared/errors.js";
import type { Routes } from "../../shared/http.js";
import { serviceLogger } from "../../shared/logger.js";
import { notify } from "../../shared/notices.js";
import { eventsContract, maxDetailsBytes } from "../contract.js";

/** Adds `POST /events`. */
export function addEventRoutes(routes: Routes): void {
  routes.openapi(eventsContract.routes.recordEvent, async (c) => {
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
  });
}
