/**
 * A model's promotion policy: stored as one item, replaced as a whole, audited; and the gate evaluation
 * that reads each gated metric from the version's registered metrics, else from its latest performance
 * window (the batches of that version over the last {@link liveWindowDays} days recorded since it was
 * registered, lambdas/core/performance).
 */
import { evaluatePolicyGates, gateDirection, type MetricLookup, type PolicyGateResult, type PromotionPolicy } from "../core/lifecycle/policy.js";
import type { Stage } from "../core/lifecycle/stages.js";
import { liveMetrics } from "../core/performance/live-metrics.js";
import { recordAudit } from "../shared/audit.js";
import { ConflictError, NotFoundError, ValidationError } from "../shared/errors.js";
import type { Actor } from "../shared/actor.js";
import type { PromotionPolicyBody } from "./contract/requests.js";
import { storeReaders, type LiveMetricsReader } from "./promotion-readers.js";
import { historyPut } from "./store/history.js";
import { modelExistsCheck, requireModel, type ModelState } from "./store/models.js";
import { getPolicy, policyPut, type StoredPolicy } from "./store/policies.js";
import { failedAt, transact } from "./store/transact.js";
import type { VersionRecord } from "./store/versions.js";

/** How far back the live fallback of a gate looks. */
export const liveWindowDays = 30;

/** The model's policy. @throws NotFoundError when the model or the policy does not exist */
export async function requirePolicy(model: string): Promise<StoredPolicy> {
  await requireModel(model);
  const found = await getPolicy(model);
  if (!found) throw new NotFoundError(`model ${model} has no promotion policy; promotions to production use the primary-metric gate`);
  return found;
}

/** Replaces the model's policy (one item and a history entry), audited with before and after. */
export async function putPolicy(model: string, body: PromotionPolicyBody, actor: Actor): Promise<StoredPolicy> {
  return (await replacePolicy(model, body, actor)).after;
}

/** {@link putPolicy}, answering the policy it replaced too. */
export async function replacePolicy(model: string, body: PromotionPolicyBody, actor: Actor): Promise<{ before: StoredPolicy | undefined; after: StoredPolicy }> {
  const state = await requireModel(model);
  const gates = (body.gates ?? []).map((g) => Object.fromEntries(Object.entries(g).filter(([, v]) => v !== undefined)) as unknown as PromotionPolicy["gates"][number]);
  gates.forEach((g, i) => {
    if (g.notWorseThanProduction && gateDirection(g, state.primaryMetric, state.direction) === undefined) {
      throw new ValidationError(`body.gates.${i}.direction: which way is better for ${g.metric} is not known; give direction "higher" or "lower"`);
    }
  });
  const before = await getPolicy(model);
  const now = new Date().toISOString();
  const revision = (before?.revision ?? 0) + 1;
  const policy: StoredPolicy = { model, gates, requireApproval: (body.requireApproval ?? []) as Stage[], retention: body.retention ?? null, updatedAt: now, updatedBy: actor.caller, revision };
  // Conditioned on the revision read, so two replacements at once cannot both claim the same revision.
  const codes = await transact([
    policyPut(policy, before),
    modelExistsCheck(model),
    historyPut({ event: "policy", model, version: null, from: null, to: null, actor: actor.caller, reason: null, requestId: actor.requestId, details: { gates, requireApproval: policy.requireApproval, retention: policy.retention } }, now),
  ]);
  if (codes && failedAt(codes, 0)) throw new ConflictError(`the promotion policy of model ${model} was replaced concurrently; read it and retry`);
  if (codes) throw new NotFoundError(`model ${model} does not exist`);
  await recordAudit({ type: "model.promotion_policy_set", actor: actor.caller, model, target: `models/${model}/promotion-policy`, before: before ?? null, after: policy, requestId: actor.requestId });
  return { before, after: policy };
}


/**
 * A version's metrics: registered values first; the live window is read once, on the first metric it must
 * supply.
 * @param reader where the version's batches are read (default: the performance service's batch summaries)
 */
export function metricLookup(version: VersionRecord, reader: LiveMetricsReader = storeReaders): { lookup: MetricLookup; load: () => Promise<void> } {
  let live: Map<string, number> | undefined;
  return {
    load: async () => {
      live ??= await liveWindowOf(version.model, version.version, version.createdAt, reader);
    },
    lookup: (metric) => {
      const registered = version.metrics[metric];
      if (typeof registered === "number" && Number.isFinite(registered)) return { value: registered, source: "registered" };
      const value = live?.get(metric);
      return value === undefined ? undefined : { value, source: "live" };
    },
  };
}

/**
 * The live metrics of a version's latest window (its newest batches' task only). Only batches received at or
 * after `registeredAt` count: a batch recorded before the version was registered (or before a version of the
 * same number was deleted and registered again) is not evidence about this version.
 * @param reader where the version's batches are read (default: the performance service's batch summaries)
 */
export async function liveWindowOf(model: string, version: string, registeredAt: string, reader: LiveMetricsReader = storeReaders): Promise<Map<string, number>> {
  const to = new Date();
  const from = new Date(to.getTime() - liveWindowDays * 86_400_000);
  const { batches } = await reader.queryBatches(model, from.toISOString(), to.toISOString(), [version], registeredAt);
  if (batches.length === 0) return new Map();
  const task = batches[batches.length - 1].task;
  return liveMetrics(batches.filter((b) => b.task === task));
}

/**
 * Evaluates a policy's gates for promoting `candidate` over the current production version. A version's live
 * window is read only when one of its gated metrics is not registered (the candidate's for every gate, the
 * production version's for `notWorseThanProduction` gates), at most once each.
 * @param reader where the versions' batches are read (default: the performance service's batch summaries)
 */
export async function evaluatePolicy(
  policy: PromotionPolicy,
  state: ModelState,
  candidate: VersionRecord,
  production: VersionRecord | undefined,
  reader: LiveMetricsReader = storeReaders,
): Promise<PolicyGateResult> {
  const c = metricLookup(candidate, reader);
  const p = production ? metricLookup(production, reader) : undefined;
  const needsLive = (v: VersionRecord, metrics: string[]) => metrics.some((m) => typeof v.metrics[m] !== "number");
  const gated = policy.gates.map((g) => g.metric);
  const compared = policy.gates.filter((g) => g.notWorseThanProduction).map((g) => g.metric);
  await Promise.all([needsLive(candidate, gated) ? c.load() : undefined, p && production && needsLive(production, compared) ? p.load() : undefined]);
  return evaluatePolicyGates(
    policy.gates,
    { version: candidate.version, lookup: c.lookup },
    production && p ? { version: production.version, lookup: p.lookup } : undefined,
    { metric: state.primaryMetric, direction: state.direction },
  );
}
