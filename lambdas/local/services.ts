/**
 * Every service's route collection, in the order the local server mounts them.
 * A new service adds its routes here and nowhere else.
 */
import { registryRoutes } from "../registry/app.js";
import { eventsRoutes } from "../events/app.js";
import { driftRoutes } from "../drift/app.js";
import { performanceRoutes } from "../performance/app.js";
import { alertsRoutes } from "../alerts/app.js";
import { retrainingRoutes } from "../retraining/app.js";
import type { Routes } from "../shared/http.js";

/** All route collections served by the local server and the integration tests. */
export const allRoutes: Routes[] = [registryRoutes, eventsRoutes, driftRoutes, performanceRoutes, alertsRoutes, retrainingRoutes];
