/**
 * The cost of one drift check, from what its own run used: Lambda GB-seconds (measured duration × the
 * function's configured memory), Step Functions state transitions (the fan-out's states), and S3 requests
 * (counted by the S3 client as they are sent, retries included), priced per request tier.
 *
 * estimatedUsd = lambdaGbSeconds × lambdaGbSecondUsd + stepFunctionsTransitions × stepFunctionsTransitionUsd
 *              + s3WriteRequests × s3WriteRequestUsd + s3ReadRequests × s3ReadRequestUsd
 *
 * S3 tiers as AWS bills them: PUT, COPY, POST and LIST are the write tier; GET, HEAD and the rest the read
 * tier; DELETE is free. Free tiers, the per-invocation Lambda fee and data transfer are not counted.
 * The defaults are AWS's published on-demand prices for us-east-1 (Lambda on arm64, the first pricing tier: 7.5 billion GB-s a month;
 * Step Functions Standard workflows; S3 Standard), read on 2026-12-06; a stack sets its own (lib/config.ts).
 */

/** The unit prices a check is costed at, in US dollars. */
export interface CheckPrices {
  /** One GB-second of Lambda compute (arm64). */
  readonly lambdaGbSecondUsd: number;
  /** One Step Functions Standard state transition. */
  readonly stepFunctionsTransitionUsd: number;
  /** One S3 PUT, COPY, POST or LIST request. */
  readonly s3WriteRequestUsd: number;
  /** One S3 GET, HEAD or other read request. */
  readonly s3ReadRequestUsd: number;
}

/** AWS's published us-east-1 prices (read 2026-12-06): $0.0000133334 per GB-s on arm64, $0.025 per 1,000 transitions, $0.005 / $0.0004 per 1,000 S3 requests. */
export const defaultCheckPrices: CheckPrices = {
  lambdaGbSecondUsd: 0.0000133334,
  stepFunctionsTransitionUsd: 0.000025,
  s3WriteRequestUsd: 0.000005,
  s3ReadRequestUsd: 0.0000004,
};

/** What a check's run used. */
export interface CheckUsage {
  readonly lambdaGbSeconds: number;
  readonly stepFunctionsTransitions: number;
  readonly s3ReadRequests: number;
  readonly s3WriteRequests: number;
}

/** A check's cost as its report answers it. */
export interface CheckCost {
  readonly lambdaGbSeconds: number;
  readonly stepFunctionsTransitions: number;
  /** Every S3 request the check sent (both tiers). */
  readonly s3Requests: number;
  readonly s3RequestsByTier: { readonly write: number; readonly read: number };
  /** The sum of the four at the prices below. */
  readonly estimatedUsd: number;
  readonly prices: CheckPrices;
}

/**
 * GB-seconds of a run: duration in seconds × memory in GB (MB / 1024, as Lambda bills).
 * @throws RangeError when the duration or memory is negative or not finite
 * @example lambdaGbSeconds(2000, 1024) // 2
 */
export function lambdaGbSeconds(durationMs: number, memoryMb: number): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new RangeError(`lambdaGbSeconds requires a duration of at least 0 ms, got ${durationMs}`);
  if (!Number.isFinite(memoryMb) || memoryMb < 0) throw new RangeError(`lambdaGbSeconds requires a memory of at least 0 MB, got ${memoryMb}`);
  return (durationMs / 1000) * (memoryMb / 1024);
}

/**
 * State transitions of one fan-out execution: the Distributed Map state, one `SummariseShard` state per
 * child execution (one shard each), the `MergeSummaries` state. Retried states are billed again and not
 * counted here.
 * @example fanOutTransitions(3) // 5
 */
export function fanOutTransitions(shards: number): number {
  if (!Number.isInteger(shards) || shards < 0) throw new RangeError(`fanOutTransitions requires a whole number of shards, got ${shards}`);
  return shards + 2;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * Prices a check's usage.
 * @example checkCost({ lambdaGbSeconds: 10, stepFunctionsTransitions: 0, s3ReadRequests: 100, s3WriteRequests: 3 }, defaultCheckPrices).estimatedUsd // 0.000188
 */
export function checkCost(usage: CheckUsage, prices: CheckPrices = defaultCheckPrices): CheckCost {
  for (const [name, v] of Object.entries(usage)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`checkCost requires ${name} of at least 0, got ${v}`);
  }
  const usd =
    usage.lambdaGbSeconds * prices.lambdaGbSecondUsd +
    usage.stepFunctionsTransitions * prices.stepFunctionsTransitionUsd +
    usage.s3WriteRequests * prices.s3WriteRequestUsd +
    usage.s3ReadRequests * prices.s3ReadRequestUsd;
  return {
    lambdaGbSeconds: round(usage.lambdaGbSeconds, 3),
    stepFunctionsTransitions: usage.stepFunctionsTransitions,
    s3Requests: usage.s3ReadRequests + usage.s3WriteRequests,
    s3RequestsByTier: { write: usage.s3WriteRequests, read: usage.s3ReadRequests },
    estimatedUsd: round(usd, 8),
    prices,
  };
}

/** S3 commands billed at the write tier (PUT, COPY, POST, LIST); DeleteObject(s) is free. */
const writeTier = /^(Put|Copy|Create|Upload|Complete|List|Select|Restore)/;

/** The billing tier of an S3 command by its SDK name (`PutObjectCommand` → "write"). */
export function s3RequestTier(commandName: string): "write" | "read" | "free" {
  const op = commandName.replace(/Command$/, "");
  if (/^Delete/.test(op) || op === "AbortMultipartUpload") return "free";
  return writeTier.test(op) ? "write" : "read";
}
