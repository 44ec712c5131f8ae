/**
 * Lifecycle routes: promote a version (gates, and approval where the policy asks for it), approve or
 * reject a pending promotion, list approval requests, the promotion policy, and roll a model back.
 */
import type { Stage } from "../../core/lifecycle/stages.js";
import { intQuery, type Routes } from "../../shared/http.js";
import { approvePromotion, cancelForPolicyChange, listApprovals, rejectPromotion, requestPromotion } from "../approvals.js";
import { rollbackModel } from "../lifecycle.js";
import { replacePolicy, requirePolicy } from "../policy.js";
import { registryContract } from "../contract.js";
import { actorOf, pageSize } from "./context.js";

/** Adds the promote, approval, policy and rollback routes. */
export function addLifecycleRoutes(routes: Routes): void {
  routes.openapi(
    registryContract.routes.promote,
    async (c) => {
      const { model, version } = c.req.valid("param");
      const body = c.req.valid("json");
      const outcome = await requestPromotion(model, version, body.stage as Stage, body.reason, body.force === true, actorOf(c));
      return outcome.status === "pending_approval" ? c.json(outcome, 202) : c.json(outcome, 200);
    },
  );

  routes.openapi(
    registryContract.routes.approve,
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await approvePromotion(model, version, c.req.valid("json").reason, actorOf(c)), 200);
    },
  );

  routes.openapi(
    registryContract.routes.reject,
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await rejectPromotion(model, version, c.req.valid("json").reason, actorOf(c)), 200);
    },
  );

  routes.openapi(
    registryContract.routes.listApprovals,
    async (c) => {
      const { model } = c.req.valid("param");
      const q = c.req.valid("query");
      return c.json(await listApprovals(model, q.state, intQuery(q.limit, "limit", pageSize.fallback, pageSize.max), q.nextToken), 200);
    },
  );

  routes.openapi(
    registryContract.routes.getPromotionPolicy,
    async (c) => c.json(await requirePolicy(c.req.valid("param").model), 200),
  );

  routes.openapi(
    registryContract.routes.setPromotionPolicy,
    async (c) => {
      const { model } = c.req.valid("param");
      const actor = actorOf(c);
      const { before, after } = await replacePolicy(model, c.req.valid("json"), actor);
      // Requests checked against the old gates or approval stages no longer hold.
      const cancelledApprovals = await cancelForPolicyChange(model, before, after, actor);
      return c.json({ ...after, cancelledApprovals }, 200);
    },
  );

  routes.openapi(
    registryContract.routes.rollback,
    async (c) => {
      const { model } = c.req.valid("param");
      return c.json(await rollbackModel(model, c.req.valid("json").reason, actorOf(c)), 200);
    },
  );
}
