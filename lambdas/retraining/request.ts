/**
 * Requesting retraining: by hand (never rate-limited), on a schedule, or because a drift check or a batch
 * crossed the model's policy. Automatic requests go out at most once per `minHoursBetween` per model: the
 * window is claimed with one conditional write (store.ts `claimWindow`), so of concurrent checks that all
 * cross the policy exactly one publishes; the others are recorded as `suppressed`. An event that could not
 * be published gives the claim back and is recorded as `failed` (visible in the listing, audited, counted
 * in EventPublishFailures) so the next crossing tries again.
 */
import { randomUUID } from "node:crypto";
import { recordAudit } from "../shared/audit.js";
import { MlwatchEventType, type RetrainingTrigger } from "../shared/event-types.js";
import { publishEvent } from "../shared/events-bus.js";
import { serviceLogger } from "../shared/logger.js";
import type { RetrainingRequest } from "./contract.js";
import { getPolicy } from "./store/policy.js";
import { putRequest } from "./store/requests.js";
import { claimWindow, markRequested, releaseWindow } from "./store/window.js";

const logger = serviceLogger("retraining");

/** What asks for retraining. */
export interface RetrainingAsk {
  readonly model: string;
  readonly trigger: RetrainingTrigger;
  readonly reason: string;
  readonly requestedBy: string;
  readonly evidence?: { readonly checkId?: string; readonly batchId?: string };
  /** Hours between automatic requests (ignored for manual ones). */
  readonly minHoursBetween?: number;
  readonly auditRequestId?: string;
}

/** A short summary of a request, stored on the check or batch that caused it. */
export interface RetrainingSummary {
  readonly requestId: string;
  readonly status: RetrainingRequest["status"];
  readonly suppressedUntil?: string;
  readonly error?: string;
}

/** A new request id: time-ordered, unique. */
function newRequestId(now: Date): string {
  return `rt-${now.toISOString().replace(/[-:.TZ]/g, "").slice(0, 14)}-${randomUUID().replace(/-/g, "").slice(0, 12)}`;
}

/** Requests retraining (see the file comment); records and audits the outcome whatever it is. */
export async function requestRetraining(ask: RetrainingAsk): Promise<RetrainingRequest> {
  const now = new Date();
  const requestedAt = now.toISOString();
  const requestId = newRequestId(now);
  const evidence = { ...(ask.evidence?.checkId ? { checkId: ask.evidence.checkId } : {}), ...(ask.evidence?.batchId ? { batchId: ask.evidence.batchId } : {}) };
  const base = { requestId, model: ask.model, trigger: ask.trigger, reason: ask.reason.slice(0, 1000), requestedBy: ask.requestedBy, requestedAt, evidence };

  const automatic = ask.trigger !== "manual";
  let previous: string | undefined;
  if (automatic) {
    const minHours = ask.minHoursBetween ?? 24;
    const claim = await claimWindow(ask.model, requestId, requestedAt, minHours);
    if (!claim.claimed) {
      const suppressedUntil = new Date(Date.parse(claim.lastAt) + minHours * 3_600_000).toISOString();
      const request: RetrainingRequest = { ...base, status: "suppressed", suppressedUntil };
      await putRequest(request);
      await recordAudit({ type: "retraining.suppressed", actor: ask.requestedBy, model: ask.model, target: `models/${ask.model}/retraining-requests/${requestId}`, after: request, requestId: ask.auditRequestId });
      return request;
    }
    previous = claim.previous;
  }

  const event = await publishEvent(MlwatchEventType.retrainingRequested, {
    model: ask.model,
    trigger: ask.trigger,
    reason: base.reason,
    requestedBy: ask.requestedBy,
    requestId,
    evidence,
    evidenceId: evidence.checkId ?? evidence.batchId ?? requestId,
  });
  if (event.sent) {
    if (!automatic) await markRequested(ask.model, requestId, requestedAt);
  } else if (automatic) {
    await releaseWindow(ask.model, requestId, previous);
  }
  const request: RetrainingRequest = { ...base, status: event.sent ? "requested" : "failed", event };
  await putRequest(request);
  await recordAudit({
    type: event.sent ? "retraining.requested" : "retraining.failed",
    actor: ask.requestedBy,
    model: ask.model,
    target: `models/${ask.model}/retraining-requests/${requestId}`,
    after: request,
    requestId: ask.auditRequestId,
  });
  logger.info("retraining request", { model: ask.model, trigger: ask.trigger, requestId, status: request.status });
  return request;
}

const summaryOf = (r: RetrainingRequest): RetrainingSummary => ({
  requestId: r.requestId,
  status: r.status,
  ...(r.suppressedUntil ? { suppressedUntil: r.suppressedUntil } : {}),
  ...(r.event?.error ? { error: r.event.error } : {}),
});

/**
 * Applies the model's policy to what a check or batch found; never throws (a failure is logged and
 * returned as an `error` summary, so the check or batch is still recorded).
 * @param finding `drift`: the highest feature PSI of a check; `performance`: the primary metric's degradation in percent
 * @returns the request's summary, or undefined when there is no policy or it was not crossed
 */
export async function applyRetrainingPolicy(finding: {
  readonly model: string;
  readonly trigger: "drift" | "performance";
  readonly value: number | null | undefined;
  readonly evidence: { readonly checkId?: string; readonly batchId?: string };
  readonly detail: string;
  readonly requestedBy: string;
  readonly auditRequestId?: string;
}): Promise<RetrainingSummary | undefined> {
  try {
    if (finding.value === null || finding.value === undefined || !Number.isFinite(finding.value)) return undefined;
    const policy = await getPolicy(finding.model);
    const threshold = finding.trigger === "drift" ? policy?.onDriftPsiAbove : policy?.onPerformanceDegradationPercent;
    if (!policy || threshold === null || threshold === undefined || !(finding.value > threshold)) return undefined;
    const what = finding.trigger === "drift" ? `PSI ${Number(finding.value.toPrecision(4))} above the policy's ${threshold}` : `degradation ${Number(finding.value.toPrecision(4))}% above the policy's ${threshold}%`;
    const request = await requestRetraining({
      model: finding.model,
      trigger: finding.trigger,
      reason: `${what}: ${finding.detail}`,
      requestedBy: finding.requestedBy,
      evidence: finding.evidence,
      minHoursBetween: policy.minHoursBetween,
      auditRequestId: finding.auditRequestId,
    });
    return summaryOf(request);
  } catch (err) {
    logger.error("applying the retraining policy failed", { model: finding.model, trigger: finding.trigger, evidence: finding.evidence, error: err as Error });
    return { requestId: "", status: "failed", error: (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 1000) };
  }
}
