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
import { padSemver } from "../core/lifecycle/semver.js";
import type { PromotionPolicy } from "../core/lifecycle/policy.js";
import { recordAudit } from "../shared/audit.js";
import { keys } from "../shared/table.js";
import { loadDynamo } from "../shared/sdk/dynamodb.js";
import { loadS3 } from "../shared/sdk/s3.js";
import { parseS3Uri } from "./artifacts.js";
import { type TransactItem, transact } from "./store/transact.js";
import type { Actor } from "../shared/actor.js";
import { historyEntry } from "./store/history.js";
import { tableName } from "./store/table.js";
import type { Artifact, VersionRecord } from "./store/versions.js";

/** What a pending request was checked against. */
export interface ApprovalEvidence {
  /** When the version record was written: a different record under the same number is another version. */
  versionCreatedAt: string;
  artifact: { uri: string; sha256: string | null; sizeBytes: number | null; etag: string | null };
  /** sha256 of the version's metrics (keys sorted). */
  metricsSha256: string;
  /** sha256 of the policy's gates and approval stages (what the promotion is checked against), and its revision. */
  policy: { sha256: string; revision: number | null };
}

/** The minimal fields of a request this module reads and writes. */
export interface ApprovalRef {
  approvalId: string;
  model: string;
  version: string;
  from: string;
  to: string;
  requestedBy: string;
  reason: string;
  evidence?: ApprovalEvidence;
}

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
  const { HeadObjectCommand, s3Client } = await loadS3();
  const loc = parseS3Uri(uri);
  try {
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
    return { sizeBytes: Number(head.ContentLength ?? 0), etag: (head.ETag ?? "").replace(/"/g, "") };
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
    {
      Update: {
        TableName: tableName(),
        Key: keys.approval(approval.model, approval.approvalId),
        UpdateExpression: `SET #state = :state, decidedBy = :by, decidedAt = :now, ${reasonAttribute} = :reason`,
        ConditionExpression: "#state = :pending",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":state": state, ":by": actor.caller, ":now": now, ":reason": reason, ":pending": "pending" },
      },
    },
    {
      Delete: {
        TableName: tableName(),
        Key: keys.pendingApproval(approval.model, padSemver(approval.version)),
        ConditionExpression: "approvalId = :id",
        ExpressionAttributeValues: { ":id": approval.approvalId },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: historyEntry(
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
        ).item,
      },
    },
  ];
}

/** The writes that cancel a pending request: {@link closeApprovalItems} with state `cancelled`. */
export function cancelItems(approval: ApprovalRef, reason: string, actor: Actor, now: string): TransactItem[] {
  return closeApprovalItems(approval, "cancelled", reason, actor, now);
}

/** A check, in a transaction, that the version has no pending request (one made after it was read fails it). */
export function noPendingCheck(model: string, version: string): TransactItem {
  return { ConditionCheck: { TableName: tableName(), Key: keys.pendingApproval(model, padSemver(version)), ConditionExpression: "attribute_not_exists(pk)" } };
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

/** The request a version's pending lock points to (undefined when there is no lock). */
export async function lockedRequestOf(model: string, version: string): Promise<(ApprovalRef & { state: string }) | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const lock = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keys.pendingApproval(model, padSemver(version)), ConsistentRead: true }));
  if (!lock.Item) return undefined;
  const res = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keys.approval(model, lock.Item.approvalId as string), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const { pk: _p, sk: _s, type: _t, ...rest } = res.Item;
  return rest as ApprovalRef & { state: string };
}

/** The sort-key prefix of the per-version pending locks (see keys.pendingApproval). */
const pendingLockPrefix = keys.pendingApproval("", "").sk;

/** The per-version pending locks of a model: padded version → approval id. */
export async function pendingLocks(model: string): Promise<Map<string, string>> {
  const { QueryCommand, documentClient } = await loadDynamo();
  const locks = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :p AND begins_with(sk, :s)",
        ExpressionAttributeValues: { ":p": keys.modelPk(model), ":s": pendingLockPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) locks.set((item.sk as string).slice(pendingLockPrefix.length), item.approvalId as string);
    start = res.LastEvaluatedKey;
  } while (start);
  return locks;
}

/** The pending requests of a model, found through their per-version locks (one per version at most). */
export async function pendingApprovals(model: string): Promise<ApprovalRef[]> {
  const { GetCommand, documentClient } = await loadDynamo();
  const ids = [...(await pendingLocks(model)).values()];
  const found: ApprovalRef[] = [];
  for (const id of ids) {
    const res = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keys.approval(model, id), ConsistentRead: true }));
    if (res.Item?.state === "pending") found.push(res.Item as unknown as ApprovalRef);
  }
  return found;
}

