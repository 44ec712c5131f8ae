/**
 * The one way mlwatch sends a single conditional write (PutItem, UpdateItem or DeleteItem with a
 * `ConditionExpression`) outside a transaction, and the one place where a failed DynamoDB write becomes an
 * answer.
 *
 * A single write fails in three ways that must never look alike to a caller:
 * - its condition did not hold (`ConditionalCheckFailedException`): our invariant said no. The caller says
 *   what that means — a conflict, something not found, or simply `false` ("another request won");
 * - DynamoDB was busy or failing (throttling, a server error, a lost connection): the same write may succeed
 *   if sent again. It is retried with bounded, jittered backoff, then answered 503 `SERVICE_UNAVAILABLE`;
 * - DynamoDB refused the item itself (`ValidationException`: larger than 400 KB, an empty key, …): sending it
 *   again will not help. Answered 413 for an item too large, 400 otherwise.
 * A failed single write writes nothing, whatever the reason. Anything else (an expression DynamoDB cannot
 * parse is our bug, not the caller's) is rethrown, answered 500 and logged with its stack.
 */
import type { DeleteCommand, DeleteCommandOutput, PutCommand, PutCommandOutput, UpdateCommand, UpdateCommandOutput } from "@aws-sdk/lib-dynamodb";
import { PayloadTooLargeError, ServiceUnavailableError, ValidationError } from "./errors.js";
import { loadDynamo } from "./sdk/dynamodb.js";
import { WriteFailure, classifyWriteError, type SdkLikeError } from "./write-failure.js";

export { WriteFailure, classifyWriteError } from "./write-failure.js";

/**
 * The typed error a refused item is answered with: 413 when DynamoDB says it is too large, 400 otherwise
 * (DynamoDB's reason quoted, cut to 200 characters).
 */
export function refusedWriteError(err: unknown): PayloadTooLargeError | ValidationError {
  const message = String((err as SdkLikeError).message ?? "");
  if (/size|too large|exceed/i.test(message) || (err as SdkLikeError).name === "ItemCollectionSizeLimitExceededException") {
    return new PayloadTooLargeError("the record is larger than the table stores (400 KB per item); send less data in one request", { cause: err });
  }
  return new ValidationError(`the record was refused by the table: ${message.slice(0, 200) || "no reason given"}`, { cause: err });
}

/** Attempts of a write that failed for transient reasons, and the first backoff (doubling, jittered). */
export const writeAttempts = 4;
const firstBackoffMs = 25;

/** The wait before attempt `attempt + 1`: 25 ms doubling, jittered to between half and one and a half of it. */
export function backoffMs(attempt: number): number {
  const base = firstBackoffMs * 2 ** (attempt - 1);
  return base / 2 + Math.random() * base;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, retrying transient failures with bounded backoff; a transient failure that outlasts
 * {@link writeAttempts} attempts becomes a 503, a refused item a 400/413. Other errors (a failed condition
 * included) are rethrown as they are.
 */
export async function withWriteRetries<T>(call: () => Promise<T>, what = "the write"): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const kind = classifyWriteError(err);
      if (kind === WriteFailure.refused) throw refusedWriteError(err);
      if (kind !== WriteFailure.retry) throw err;
      if (attempt < writeAttempts) {
        await sleep(backoffMs(attempt));
        continue;
      }
      const name = (err as SdkLikeError).name ?? "error";
      throw new ServiceUnavailableError(`${what} failed (${name}) after ${attempt} attempts; nothing was written, send the request again`, { cause: err });
    }
  }
}

/** A single write command of the document client. */
export type ConditionalCommand = PutCommand | UpdateCommand | DeleteCommand;
/** What the document client answers for `C`. */
export type ConditionalOutput<C extends ConditionalCommand> = C extends UpdateCommand ? UpdateCommandOutput : C extends PutCommand ? PutCommandOutput : DeleteCommandOutput;

/** Options of {@link sendConditional}. */
export interface SendConditionalOptions {
  /**
   * The error to throw when the condition does not hold (e.g. a `ConflictError` or `NotFoundError` naming
   * the record). Called with the SDK's exception, to pass as `cause`.
   * @default undefined — the failed condition is answered as `undefined`
   */
  readonly onConditionFailed?: (err: unknown) => Error;
  /**
   * The client to send with (tests give a fake one).
   * @default the document client (lambdas/shared/aws/dynamodb.ts)
   */
  readonly client?: { send(command: ConditionalCommand): Promise<unknown> };
}

/**
 * Sends one conditional write.
 * @returns the command's output, or `undefined` when its condition did not hold and no `onConditionFailed` was given
 * @throws what `onConditionFailed` returns, when the condition did not hold
 * @throws ServiceUnavailableError (503) when DynamoDB stayed busy or failing over {@link writeAttempts} attempts
 * @throws PayloadTooLargeError (413) / ValidationError (400) when DynamoDB refused the item
 * @example
 *   const won = await sendConditional(new UpdateCommand({ …, ConditionExpression: "nextScheduledAt = :due" }));
 *   if (!won) return false; // another scheduler run took the slot
 */
export async function sendConditional<C extends ConditionalCommand>(command: C, options: SendConditionalOptions = {}): Promise<ConditionalOutput<C> | undefined> {
  const client = options.client ?? ((await loadDynamo()).documentClient() as unknown as NonNullable<SendConditionalOptions["client"]>);
  try {
    return (await withWriteRetries(() => client.send(command))) as ConditionalOutput<C>;
  } catch (err) {
    if (classifyWriteError(err) !== WriteFailure.condition) throw err;
    if (options.onConditionFailed) throw options.onConditionFailed(err);
    return undefined;
  }
}
