/**
 * Delayed ground truth: `POST …/versions/{version}/predictions` logs predictions by id, `POST
 * …/ground-truth` joins actuals onto them (or reads Model Monitor's ground-truth files).
 */
import type { Routes } from "../../shared/http.js";
import { requireRegistered } from "../../registry/index.js";
import { performanceContract } from "../contract.js";
import { joinGroundTruth, logPredictions } from "../ground-truth.js";

/** Adds the prediction-log and ground-truth routes. */
export function addGroundTruthRoutes(routes: Routes): void {
  routes.openapi(
    performanceContract.routes.logPredictions,
    async (c) => {
      const { model, version } = c.req.valid("param");
      await requireRegistered(model, version);
      const out = await logPredictions(model, version, c.req.valid("json"), { requestId: c.get("requestId"), caller: c.get("caller") });
      return c.json(out, 201);
    },
  );

  routes.openapi(
    performanceContract.routes.recordGroundTruth,
    async (c) => {
      const { model } = c.req.valid("param");
      await requireRegistered(model);
      const body = c.req.valid("json");
      const ctx = { requestId: c.get("requestId"), caller: c.get("caller") };
      if (body.format === "model_monitor") {
        // The version is known before any work is accepted (a join handed to the worker answers before it records).
        await requireRegistered(model, body.version);
        // Model Monitor's join (and its worker hand-over) loads on first use: the other routes do not carry it.
        const { joinModelMonitorGroundTruth } = await import("../join-job.js");
        const out = await joinModelMonitorGroundTruth(model, body, ctx);
        if (out.accepted) {
          c.header("location", out.accepted.location);
          return c.json(out.accepted, 202);
        }
        return c.json(out.joined, 200);
      }
      const out = await joinGroundTruth(model, { ...body, records: body.records ?? [] }, ctx);
      return c.json(out, 200);
    },
  );
}
