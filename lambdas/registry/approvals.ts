/**
 * Four-eyes promotions. A promotion into a stage the model's policy lists in `requireApproval` is checked
 * (transition, artifact, gates) and then waits: an approval request is stored together with a per-version
 * lock item, so a version has at most one pending request. Another principal approves it — the gates are
 * checked again and the promotion is written in the same transaction that marks the request approved
 * (conditioned on it still being pending), so two approvals at once promote once — or anyone rejects it and
 * the version stays where it was. The requester cannot approve their own request (403 SELF_APPROVAL).
 * A request is bound to what was reviewed (approval-evidence.ts): approving one whose version, artifact,
 * metrics or policy changed cancels it instead (409 APPROVAL_CANCELLED, with the reason).
 * Every step is in the model's history with its actor and reason, and audited.
 */
import { randomUUID } from "node:crypto";
import type { Stage } from "../core/lifecycle/stages.js";
import { recordAudit } from "../shared/audit.js";
import { ApprovalCancelledError, ConflictError, ForbiddenError, NotFoundError } from "../shared/errors.js";
import { auditCancellation, cancelApproval, cancelItems, closeApprovalItems, evidenceOf, policyDigest, staleReasons } from "./approval-evidence.js";
import { inspectUpload } from "./artifacts.js";
import { commitPromotion, planPromotion, type Promotion } from "./lifecycle.js";
import { transact } from "./store/transact.js";
import { approvalsPage, lockedRequestOf, noPendingCheck, openRequestItems, pendingApprovals, versionRequestsPage, type ApprovalRecord, type ApprovalState } from "./store/approvals.js";
import { getPolicy, policyRevisionCheck, type StoredPolicy } from "./store/policies.js";
import type { Actor } from "../shared/actor.js";
import { historyPut } from "./store/history.js";
import { requireModel } from "./store/models.js";
import type { Page } from "./store/page.js";
import { getVersion, requireVersion, stageCheck, type VersionRecord } from "./store/versions.js";

export type { ApprovalRecord, ApprovalState } from "./store/approvals.js";

/** The answer of a promotion that waits for approval. */
export interface PendingPromotion {
  status: "pending_approval";
  approval: ApprovalRecord;
}

/** The answer of a rejection. */
export interface Rejection {
  status: "rejected";
  approval: ApprovalRecord;
  version: VersionRecord;
}

const approvalId = (now: string) => `${now.replace(/[-:.TZ]/g, "").slice(0, 17)}-${randomUUID().replace(/-/g, "").slice(0, 12)}`;

/**
 * Promotes `version` to `to` under the model's policy: straight away, or — when the stage needs approval —
 * as a pending request (the gates must pass, or be forced, before the request is stored).
 */
export async function requestPromotion(model: string, version: string, to: Stage, reason: string, force: boolean, actor: Actor): Promise<Promotion | PendingPromotion> {
  const policy = await getPolicy(model);
  const plan = await planPromotion(model, version, to, force, policy);
  if (!plan.needsApproval) return promoteDirectly(plan, reason, actor);

  const now = new Date().toISOString();
  const approval: ApprovalRecord = {
    approvalId: approvalId(now),
    model,
    version,
    from: plan.from,
    to,
    state: "pending",
    requestedBy: actor.caller,
    requestedAt: now,
    reason,
    force,
    gate: plan.gate,
    requestId: actor.requestId,
    evidence: evidenceOf(plan.current, (plan.extra.artifact as VersionRecord["artifact"] | undefined) ?? plan.current.artifact, policy),
  };
  const codes = await transact([
    ...openRequestItems(approval, actor.caller),
    stageCheck(model, version, plan.from),
    historyPut({ event: "request_approval", model, version, from: plan.from, to, actor: actor.caller, reason, requestId: actor.requestId, details: { approvalId: approval.approvalId, force, gate: plan.gate } }, now),
  ]);
  if (codes) {
    if (codes[0] === "ConditionalCheckFailed") {
      const pending = await pendingOf(model, version);
      throw new ConflictError(
        `a promotion of version ${version} of model ${model} is already pending approval${pending ? ` (${pending.approvalId}, to ${pending.to}, requested by ${pending.requestedBy})` : ""}; approve or reject it first`,
      );
    }
    throw new ConflictError(`version ${version} of model ${model} changed concurrently (it is no longer in ${plan.from}); read it and retry`);
  }
  await recordAudit({
    type: "model.promotion_requested",
    actor: actor.caller,
    model,
    version,
    target: `models/${model}/versions/${version}`,
    after: approval,
    details: { reason, force, gate: plan.gate },
    requestId: actor.requestId,
  });
  return { status: "pending_approval", approval };
}

/** The pending approval request of a version, if any. */
export async function pendingOf(model: string, version: string): Promise<ApprovalRecord | undefined> {
  return (await lockedRequestOf(model, version)) as ApprovalRecord | undefined;
}

/** Most pages of a model's requests read to find a version's last one. */
const maxLastRequestPages = 10;

/** The newest request of a version (any state), if one is among the model's recent requests. */
async function lastRequestOf(model: string, version: string): Promise<ApprovalRecord | undefined> {
  let token: string | undefined;
  for (let page = 0; page < maxLastRequestPages; page++) {
    const res = await versionRequestsPage(model, version, token);
    if (res.items.length > 0) return res.items[0];
    if (!res.nextToken) return undefined;
    token = res.nextToken;
  }
  return undefined;
}

/**
 * The pending request of a version.
 * @throws ApprovalCancelledError when its last request was cancelled (naming why)
 * @throws NotFoundError when the version does not exist and had no request
 * @throws ConflictError when none is pending (naming the last decision)
 */
async function requirePending(model: string, version: string): Promise<ApprovalRecord> {
  const pending = await pendingOf(model, version);
  if (pending && pending.state === "pending") return pending;
  const last = await lastRequestOf(model, version);
  if (last?.state === "cancelled") {
    const reason = last.cancelReason ?? "cancelled";
    throw new ApprovalCancelledError(`the promotion request ${last.approvalId} of version ${version} of model ${model} was cancelled (${reason}); request the promotion again`, {
      approvalId: last.approvalId,
      reason,
    });
  }
  await requireVersion(model, version);
  const said = last && last.state !== "pending" ? ` (the last request was ${last.state} by ${last.decidedBy} at ${last.decidedAt})` : "";
  throw new ConflictError(`no promotion of version ${version} of model ${model} is pending approval${said}`);
}

/**
 * A promotion that needs no approval. A pending request of the version (into another stage) no longer
 * applies once the version moves: it is cancelled in the same transaction; with none pending, the
 * transaction checks that none appeared meanwhile.
 */
async function promoteDirectly(plan: Awaited<ReturnType<typeof planPromotion>>, reason: string, actor: Actor): Promise<Promotion> {
  const pending = await pendingOf(plan.model, plan.version);
  const open = pending?.state === "pending" ? pending : undefined;
  const why = `version ${plan.version} moved from ${plan.from} to ${plan.to} (promoted by ${actor.caller}: ${reason})`;
  const promotion = await commitPromotion(plan, reason, actor, {
    extraItems: open ? cancelItems(open, why, actor, plan.now) : [noPendingCheck(plan.model, plan.version)],
    onExtraConflict: () => new ConflictError(`a promotion request of version ${plan.version} of model ${plan.model} was made or decided concurrently; read GET /models/${plan.model}/approvals and retry`),
  });
  if (open) await auditCancellation(open, why, actor, plan.now);
  return promotion;
}

/** The artifact as it is now: an upload still pending is checksummed (undefined when it is gone). */
async function artifactNow(v: VersionRecord): Promise<VersionRecord["artifact"] | undefined> {
  if (v.artifact.status !== "pending_upload") return v.artifact;
  try {
    return { ...v.artifact, ...(await inspectUpload(v.model, v.version, v.artifact.uri)) };
  } catch {
    return undefined;
  }
}

/**
 * Cancels `approval` and throws when what it was reviewed against no longer holds: the version moved or was
 * registered again, its artifact or metrics changed, or the policy's gates or approval stages changed.
 */
async function assertStillValid(approval: ApprovalRecord, actor: Actor): Promise<void> {
  const [found, policy] = await Promise.all([getVersion(approval.model, approval.version), getPolicy(approval.model)]);
  // Deleted since the request was read: its delete cancelled it (answered as such), or the version is gone.
  const current = found ?? (await requirePending(approval.model, approval.version), await requireVersion(approval.model, approval.version));
  const reasons: string[] = [];
  if (current.stage !== approval.from) reasons.push(`the version moved from ${approval.from} to ${current.stage}`);
  if (!policy?.requireApproval.includes(approval.to)) reasons.push(`the policy no longer requires approval for ${approval.to}`);
  const artifact = await artifactNow(current);
  if (!artifact) reasons.push(`the artifact ${current.artifact.uri} cannot be read`);
  else reasons.push(...(await staleReasons(approval.evidence, evidenceOf(current, artifact, policy))));
  if (reasons.length === 0) return;
  const reason = reasons.join("; ");
  if (!(await cancelApproval(approval, reason, actor))) throw decidedConcurrently(approval);
  throw new ApprovalCancelledError(`the promotion request ${approval.approvalId} of version ${approval.version} was cancelled: ${reason}; request the promotion again`, {
    approvalId: approval.approvalId,
    reason,
  });
}

const decidedConcurrently = (approval: ApprovalRecord) =>
  new ConflictError(`the promotion request ${approval.approvalId} of version ${approval.version} was decided by a concurrent request; read GET /models/${approval.model}/approvals`);

/**
 * Approves the pending promotion of `version`: by another principal than the requester; the gates are
 * checked again (with the request's `force`), and the promotion and the decision are one transaction.
 */
export async function approvePromotion(model: string, version: string, reason: string, actor: Actor): Promise<Promotion & { approval: ApprovalRecord }> {
  const approval = await requirePending(model, version);
  if (approval.requestedBy === actor.caller) {
    throw new ForbiddenError(`${actor.caller} requested this promotion and cannot approve it; another principal must (four-eyes rule)`, "SELF_APPROVAL");
  }
  await assertStillValid(approval, actor);
  const policy = await getPolicy(model);
  const plan = await planPromotion(model, version, approval.to, approval.force, policy).catch(async (err: unknown) => {
    // Deleted after the checks above: the delete cancelled the request, and that is the answer.
    if (err instanceof NotFoundError) await requirePending(model, version);
    throw err;
  });
  if (plan.from !== approval.from) throw new ConflictError(`version ${version} moved from ${approval.from} to ${plan.from} since the request; reject it and request again`);
  const now = plan.now;
  const promotion = await commitPromotion(plan, reason, actor, {
    extraItems: [...closeApprovalItems(approval, "approved", reason, actor, now), policyRevisionCheck(model, policy?.revision)],
    historyDetails: { approvalId: approval.approvalId, requestedBy: approval.requestedBy, approvedBy: actor.caller },
    auditDetails: { approvalId: approval.approvalId, requestedBy: approval.requestedBy, requestReason: approval.reason, approvedBy: actor.caller },
    onExtraConflict: (index) =>
      index === 3 ? new ConflictError(`the promotion policy of model ${model} was replaced while approving; its pending requests are re-checked: read GET /models/${model}/approvals`) : decidedConcurrently(approval),
  });
  const decided: ApprovalRecord = { ...approval, state: "approved", decidedBy: actor.caller, decidedAt: now, decisionReason: reason };
  return { ...promotion, approval: decided };
}

/** Rejects the pending promotion of `version`; the version stays where it is. */
export async function rejectPromotion(model: string, version: string, reason: string, actor: Actor): Promise<Rejection> {
  const approval = await requirePending(model, version);
  const now = new Date().toISOString();
  const codes = await transact(closeApprovalItems(approval, "rejected", reason, actor, now));
  if (codes) throw decidedConcurrently(approval);
  const decided: ApprovalRecord = { ...approval, state: "rejected", decidedBy: actor.caller, decidedAt: now, decisionReason: reason };
  await recordAudit({
    type: "model.promotion_rejected",
    actor: actor.caller,
    model,
    version,
    target: `models/${model}/versions/${version}`,
    before: approval,
    after: decided,
    details: { reason },
    requestId: actor.requestId,
  });
  return { status: "rejected", approval: decided, version: await requireVersion(model, version) };
}

/**
 * Cancels every pending request of a model whose policy's gates or approval stages changed (a request is
 * checked against the policy it was made under). Each cancellation is its own transaction; a request
 * decided meanwhile is left as decided. Answers the cancelled requests' ids.
 */
export async function cancelForPolicyChange(model: string, before: StoredPolicy | undefined, after: StoredPolicy, actor: Actor): Promise<string[]> {
  if (before && policyDigest(before).sha256 === policyDigest(after).sha256) return [];
  const reason = `the promotion policy changed (revision ${before?.revision ?? "none"} to ${after.revision}, by ${actor.caller})`;
  const cancelled: string[] = [];
  for (const approval of await pendingApprovals(model)) {
    if (await cancelApproval(approval, reason, actor)) cancelled.push(approval.approvalId);
  }
  return cancelled;
}

/** Approval requests of a model, newest first, optionally of one state (filtered within each page). */
export async function listApprovals(model: string, state: ApprovalState | undefined, limit: number, nextToken?: string): Promise<Page<ApprovalRecord>> {
  await requireModel(model);
  return approvalsPage(model, state, limit, nextToken);
}
