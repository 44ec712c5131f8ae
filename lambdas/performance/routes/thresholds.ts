/**
 * `GET`/`PUT /models/{model}/performance/thresholds`: a model's stored thresholds over the defaults.
 */
import { recordAudit } from "../../shared/audit.js";
import type { Routes } from "../../shared/http.js";
import { defaultPerformanceThresholds, mergeThresholds, type PerformanceThresholds } from "../../core/performance/thresholds.js";
import { requireRegistered } from "../../registry/index.js";
import { performanceContract } from "../contract.js";
import { getStoredThresholds, putStoredThresholds } from "../store/thresholds.js";

/** Adds the threshold routes. */
export function addThresholdRoutes(routes: Routes): void {
  routes.openapi(
    performanceContract.routes.getPerformanceThresholds,
    async (c) => {
      const { model } = c.req.valid("param");
      await requireRegistered(model);
      const stored = await getStoredThresholds(model);
      return c.json(
        {
          model,
          thresholds: mergeThresholds(stored?.thresholds),
          stored: stored?.thresholds ?? null,
          defaults: defaultPerformanceThresholds,
          updatedAt: stored?.updatedAt ?? null,
          updatedBy: stored?.updatedBy ?? null,
        },
        200,
      );
    },
  );

  routes.openapi(
    performanceContract.routes.setPerformanceThresholds,
    async (c) => {
      const { model } = c.req.valid("param");
      const given = c.req.valid("json") as Partial<PerformanceThresholds>;
      const effective = mergeThresholds(given);
      await requireRegistered(model);
      const before = await putStoredThresholds(model, given, c.get("caller"));
      await recordAudit({
        type: "performance.thresholds_updated",
        actor: c.get("caller"),
        model,
        target: `models/${model}/performance/thresholds`,
        before: before ?? null,
        after: given,
        requestId: c.get("requestId"),
      });
      return c.json({ model, thresholds: effective, stored: given }, 200);
    },
  );
}
