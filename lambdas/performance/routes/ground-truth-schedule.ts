/**
 * `GET`/`PUT /models/{model}/performance/ground-truth-schedule`: a model's scheduled ground-truth join, run on every monitor
 * pass (ground-truth-schedule.ts).
 */
import { recordAudit } from "../../shared/audit.js";
import { NotFoundError } from "../../shared/errors.js";
import type { Routes } from "../../shared/http.js";
import { requireRegistered } from "../../registry/index.js";
import { performanceContract } from "../contract.js";
import { defaultCaptureLookbackHours } from "../contract/ground-truth-schedule.js";
import { getGroundTruthSchedule, joinCutoff, putGroundTruthSchedule } from "../store/ground-truth-schedule.js";

/** Adds the schedule routes. */
export function addGroundTruthScheduleRoutes(routes: Routes): void {
  routes.openapi(performanceContract.routes.getGroundTruthSchedule, async (c) => {
    const { model } = c.req.valid("param");
    await requireRegistered(model);
    const schedule = await getGroundTruthSchedule(model);
    if (!schedule) throw new NotFoundError(`model ${model} has no ground-truth schedule (PUT /models/${model}/performance/ground-truth-schedule sets one)`);
    return c.json(schedule, 200);
  });

  routes.openapi(performanceContract.routes.setGroundTruthSchedule, async (c) => {
    const { model } = c.req.valid("param");
    const body = c.req.valid("json");
    await requireRegistered(model, body.version);
    const { record, before } = await putGroundTruthSchedule(
      model,
      {
        format: body.format,
        dataUri: body.dataUri,
        captureUri: body.captureUri,
        version: body.version,
        ...(body.task !== undefined ? { task: body.task } : {}),
        ...(body.probabilityThreshold !== undefined ? { probabilityThreshold: body.probabilityThreshold } : {}),
        captureLookbackHours: body.captureLookbackHours ?? defaultCaptureLookbackHours,
        enabled: body.enabled ?? true,
      },
      // A new schedule starts from now: ground truth uploaded before it was set up is joined on demand.
      { actor: c.get("caller"), since: body.since === undefined ? undefined : new Date(body.since).toISOString(), defaultWatermark: joinCutoff(new Date()).toISOString() },
    );
    await recordAudit({
      type: "performance.ground_truth_schedule_updated",
      actor: c.get("caller"),
      model,
      version: body.version,
      target: `models/${model}/performance/ground-truth-schedule`,
      before: before ? { dataUri: before.dataUri, captureUri: before.captureUri, version: before.version, enabled: before.enabled } : null,
      after: { dataUri: record.dataUri, captureUri: record.captureUri, version: record.version, enabled: record.enabled, watermark: record.watermark },
      requestId: c.get("requestId"),
    });
    return c.json(record, 200);
  });
}
