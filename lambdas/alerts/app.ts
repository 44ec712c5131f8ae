/**
 * The alert inbox service's routes: `GET /alerts`, `GET /alerts/{alertId}`, acknowledge, resolve, and
 * `POST /alerts/test`.
 */
import { createRoutes, hostApp } from "../shared/http.js";
import { addInboxRoutes } from "./routes/inbox.js";
import { addTestRoute } from "./routes/test.js";

/** The inbox's route collection (mounted by the Lambda host below and by the local server). */
export const alertsRoutes = createRoutes();

// The static `/alerts/test` before `/alerts/{alertId}/…`, so neither shadows the other.
addTestRoute(alertsRoutes);
addInboxRoutes(alertsRoutes);

/** The alerts Lambda's app. */
export const app = hostApp("alerts", alertsRoutes);
