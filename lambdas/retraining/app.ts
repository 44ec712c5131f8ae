/**
 * The retraining service's routes: manual requests, the policy, the request log.
 */
import { createRoutes, hostApp } from "../shared/http.js";
import { addRetrainingRoutes } from "./routes/retraining.js";

/** The retraining route collection (mounted by the Lambda host below and by the local server). */
export const retrainingRoutes = createRoutes();
addRetrainingRoutes(retrainingRoutes);

/** The retraining Lambda's app. */
export const app = hostApp("retraining", retrainingRoutes);
