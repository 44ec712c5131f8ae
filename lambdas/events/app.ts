/**
 * The events service's app: `POST /events` and `GET /audit` (routes/), bound to its contract (contract.ts).
 */
import { createRoutes, hostApp } from "../shared/http.js";
import { addAuditRoutes } from "./routes/audit.js";
import { addEventRoutes } from "./routes/events.js";

/** The events service's route collection (mounted by the Lambda host below and by the local server). */
export const eventsRoutes = createRoutes();
addEventRoutes(eventsRoutes);
addAuditRoutes(eventsRoutes);

/** The events Lambda's app. */
export const app = hostApp("events", eventsRoutes);
