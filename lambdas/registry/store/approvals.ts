/**
 * Approval records: a promotion request waiting for a second principal (approvals.ts), and the per-version
 * lock item that lets a version have at most one pending request. Their mapping from an item, reads, the
 * listings of a model's requests, and the transaction items that open and close a request (the operation
 * composes them into its one transaction).
 */
import type { GateResult } from "../../core/lifecycle/gate.js";
import type { PolicyGateResult } from "../../core/lifecycle/policy.js";
import { padSemver } from "../../core/lifecycle/semver.js";
import type { Stage } from "../../core/lifecycle/stages.js";
import { keys } from "../../shared/table.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { queryItems } from "../../shared/query-pages.js";
import { queryPage, type Page } from "./page.js";
import { tableName } from "./table.js";
import type { TransactItem } from "./transact.js";

/** The state of an approval request. */
export type ApprovalState = "pending" | "approved" | "rejected" | "cancelled";

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

/** The minimal fields of a request that closing it reads and writes. */
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

/** An approval request as stored and answered. */
export interface ApprovalRecord {
  approvalId: string;
  model: string;
  version: string;
  from: Stage;
  to: Stage;
  state: ApprovalState;
  requestedBy: string;
  requestedAt: string;
  reason: string;
  force: boolean;
  gate: ((GateResult | PolicyGateResult) & { forced: boolean }) | null;
  requestId?: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionReason?: string;
  /** What was reviewed; absent on requests made before evidence was recorded. */
  evidence?: ApprovalEvidence;
  /** Why the request was cancelled (state `cancelled`). */
  cancelReason?: string;
}

/** Maps a stored request item to its record. */
export function toApproval(item: Record<string, unknown>): ApprovalRecord {
  const { pk: _p, sk: _s, type: _t, ...rest } = item;
  return rest as unknown as ApprovalRecord;
}

/**
 * The two puts that open a request: the version's lock (first; its condition fails when a request is
 * already pending) and the request itself.
 */
export function openRequestItems(approval: ApprovalRecord, requestedBy: string): TransactItem[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.pendingApproval(approval.model, padSemver(approval.version)), type: "approval-lock", approvalId: approval.approvalId, requestedBy },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    { Put: { TableName: tableName(), Item: { ...keys.approval(approval.model, approval.approvalId), type: "approval", ...approval } } },
  ];
}

/** Sets a request's decision (state, who, when, the reason in `reasonAttribute`), only if it is still pending. */
export function decisionUpdate(approval: ApprovalRef, state: Exclude<ApprovalState, "pending">, reasonAttribute: "decisionReason" | "cancelReason", by: string, now: string, reason: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.approval(approval.model, approval.approvalId),
      UpdateExpression: `SET #state = :state, decidedBy = :by, decidedAt = :now, ${reasonAttribute} = :reason`,
      ConditionExpression: "#state = :pending",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":state": state, ":by": by, ":now": now, ":reason": reason, ":pending": "pending" },
    },
  };
}

/** Deletes a version's lock, only if it still points to `approval`. */
export function lockDelete(approval: ApprovalRef): TransactItem {
  return {
    Delete: {
      TableName: tableName(),
      Key: keys.pendingApproval(approval.model, padSemver(approval.version)),
      ConditionExpression: "approvalId = :id",
      ExpressionAttributeValues: { ":id": approval.approvalId },
    },
  };
}

/** A check, in a transaction, that the version has no pending request (one made after it was read fails it). */
export function noPendingCheck(model: string, version: string): TransactItem {
  return { ConditionCheck: { TableName: tableName(), Key: keys.pendingApproval(model, padSemver(version)), ConditionExpression: "attribute_not_exists(pk)" } };
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
  const { items } = await queryItems({
    TableName: tableName(),
    KeyConditionExpression: "pk = :p AND begins_with(sk, :s)",
    ExpressionAttributeValues: { ":p": keys.modelPk(model), ":s": pendingLockPrefix },
    ConsistentRead: true,
  });
  return new Map(items.map((item) => [(item.sk as string).slice(pendingLockPrefix.length), item.approvalId as string]));
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

/** One page (up to 100, newest first, strongly consistent) of a model's requests for `version`. */
export async function versionRequestsPage(model: string, version: string, nextToken: string | undefined): Promise<Page<ApprovalRecord>> {
  const res = await queryPage({
    listing: "approvals-of-version",
    consistent: true,
    partitionAttr: "pk",
    partition: keys.modelPk(model),
    skPrefix: keys.approvalSkPrefix,
    newestFirst: true,
    limit: 100,
    nextToken,
    filter: { expression: "version = :version", names: {}, values: { ":version": version } },
  });
  return { items: res.items.map(toApproval), nextToken: res.nextToken };
}

/** A model's requests, newest first, optionally of one state (filtered within each page). */
export async function approvalsPage(model: string, state: ApprovalState | undefined, limit: number, nextToken?: string): Promise<Page<ApprovalRecord>> {
  const page = await queryPage({
    listing: "approvals",
    partitionAttr: "pk",
    partition: keys.modelPk(model),
    skPrefix: keys.approvalSkPrefix,
    newestFirst: true,
    limit,
    nextToken,
    filter: state ? { expression: "#state = :state", names: { "#state": "state" }, values: { ":state": state } } : undefined,
  });
  return { items: page.items.map(toApproval), nextToken: page.nextToken };
}
