/**
 * What a failed AWS SDK call means for the caller: a failed condition, a transient failure (retry, then 503),
 * an item the service refused (4xx), or anything else (our bug: 500). Pure — reads only the error's shape
 * (`name`, `$fault`, `$retryable`, `$metadata.httpStatusCode`, a network error's `code`) — so the error
 * mapper (errors.ts) and the write helpers (conditional-write.ts, transact.ts) share it without importing
 * the SDK.
 */

/** What a failed DynamoDB call means for the caller. */
export const WriteFailure = {
  /** The write's condition did not hold. */
  condition: "condition",
  /** Transient (throttling, server error, network): the same call may succeed if sent again. */
  retry: "retry",
  /** DynamoDB refused the item (validation, size): sending it again will not help. */
  refused: "refused",
  /** Anything else: a bug of ours or an unknown failure. */
  other: "other",
} as const;
export type WriteFailure = (typeof WriteFailure)[keyof typeof WriteFailure];

const retryableNames = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "Throttling",
  "RequestLimitExceeded",
  "LimitExceededException",
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TransactionConflictException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);
const retryableCodes = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET"]);
const refusedNames = new Set(["ValidationException", "ItemCollectionSizeLimitExceededException"]);
/** Validation messages that name a malformed request of ours (an expression, a placeholder), not the caller's data. */
const ourBug = /Invalid (UpdateExpression|ConditionExpression|KeyConditionExpression|ProjectionExpression|FilterExpression)|ExpressionAttribute(Names|Values)|unused in expressions|not defined in expression/i;

/** The fields of an SDK v3 error (or a Node network error) the classification reads. */
export interface SdkLikeError {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $fault?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Classifies an error thrown by a DynamoDB call (SDK v3 error shapes; network errors by their code). */
export function classifyWriteError(err: unknown): WriteFailure {
  if (typeof err !== "object" || err === null) return WriteFailure.other;
  const e = err as SdkLikeError;
  const name = e.name ?? "";
  if (name === "ConditionalCheckFailedException") return WriteFailure.condition;
  if (refusedNames.has(name)) return ourBug.test(e.message ?? "") ? WriteFailure.other : WriteFailure.refused;
  if (retryableNames.has(name) || (e.code !== undefined && retryableCodes.has(e.code))) return WriteFailure.retry;
  if (e.$retryable) return WriteFailure.retry;
  if (e.$fault === "server" || (e.$metadata?.httpStatusCode ?? 0) >= 500) return WriteFailure.retry;
  return WriteFailure.other;
}
