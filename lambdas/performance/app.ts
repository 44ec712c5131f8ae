/**
 * The performance service's app: batches, delayed ground truth, thresholds, the report and comparison, and
 * estimation's reference (routes/), bound to its contract (contract.ts).
 */
import { createRoutes, hostApp } from "../shared/http.js";
import { addBatchRoutes } from "./routes/batches.js";
import { bindEstimationRoutes } from "./routes/estimation.js";
import { addGroundTruthRoutes } from "./routes/ground-truth.js";
import { addGroundTruthScheduleRoutes } from "./routes/ground-truth-schedule.js";
import { addJoinJobRoutes } from "./routes/join-jobs.js";
import { addReportRoutes } from "./routes/report.js";
import { addThresholdRoutes } from "./routes/thresholds.js";

/** The performance service's route collection (mounted by the Lambda host below and by the local server). */
export const performanceRoutes = createRoutes();
addBatchRoutes(performanceRoutes);
addGroundTruthRoutes(performanceRoutes);
addGroundTruthScheduleRoutes(performanceRoutes);
addJoinJobRoutes(performanceRoutes);
addThresholdRoutes(performanceRoutes);
addReportRoutes(performanceRoutes);
bindEstimationRoutes(performanceRoutes);

/** The performance Lambda's app. */
export const app = hostApp("performance", performanceRoutes);
