/**
 * `GET /models/{model}/performance/ground-truth-jobs/{jobId}`: a ground-truth join run in the worker (join-job.ts).
 */
import { NotFoundError } from "../../shared/errors.js";
import type { Routes } from "../../shared/http.js";
import { requireRegistered } from "../../registry/index.js";
import { performanceContract } from "../contract.js";
import { getJoinJob } from "../store/join-jobs.js";

/** Adds the join-job route. */
export function addJoinJobRoutes(routes: Routes): void {
  routes.openapi(performanceContract.routes.getGroundTruthJob, async (c) => {
    const { model, jobId } = c.req.valid("param");
    const job = await getJoinJob(model, jobId);
    if (!job) {
      await requireRegistered(model);
      throw new NotFoundError(`model ${model} has no ground-truth join job ${jobId}`);
    }
    return c.json(job, 200);
  });
}
