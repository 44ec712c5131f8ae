import { runShardJob, type ManifestItem } from "../fanout.js";

/** The Distributed Map's per-batch input (ItemBatcher: `Items`, plus the BatchInput the state machine adds). */
interface ShardEvent {
  readonly Items?: readonly ManifestItem[];
  readonly BatchInput?: { readonly model?: string; readonly checkId?: string; readonly baselineId?: string; readonly psiBins?: number };
}

/**
 * Lambda entry of a fan-out shard: summarise one batch of objects and store the summary. A failure throws,
 * so the map retries the batch and then its Catch marks the check failed.
 */
export const handler = async (event: ShardEvent): Promise<{ key: string; rows: number }> => {
  const b = event?.BatchInput;
  if (typeof b?.model !== "string" || typeof b.checkId !== "string" || typeof b.baselineId !== "string" || !Array.isArray(event.Items)) {
    throw new Error("malformed drift shard input");
  }
  return runShardJob({ model: b.model, checkId: b.checkId, baselineId: b.baselineId, psiBins: b.psiBins, items: event.Items });
};
