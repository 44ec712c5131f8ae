/**
 * Promotion policy records: one item per model (gates, stages that need approval, retention), replaced as a
 * whole by policy.ts.
 */
import type { PromotionPolicy } from "../../core/lifecycle/policy.js";
import type { Stage } from "../../core/lifecycle/stages.js";
import { keys } from "../../shared/table.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { tableName } from "./table.js";

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
