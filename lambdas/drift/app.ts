/**
 * The drift service's app: binds the handlers of routes/*.ts (baselines, checks, monitoring) to the
 * drift contract (contract.ts).
 */
import { createRoutes, hostApp } from "../shared/http.js";
import { addBaselineRoutes } from "./routes/baselines.js";
import { addCheckRoutes } from "./routes/checks.js";
import { addMonitoringRoutes } from "./routes/monitoring.js";

/** The drift service's route collection (mounted by the Lambda host below and by the local server). */
export const driftRoutes = createRoutes();

addBaselineRoutes(driftRoutes);
addCheckRoutes(driftRoutes);
addMonitoringRoutes(driftRoutes);

/** The drift Lambda's app. */
export const app = hostApp("drift", driftRoutes);
