/**
 * The registry's one translation of a cancelled transaction: per-item codes the caller names the conflict by.
 */
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { cancellationCodes, transactWrite } from "../../shared/transact.js";

/** One item of a transaction. */
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Why each item of a cancelled transaction failed (`None` when it did not). */
export type CancellationCodes = string[];

/**
 * Runs a transaction (shared/transact.ts); a cancellation caused by failed conditions alone is returned as
 * the per-item codes so the caller can name the conflict. Any other cancellation was retried there and is
 * thrown as a 503 with nothing written.
 */
export async function transact(items: TransactItem[]): Promise<CancellationCodes | undefined> {
  const { TransactionCanceledException } = await loadDynamo();
  try {
    await transactWrite(items);
    return undefined;
  } catch (err) {
    if (err instanceof TransactionCanceledException) return cancellationCodes(err);
    throw err;
  }
}

/** True when item `index` of a cancelled transaction failed its condition. */
export function failedAt(codes: CancellationCodes, index: number): boolean {
  return codes[index] === "ConditionalCheckFailed";
}
