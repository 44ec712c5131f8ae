/**
 * Scheduled monitoring routes: set and read a model's data-capture monitoring settings.
 */
import { recordAudit } from "../../shared/audit.js";
import { stackMonitorMinutes } from "../../shared/env.js";
import { NotFoundError, ValidationError } from "../../shared/errors.js";
import type { Routes } from "../../shared/http.js";
import { parseS3Uri } from "../../shared/readers/s3-source.js";
import { driftContract } from "../contract.js";
import { getMonitoring, putMonitoring } from "../store/monitoring.js";
import { validateThresholds } from "./present.js";

/** Adds the monitoring routes. */
export function addMonitoringRoutes(routes: Routes): void {
  routes.openapi(
    driftContract.routes.setMonitoring,
    async (c) => {
      const { model } = c.req.valid("param");
      const body = c.req.valid("json");
      validateThresholds(body.thresholds);
      parseS3Uri(body.dataCapturePrefix);
      const stackMinutes = stackMonitorMinutes();
      if (body.everyMinutes !== undefined && body.everyMinutes < stackMinutes) {
        throw new ValidationError(`body.everyMinutes: ${body.everyMinutes} is shorter than the stack's monitor period (${stackMinutes} minutes, setting monitorEveryMinutes)`);
      }
      const before = await getMonitoring(model);
      const saved = await putMonitoring({ model, ...body, updatedAt: new Date().toISOString(), updatedBy: c.get("caller") });
      await recordAudit({
        type: "drift.monitoring_updated",
        actor: c.get("caller"),
        model,
        target: `models/${model}/monitoring`,
        before: before ?? null,
        after: saved,
        requestId: c.get("requestId"),
      });
      return c.json(saved, 200);
    },
  );

  routes.openapi(
    driftContract.routes.getMonitoring,
    async (c) => {
      const { model } = c.req.valid("param");
      const settings = await getMonitoring(model);
      if (!settings) throw new NotFoundError(`model "${model}" has no drift monitoring settings`);
      return c.json(settings, 200);
    },
  );
}
