/**
 * History records: one change in a model's life (registration, promotion, deployment, policy, …), built
 * here and written in the transaction of the change it records; listed newest first.
 */
import { randomUUID } from "node:crypto";
import { keys, TableKeys } from "../../shared/table.js";
import { queryPage, type Page } from "./page.js";
import { stripKeys, tableName } from "./table.js";
import type { TransactItem } from "./transact.js";

/** One change in a model's history. */
export type HistoryRecord = {
  id: string;
  time: string;
  event: "register" | "promote" | "rollback" | "deploy" | "delete" | "verify" | "policy" | "request_approval" | "approve" | "reject" | "cancel_approval" | "alias" | "tag" | "retention";
  model: string;
  version: string | null;
  from: string | null;
  to: string | null;
  actor: string;
  reason: string | null;
  details?: Record<string, unknown>;
  requestId?: string;
};

/** Builds a history entry and its item. `seq` orders entries written in the same instant (higher = newer). */
export function historyEntry(entry: Omit<HistoryRecord, "id" | "time">, time: string, seq = 0): { record: HistoryRecord; item: Record<string, unknown> } {
  const id = `${seq}${randomUUID().replace(/-/g, "").slice(0, 15)}`;
  const record: HistoryRecord = { id, time, ...entry };
  return { record, item: { ...keys.modelHistory(entry.model, time, id), type: "history", ...record } };
}

/** The put that writes a history entry in its change's transaction ({@link historyEntry}'s item). */
export function historyPut(entry: Omit<HistoryRecord, "id" | "time">, time: string, seq = 0): TransactItem {
  return { Put: { TableName: tableName(), Item: historyEntry(entry, time, seq).item } };
}

/** A model's history, newest first. */
export async function listHistory(model: string, limit: number, nextToken?: string): Promise<Page<HistoryRecord>> {
  const page = await queryPage({ listing: "history", partitionAttr: TableKeys.partitionKey, partition: keys.modelPk(model), skPrefix: keys.historySkPrefix, newestFirst: true, limit, nextToken });
  return { items: page.items.map((i) => stripKeys(i) as HistoryRecord), nextToken: page.nextToken };
}
