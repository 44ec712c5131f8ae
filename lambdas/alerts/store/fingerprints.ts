/**
 * The fingerprint claims of the inbox (`ALERTFP#{digest}`): which alert a fingerprint points to, written
 * in one transaction with the alert it opens and the model's count (lambdas/alerts/open-or-repeat.ts).
 */
import { createHash } from "node:crypto";
import { resourceNames } from "../../shared/env.js";
import { keys, TableKeys } from "../../shared/table.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { transactWrite } from "../../shared/transact.js";
import { AlertState, type AlertType } from "../contract/alert-types.js";
import type { AlertRecord } from "../contract.js";
import { alertOf } from "./alerts.js";
import { countChange } from "./counts.js";

const table = (): string => resourceNames().table;
const epoch = (d: Date): number => Math.floor(d.getTime() / 1000);

/** The digest a fingerprint is claimed under. */
export function fingerprintDigest(model: string | undefined, type: string, fingerprint: string): string {
  return createHash("sha256").update(JSON.stringify([model ?? "", type, fingerprint])).digest("hex").slice(0, 40);
}

/** The alert a fingerprint digest points to, and that alert's state when the pointer was written or released. */
export async function fingerprintTarget(digest: string): Promise<{ alertId: string; alertState: string } | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const res = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.alertFingerprint(digest), ConsistentRead: true }));
  return res.Item as { alertId: string; alertState: string } | undefined;
}

/**
 * Claims the fingerprint for a new alert and writes the alert and its count, in one transaction. The claim
 * holds when no claim exists, or the one there belongs to a resolved alert whose window has passed.
 * @returns false when the claim is held (the alert repeats the one it points to)
 */
export async function claimFingerprint(alert: AlertRecord, claim: { digest: string; fingerprint: string; windowEnd: number; now: Date }): Promise<boolean> {
  const { TransactionCanceledException } = await loadDynamo();
  const { alertId } = alert;
  const iso = alert.firstSeen;
  try {
    await transactWrite([
      {
        Put: {
          TableName: table(),
          Item: { ...keys.alertFingerprint(claim.digest), alertId, alertState: AlertState.open, windowEnd: claim.windowEnd },
          ConditionExpression: "attribute_not_exists(pk) OR (alertState = :resolved AND windowEnd <= :now)",
          ExpressionAttributeValues: { ":resolved": AlertState.resolved, ":now": epoch(claim.now) },
        },
      },
      {
        Put: {
          TableName: table(),
          Item: {
            ...keys.alert(alertId),
            [TableKeys.gsi1PartitionKey]: keys.alertsGsi,
            [TableKeys.gsi1SortKey]: keys.alertsGsiSk(iso, alertId),
            digest: claim.digest,
            fingerprint: claim.fingerprint.slice(0, 2000),
            ...alert,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      ...(alert.model ? [countChange(alert.model, 1)] : []),
    ]);
    return true;
  } catch (err) {
    if (!(err instanceof TransactionCanceledException)) throw err;
    return false;
  }
}

/**
 * Counts one more occurrence of an alert (`ADD occurrences 1`, `lastSeen`).
 * @returns the alert after the count; undefined when it no longer exists (resolved long ago, expired)
 */
export async function countRepeat(alertId: string, at: string): Promise<AlertRecord | undefined> {
  const { UpdateCommand } = await loadDynamo();
  const res = await sendConditional(
    new UpdateCommand({
      TableName: table(),
      Key: keys.alert(alertId),
      UpdateExpression: "ADD occurrences :one SET lastSeen = :now",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":one": 1, ":now": at },
      ReturnValues: "ALL_NEW",
    }),
  );
  return res ? alertOf(res.Attributes as Record<string, unknown>) : undefined;
}

/** The alert a fingerprint currently points to, when it is unresolved. */
export async function unresolvedAlertOf(model: string | undefined, type: AlertType, fingerprint: string): Promise<string | undefined> {
  const target = await fingerprintTarget(fingerprintDigest(model, type, fingerprint));
  return target && target.alertState !== AlertState.resolved ? target.alertId : undefined;
}
