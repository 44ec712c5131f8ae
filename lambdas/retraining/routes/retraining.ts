/**
 * Binds the retraining contract's routes to their handlers.
 */
import { intQuery, type Routes } from "../../shared/http.js";
import { recordAudit } from "../../shared/audit.js";
import { policyLimits, retrainingContract, type RetrainingPolicy } from "../contract.js";
import { requestRetraining } from "../request.js";
import { NotFoundError } from "../../shared/errors.js";
import { isModelRegistered } from "../../registry/index.js";
import { emptyPolicy, getPolicy, putPolicy } from "../store/policy.js";
import { listRequests } from "../store/requests.js";

const pageSize = { fallback: 25, max: 100 } as const;

/** Throws a 404 unless the model is registered. */
async function requireModel(model: string): Promise<void> {
  if (!(await isModelRegistered(model))) throw new NotFoundError(`model ${model} does not exist`);
}

/** Adds the retraining routes. */
export function addRetrainingRoutes(routes: Routes): void {
  routes.openapi(retrainingContract.routes.requestRetraining, async (c) => {
    const { model } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    await requireModel(model);
    const request = await requestRetraining({ model, trigger: "manual", reason, requestedBy: c.get("caller"), auditRequestId: c.get("requestId") });
    return c.json(request, 202);
  });

  routes.openapi(retrainingContract.routes.getRetrainingPolicy, async (c) => {
    const { model } = c.req.valid("param");
    await requireModel(model);
    return c.json((await getPolicy(model)) ?? emptyPolicy(model), 200);
  });

  routes.openapi(retrainingContract.routes.setRetrainingPolicy, async (c) => {
    const { model } = c.req.valid("param");
    const body = c.req.valid("json");
    await requireModel(model);
    const before = await getPolicy(model);
    const now = new Date();
    const everyHours = body.schedule?.everyHours;
    // A schedule that did not change keeps its due time; a new or changed one is first due a period from now.
    const keepDue = everyHours !== undefined && before?.schedule?.everyHours === everyHours && before.nextScheduledAt;
    const policy: RetrainingPolicy = {
      model,
      onDriftPsiAbove: body.onDriftPsiAbove ?? null,
      onPerformanceDegradationPercent: body.onPerformanceDegradationPercent ?? null,
      schedule: everyHours !== undefined ? { everyHours } : null,
      minHoursBetween: body.minHoursBetween ?? policyLimits.minHoursBetween.fallback,
      nextScheduledAt: everyHours === undefined ? null : keepDue ? (before.nextScheduledAt as string) : new Date(now.getTime() + everyHours * 3_600_000).toISOString(),
      updatedAt: now.toISOString(),
      updatedBy: c.get("caller"),
    };
    await putPolicy(policy);
    await recordAudit({
      type: "retraining.policy_set",
      actor: c.get("caller"),
      model,
      target: `models/${model}/retraining-policy`,
      before: before ?? null,
      after: policy,
      requestId: c.get("requestId"),
    });
    return c.json(policy, 200);
  });

  routes.openapi(retrainingContract.routes.listRetrainingRequests, async (c) => {
    const { model } = c.req.valid("param");
    const q = c.req.valid("query");
    const limit = intQuery(q.limit, "limit", pageSize.fallback, pageSize.max);
    await requireModel(model);
    return c.json(await listRequests(model, limit, q.nextToken), 200);
  });
}
