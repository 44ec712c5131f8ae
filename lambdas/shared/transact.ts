/**
 * The one way mlwatch runs a DynamoDB transaction (TransactWriteItems).
 *
 * DynamoDB cancels a transaction for many reasons and reports one code per item in `CancellationReasons`:
 * `ConditionalCheckFailed` (our invariant said no: a conflict the caller names as 409), `TransactionConflict`
 * (another transaction or write was touching an item), `ThrottlingError`, `ProvisionedThroughputExceeded`,
 * `RequestLimitExceeded` (try again), `ValidationError`, `ItemCollectionSizeLimitExceeded` (the item itself
 * was refused). A cancelled transaction writes nothing, whatever the reason. Treating every cancellation as a
 * conflict once answered 409 "already acknowledged" for a write DynamoDB had refused.
 *
 * {@link transactWrite} retries the retryable reasons with bounded, jittered backoff and then answers 503;
 * any other non-condition reason answers 503 at once; a cancellation by conditions only is rethrown as the
 * SDK's `TransactionCanceledException` for the caller to explain.
 */
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { withWriteRetries } from "./conditional-write.js";
import { ServiceUnavailableError } from "./errors.js";
import { loadDynamo } from "./sdk/dynamodb.js";

/** What a cancellation means for the caller. */
export const CancellationKind = {
  /** Only conditions failed (other items `None`): the caller's invariant refused the write. */
  condition: "condition",
  /** A transient reason (conflict, throttling): the same transaction may succeed if sent again. */
  retry: "retry",
  /** DynamoDB refused an item for another reason (validation, size): sending it again will not help. */
  refused: "refused",
} as const;
export type CancellationKind = (typeof CancellationKind)[keyof typeof CancellationKind];

const retryableCodes = new Set(["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"]);

/**
 * Classifies a cancelled transaction by its per-item codes (`None` for items that did not fail).
 * Transient reasons win over conditions: a condition evaluated beside a conflicting write is not yet an answer.
 */
export function classifyCancellation(codes: readonly string[]): CancellationKind {
  const failed = codes.filter((c) => c !== "None");
  if (failed.length > 0 && failed.every((c) => c === "ConditionalCheckFailed")) return CancellationKind.condition;
  if (failed.length > 0 && failed.every((c) => c === "ConditionalCheckFailed" || retryableCodes.has(c))) return CancellationKind.retry;
  return CancellationKind.refused;
}

/** The per-item codes of a `TransactionCanceledException` (`None` where DynamoDB gave none). */
export function cancellationCodes(err: { CancellationReasons?: ReadonlyArray<{ Code?: string }> }): string[] {
  return (err.CancellationReasons ?? []).map((r) => r.Code ?? "None");
}

/** Attempts of a transaction cancelled for transient reasons, and the first backoff (doubling, jittered). */
export const transactAttempts = 4;
const firstBackoffMs = 25;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one transaction.
 * @throws TransactionCanceledException when conditions alone cancelled it (the caller answers 409)
 * @throws ServiceUnavailableError (503) when it was cancelled for any other reason, after up to
 *   {@link transactAttempts} attempts for transient reasons; nothing was written
 */
export async function transactWrite(items: NonNullable<TransactWriteCommandInput["TransactItems"]>): Promise<void> {
  const { TransactWriteCommand, TransactionCanceledException, documentClient } = await loadDynamo();
  for (let attempt = 1; ; attempt++) {
    try {
      // Throttling and server errors outside a cancellation: retried, then 503; a refused request 400/413.
      await withWriteRetries(() => documentClient().send(new TransactWriteCommand({ TransactItems: items })), "the transaction");
      return;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const codes = cancellationCodes(err);
      const kind = classifyCancellation(codes);
      if (kind === CancellationKind.condition) throw err;
      if (kind === CancellationKind.retry && attempt < transactAttempts) {
        const base = firstBackoffMs * 2 ** (attempt - 1);
        await sleep(base / 2 + Math.random() * base);
        continue;
      }
      const why = codes.filter((c) => c !== "None").join(", ") || "no reason given";
      const tries = kind === CancellationKind.retry ? ` after ${attempt} attempts` : "";
      throw new ServiceUnavailableError(`the write was cancelled (${why})${tries}; nothing was written, send the request again`, { cause: err });
    }
  }
}
