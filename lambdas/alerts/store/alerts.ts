/**
 * The alert items of the inbox in the single table (key design in lambdas/shared/table.ts). A new alert
 * is written with its fingerprint claim (store/fingerprints.ts, lambdas/alerts/open-or-repeat.ts).
 * Acknowledge and resolve are conditional on the current state, so a second resolve is a 409, never a
 * second audit entry.
 */
import { resourceNames } from "../../shared/env.js";
import { decodePageToken, encodePageToken, stringKey } from "../../shared/page-token.js";
import { ConflictError, NotFoundError } from "../../shared/errors.js";
import { keys, TableKeys } from "../../shared/table.js";
import { AlertState, type AlertType } from "../contract/alert-types.js";
import { countChange } from "./counts.js";
import type { AlertRecord } from "../contract.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { timeSortableId } from "../../shared/time-id.js";
import { transactWrite } from "../../shared/transact.js";

/** A time-sortable alert id: `20260101T120000000Z-a1b2c3`. */
export const newAlertId: (now?: Date) => string = timeSortableId;

const table = (): string => resourceNames().table;
const epoch = (d: Date): number => Math.floor(d.getTime() / 1000);
const stored = new Set(["pk", "sk", "gsi1pk", "gsi1sk", "expiresAt", "digest", "fingerprint"]);

/** An item as the API answers it (keys and internal attributes dropped). */
export function alertOf(item: Record<string, unknown>): AlertRecord {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!stored.has(k)) out[k] = v;
  return out as unknown as AlertRecord;
}

/** Reads one alert. @throws NotFoundError when there is none. */
export async function getAlert(alertId: string): Promise<AlertRecord> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.alert(alertId), ConsistentRead: true }));
  if (!res.Item) throw new NotFoundError(`no alert ${alertId}`);
  return alertOf(res.Item);
}

/** Records what happened to the alert's message. */
export async function setDelivery(alertId: string, delivery: AlertRecord["delivery"]): Promise<void> {
  const { UpdateCommand, documentClient } = await loadDynamo();
  await documentClient().send(
    new UpdateCommand({ TableName: table(), Key: keys.alert(alertId), UpdateExpression: "SET delivery = :d", ExpressionAttributeValues: { ":d": delivery } }),
  );
}

/**
 * Claims the resending of an alert whose message failed (one claimant wins).
 * @returns whether this caller should send it
 */
export async function claimRedelivery(alertId: string): Promise<boolean> {
  const { UpdateCommand } = await loadDynamo();
  const written = await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.alert(alertId),
      UpdateExpression: "SET delivery = :sending",
      ConditionExpression: "delivery.#s = :failed",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":sending": { status: "sending" }, ":failed": "failed" },
    }),
  );
  return written !== undefined;
}

/** Filters and page of {@link listAlerts}. */
export interface AlertQuery {
  readonly model?: string;
  readonly state?: AlertState;
  readonly type?: AlertType;
  readonly since?: string;
  readonly limit: number;
  readonly nextToken?: string;
}

/** Most index reads one listing makes to fill a page when filters skip items. */
const maxReads = 20;

/**
 * Alerts newest first. Filters are applied while reading, and reading continues (bounded) until the page
 * is full, so a filtered page is short only at the end of the listing or after {@link maxReads} reads
 * (then `nextToken` continues it). Each read asks for no more items than the page still needs, so the
 * token always continues right after the last item returned.
 */
export async function listAlerts(q: AlertQuery): Promise<{ items: AlertRecord[]; nextToken: string | null }> {
  const { QueryCommand, documentClient } = await loadDynamo();
  const filters: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":p": keys.alertsGsi };
  if (q.model) {
    filters.push("#model = :model");
    names["#model"] = "model";
    values[":model"] = q.model;
  }
  if (q.state) {
    filters.push("#state = :state");
    names["#state"] = "state";
    values[":state"] = q.state;
  }
  if (q.type) {
    filters.push("#type = :type");
    names["#type"] = "type";
    values[":type"] = q.type;
  }
  let keyCondition = `${TableKeys.gsi1PartitionKey} = :p`;
  if (q.since) {
    keyCondition += ` AND ${TableKeys.gsi1SortKey} >= :since`;
    values[":since"] = new Date(Date.parse(q.since)).toISOString();
  }
  const items: AlertRecord[] = [];
  // Bound to the filters too: a token continues the same filtered listing, never another.
  const binding = { listing: "alerts.inbox", scope: { model: q.model, state: q.state, type: q.type, since: q.since } };
  let start = await decodePageToken(q.nextToken, binding, (k) => stringKey(k) && k[TableKeys.gsi1PartitionKey] === keys.alertsGsi);
  for (let read = 0; read < maxReads && items.length < q.limit; read++) {
    const res = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: TableKeys.gsi1Name,
        KeyConditionExpression: keyCondition,
        FilterExpression: filters.length ? filters.join(" AND ") : undefined,
        ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: q.limit - items.length,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) items.push(alertOf(item));
    start = res.LastEvaluatedKey as Record<string, string> | undefined;
    if (!start) break;
  }
  return { items, nextToken: await encodePageToken(start, binding) };
}

/** Who changes an alert's state, and why. */
export interface AlertAction {
  readonly actor: string;
  readonly reason: string;
}

/**
 * Acknowledges an open alert.
 * @throws NotFoundError for an unknown id; ConflictError when it is not open
 */
export async function acknowledgeAlert(alertId: string, action: AlertAction, now = new Date()): Promise<{ before: AlertRecord; after: AlertRecord }> {
  const { UpdateCommand } = await loadDynamo();
  const before = await getAlert(alertId);
  const res = await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.alert(alertId),
      UpdateExpression: "SET #state = :ack, acknowledged = :by",
      ConditionExpression: "attribute_exists(pk) AND #state = :open",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":ack": AlertState.acknowledged, ":open": AlertState.open, ":by": { by: action.actor, at: now.toISOString(), reason: action.reason } },
      ReturnValues: "ALL_NEW",
    }),
  );
  if (res) return { before, after: alertOf(res.Attributes as Record<string, unknown>) };
  const current = await getAlert(alertId);
  // The SDK retries a write whose answer was lost; the retry then fails its own condition. The stamp
  // (actor, instant, reason) tells our write from another's, so the change is answered and audited.
  const mine = current.acknowledged;
  if (current.state === AlertState.acknowledged && mine?.by === action.actor && mine.at === now.toISOString() && mine.reason === action.reason) {
    return { before, after: current };
  }
  throw new ConflictError(`alert ${alertId} is ${current.state}; only an open alert can be acknowledged`);
}

/**
 * Resolves an alert (open or acknowledged); it expires `retentionDays` later (TTL). Its fingerprint is
 * released for a new alert once the suppression window has passed, and the model's count drops.
 * @throws NotFoundError for an unknown id; ConflictError when it is already resolved
 */
export async function resolveAlert(alertId: string, action: AlertAction, retentionDays: number, now = new Date()): Promise<{ before: AlertRecord; after: AlertRecord }> {
  const { GetCommand, TransactionCanceledException, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.alert(alertId), ConsistentRead: true }));
  if (!res.Item) throw new NotFoundError(`no alert ${alertId}`);
  const before = alertOf(res.Item);
  if (before.state === AlertState.resolved) throw new ConflictError(`alert ${alertId} is already resolved (by ${before.resolved?.by ?? "?"} at ${before.resolved?.at ?? "?"})`);
  const digest = res.Item.digest as string;
  const resolved = { by: action.actor, at: now.toISOString(), reason: action.reason };
  const expiresAt = epoch(now) + Math.round(retentionDays * 86400);
  const update = {
    Update: {
      TableName: table(),
      Key: keys.alert(alertId),
      UpdateExpression: "SET #state = :resolved, resolved = :by, expiresAt = :exp",
      ConditionExpression: "attribute_exists(pk) AND #state <> :resolved",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":resolved": AlertState.resolved, ":by": resolved, ":exp": expiresAt },
    },
  };
  const count = before.model ? [countChange(before.model, -1)] : [];
  const release = {
    Update: {
      TableName: table(),
      Key: keys.alertFingerprint(digest),
      // The claim lives on until the window has passed, then leaves with the TTL.
      UpdateExpression: "SET alertState = :resolved, expiresAt = windowEnd",
      ConditionExpression: "alertId = :id",
      ExpressionAttributeValues: { ":resolved": AlertState.resolved, ":id": alertId },
    },
  };
  try {
    await transactWrite([update, release, ...count]);
  } catch (err) {
    if (!(err instanceof TransactionCanceledException)) throw err;
    const current = await getAlert(alertId);
    if (current.state === AlertState.resolved) throw new ConflictError(`alert ${alertId} is already resolved (by ${current.resolved?.by ?? "?"} at ${current.resolved?.at ?? "?"})`);
    // The fingerprint no longer points here (its claim expired and was taken): resolve without it.
    await transactWrite([update, ...count]);
  }
  return { before, after: { ...before, state: AlertState.resolved, resolved } };
}

