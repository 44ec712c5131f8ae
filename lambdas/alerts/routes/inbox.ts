/**
 * The inbox routes: list, show, acknowledge, resolve — each change audited with the actor.
 */
import type { Context } from "hono";
import { recordAudit } from "../../shared/audit.js";
import { alertRetentionDays, publishOpenAlerts } from "../raise.js";
import { intQuery, type AppEnv, type Routes } from "../../shared/http.js";
import { alertPageSize, alertsContract } from "../contract.js";

const { acknowledgeAlert: acknowledgeAlertRoute, getAlert: getAlertRoute, listAlerts: listAlertsRoute, resolveAlert: resolveAlertRoute } = alertsContract.routes;
import { acknowledgeAlert, getAlert, listAlerts, resolveAlert } from "../store/alerts.js";

const audit = (c: Context<AppEnv>, type: string, alertId: string, before: unknown, after: { model?: string; version?: string }, reason: string) =>
  recordAudit({ type, actor: c.get("caller"), model: after.model, version: after.version, target: `alerts/${alertId}`, before, after, details: { reason }, requestId: c.get("requestId") });

/** Adds the inbox routes. */
export function addInboxRoutes(routes: Routes): void {
  routes.openapi(listAlertsRoute, async (c) => {
    const q = c.req.valid("query");
    const limit = intQuery(q.limit, "limit", alertPageSize.fallback, alertPageSize.max);
    return c.json(await listAlerts({ model: q.model, state: q.state, type: q.type, since: q.since, limit, nextToken: q.nextToken }), 200);
  });

  routes.openapi(getAlertRoute, async (c) => c.json(await getAlert(c.req.valid("param").alertId), 200));

  routes.openapi(acknowledgeAlertRoute, async (c) => {
    const { alertId } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const { before, after } = await acknowledgeAlert(alertId, { actor: c.get("caller"), reason });
    await audit(c, "alert.acknowledged", alertId, { state: before.state }, after, reason);
    return c.json(after, 200);
  });

  routes.openapi(resolveAlertRoute, async (c) => {
    const { alertId } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const { before, after } = await resolveAlert(alertId, { actor: c.get("caller"), reason }, alertRetentionDays());
    await audit(c, "alert.resolved", alertId, { state: before.state }, after, reason);
    await publishOpenAlerts(after.model);
    return c.json(after, 200);
  });
}
