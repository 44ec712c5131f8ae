/**
 * `POST /alerts/test`: proves that alerts reach people (see lambdas/alerts/test-alert.ts).
 */
import type { Routes } from "../../shared/http.js";
import { alertsContract } from "../contract.js";
import { sendTestAlert } from "../test-alert.js";

/** Adds the test route. */
export function addTestRoute(routes: Routes): void {
  routes.openapi(alertsContract.routes.testAlert, async (c) => c.json(await sendTestAlert(c.get("caller"), c.get("requestId"), c.req.valid("json").note), 202));
}
