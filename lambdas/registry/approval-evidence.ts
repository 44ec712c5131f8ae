/**
 * What an approval request was reviewed against, and the closing of requests that no longer hold.
 *
 * A pending request records its evidence: the version record it was made for (`createdAt`), the artifact
 * (sha256, size, ETag), a hash of the version's metrics, and a hash and revision of the promotion policy's
 * gates and approval stages. The request is valid only while all of it still holds; an approval re-reads each
 * and a difference cancels the request instead of promoting (409 APPROVAL_CANCELLED with the reason).
 * Deleting, archiving or otherwise moving the version, and replacing the policy, cancel its pending request
 * eagerly, in the same transaction as the change (policy: right after it). A cancelled request keeps
 * `state: cancelled`, `cancelReason`, `decidedBy` and `decidedAt`, has a `cancel_approval` history entry and
 * a `model.promotion_cancelled` audit entry.
 */
import { createHash } from "node:crypto";
import type { PromotionPolicy } from "../core/lifecycle/policy.js";
import { recordAudit } from "../shared/audit.js";
import { parseS3Uri } from "./artifacts.js";
import { type TransactItem, transact } from "./store/transact.js";
import type { Actor } from "../shared/actor.js";
import { decisionUpdate, lockDelete, type ApprovalEvidence, type ApprovalRef } from "./store/approvals.js";
import { historyPut } from "./store/history.js";
import { headObject } from "./store/objects.js";
import type { Artifact, VersionRecord } from "./store/versions.js";

export type { ApprovalEvidence, ApprovalRef } from "./store/approvals.js";

/** JSON with object keys sorted at every level, so equal values hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The policy's part a promotion is checked against: gates and approval stages. Retention does not decide a
 * promotion, so changing only `keepLast` leaves pending requests valid.
 */
export function policyDigest(policy: (Pick<PromotionPolicy, "gates" | "requireApproval"> & { revision?: number }) | undefined): ApprovalEvidence["policy"] {
  return { sha256: sha256(canonical(policy ? { gates: policy.gates, requireApproval: [...policy.requireApproval].sort() } : null)), revision: policy?.revision ?? null };
}

/** The evidence of a request made now, for `version` (with `artifact` when the promotion just verified it). */
export function evidenceOf(version: VersionRecord, artifact: Artifact, policy: Parameters<typeof policyDigest>[0]): ApprovalEvidence {
  return {
    versionCreatedAt: version.createdAt,
    artifact: { uri: artifact.uri, sha256: artifact.sha256 ?? null, sizeBytes: artifact.sizeBytes ?? null, etag: artifact.etag ?? null },
    metricsSha256: sha256(canonical(version.metrics ?? {})),
    policy: policyDigest(policy),
  };
}

/** The artifact object as S3 has it now (HEAD: size and ETag change whenever the object is replaced). */
async function objectNow(uri: string): Promise<{ sizeBytes: number; etag: string } | undefined> {
  const loc = parseS3Uri(uri);
  try {
    return await headObject(loc);
  } catch {
    return undefined;
  }
}

/**
 * Why a request's evidence no longer holds (empty when it does). `now` is the evidence computed for the
 * version and policy as they are; the artifact object itself is also looked at, so bytes replaced under the
 * recorded URI are caught even when the record did not change.
 */
export async function staleReasons(recorded: ApprovalEvidence | undefined, now: ApprovalEvidence): Promise<string[]> {
  // Requests made before evidence was recorded are checked for what can be: the object.
  const reasons: string[] = [];
  if (recorded) {
    if (recorded.versionCreatedAt !== now.versionCreatedAt) reasons.push(`the version was registered again (record of ${now.versionCreatedAt}, reviewed ${recorded.versionCreatedAt})`);
    if (recorded.artifact.uri !== now.artifact.uri || recorded.artifact.sha256 !== now.artifact.sha256 || recorded.artifact.sizeBytes !== now.artifact.sizeBytes) {
      reasons.push(`the artifact changed (reviewed sha256 ${recorded.artifact.sha256} of ${recorded.artifact.sizeBytes} bytes, now ${now.artifact.sha256} of ${now.artifact.sizeBytes} bytes)`);
    }
    if (recorded.metricsSha256 !== now.metricsSha256) reasons.push("the version's metrics changed");
    if (recorded.policy.sha256 !== now.policy.sha256) reasons.push(`the promotion policy changed (reviewed revision ${recorded.policy.revision ?? "none"}, now ${now.policy.revision ?? "none"})`);
  }
  const reviewed = recorded?.artifact ?? now.artifact;
  if (reasons.length === 0 && reviewed.etag !== null) {
    const object = await objectNow(reviewed.uri);
    if (!object) reasons.push(`the artifact ${reviewed.uri} no longer exists`);
    else if (object.etag !== reviewed.etag || object.sizeBytes !== reviewed.sizeBytes) {
      reasons.push(`the artifact object ${reviewed.uri} was replaced (reviewed ETag ${reviewed.etag}, ${reviewed.sizeBytes} bytes; now ETag ${object.etag}, ${object.sizeBytes} bytes)`);
    }
  }
  return reasons;
}

/** How each way of closing a pending request is recorded: the history event and the reason's attribute. */
const closing = {
  approved: { event: "approve", reasonAttribute: "decisionReason" },
  rejected: { event: "reject", reasonAttribute: "decisionReason" },
  cancelled: { event: "cancel_approval", reasonAttribute: "cancelReason" },
} as const;

/**
 * The writes that close a pending request (approved, rejected or cancelled): its state (only if still
 * pending), the lock, the history entry.
 */
export function closeApprovalItems(approval: ApprovalRef, state: keyof typeof closing, reason: string, actor: Actor, now: string): TransactItem[] {
  const { event, reasonAttribute } = closing[state];
  return [
    decisionUpdate(approval, state, reasonAttribute, actor.caller, now, reason),
    lockDelete(approval),
    historyPut(
      {
        event,
        model: approval.model,
        version: approval.version,
        from: approval.from,
        to: approval.to,
        actor: actor.caller,
        reason,
        requestId: actor.requestId,
        details: { approvalId: approval.approvalId, requestedBy: approval.requestedBy, requestReason: approval.reason },
      },
      now,
      2,
    ),
  ];
}

/** The writes that cancel a pending request: {@link closeApprovalItems} with state `cancelled`. */
export function cancelItems(approval: ApprovalRef, reason: string, actor: Actor, now: string): TransactItem[] {
  return closeApprovalItems(approval, "cancelled", reason, actor, now);
}

/** Audits a cancellation that committed. */
export async function auditCancellation(approval: ApprovalRef, reason: string, actor: Actor, now: string): Promise<void> {
  await recordAudit({
    type: "model.promotion_cancelled",
    actor: actor.caller,
    model: approval.model,
    version: approval.version,
    target: `models/${approval.model}/versions/${approval.version}`,
    before: { approvalId: approval.approvalId, state: "pending" },
    after: { approvalId: approval.approvalId, state: "cancelled", cancelReason: reason, decidedBy: actor.caller, decidedAt: now },
    details: { reason, requestedBy: approval.requestedBy, requestReason: approval.reason },
    requestId: actor.requestId,
  });
}

/** Cancels one pending request on its own; false when it was decided or cancelled concurrently. */
export async function cancelApproval(approval: ApprovalRef, reason: string, actor: Actor): Promise<boolean> {
  const now = new Date().toISOString();
  const codes = await transact(cancelItems(approval, reason, actor, now));
  if (codes) return false;
  await auditCancellation(approval, reason, actor, now);
  return true;
}
