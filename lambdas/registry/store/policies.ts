/**
 * Promotion policy records: one item per model (gates, stages that need approval, retention), replaced as a
 * whole by policy.ts.
 */
import type { PromotionPolicy } from "../../core/lifecycle/policy.js";
import type { Stage } from "../../core/lifecycle/stages.js";
import { keys } from "../../shared/table.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { tableName } from "./table.js";
import type { TransactItem } from "./transact.js";

/** A policy as stored and answered. */
export type StoredPolicy = PromotionPolicy & {
  model: string;
  updatedAt: string;
  updatedBy: string;
  /** Counts replacements (1 for the first policy); pending approvals record the revision they were checked against. */
  revision: number;
};

/** The model's policy; undefined when it has none. */
export async function getPolicy(model: string): Promise<StoredPolicy | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keys.promotionPolicy(model), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const item = res.Item;
  return {
    model,
    gates: (item.gates as PromotionPolicy["gates"] | undefined) ?? [],
    requireApproval: (item.requireApproval as Stage[] | undefined) ?? [],
    retention: (item.retention as PromotionPolicy["retention"] | undefined) ?? null,
    updatedAt: item.updatedAt as string,
    updatedBy: item.updatedBy as string,
    // Policies stored before revisions were counted read as revision 0.
    revision: Number(item.revision ?? 0),
  };
}

/**
 * Writes `policy`, conditioned on the revision read before (`before`): two replacements at once cannot both
 * claim the same revision.
 */
export function policyPut(policy: StoredPolicy, before: StoredPolicy | undefined): TransactItem {
  const sameRevision =
    before && before.revision > 0
      ? { ConditionExpression: "revision = :rev", ExpressionAttributeValues: { ":rev": before.revision } }
      : before
        ? { ConditionExpression: "attribute_not_exists(revision)" }
        : { ConditionExpression: "attribute_not_exists(pk)" };
  return { Put: { TableName: tableName(), Item: { ...keys.promotionPolicy(policy.model), type: "promotion-policy", ...policy }, ...sameRevision } };
}

/** A check, in a transaction, that the policy is still `revision` (undefined: there is none; 0: stored before revisions). */
export function policyRevisionCheck(model: string, revision: number | undefined): TransactItem {
  const condition =
    revision === undefined ? { ConditionExpression: "attribute_not_exists(pk)" } : revision === 0 ? { ConditionExpression: "attribute_not_exists(revision)" } : { ConditionExpression: "revision = :rev", ExpressionAttributeValues: { ":rev": revision } };
  return { ConditionCheck: { TableName: tableName(), Key: keys.promotionPolicy(model), ...condition } };
}
