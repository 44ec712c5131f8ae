/**
 * What the work running now has used: a context per check (`measureUsage`) that the S3 client's middleware
 * (aws/s3.ts) counts each request into, with the time the context started. Contexts nest: a request counts
 * in the innermost one only (an in-process fan-out's shards each count their own, as their Lambdas would).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { s3RequestTier } from "../core/cost/check-cost.js";
import { EnvName } from "./env.js";
import { defaultCheckPrices, type CheckPrices } from "../core/cost/check-cost.js";
import { deployedMemoryMb, type FunctionRole } from "./function-memory.js";

/** Requests and start time of one measured run. */
export interface Usage {
  s3ReadRequests: number;
  s3WriteRequests: number;
  readonly startedAt: number;
  /** The function the run is in when deployed (its memory prices the run in local mode). */
  readonly role: FunctionRole;
}

const storage = new AsyncLocalStorage<Usage>();

/**
 * Runs `fn` in a fresh usage context.
 * @param role the function this work runs in when deployed @default "driftWorker"
 */
export function measureUsage<T>(fn: () => Promise<T>, role: FunctionRole = "driftWorker"): Promise<T> {
  return storage.run({ s3ReadRequests: 0, s3WriteRequests: 0, startedAt: performance.now(), role }, fn);
}

/** The innermost usage context, if any. */
export function currentUsage(): Usage | undefined {
  return storage.getStore();
}

/** Counts one S3 request (one attempt) in the current context. */
export function countS3Request(commandName: string): void {
  const usage = storage.getStore();
  if (!usage) return;
  const tier = s3RequestTier(commandName);
  if (tier === "write") usage.s3WriteRequests += 1;
  else if (tier === "read") usage.s3ReadRequests += 1;
}

/** What a drift function is configured with when no Lambda and no usage context tell (local mode): the worker's default memory. */
export const localCheckMemoryMb = deployedMemoryMb.driftWorker;

/**
 * The memory this code runs with: Lambda's own variable; without it (local mode, one Node process) the
 * memory the deployed function would have — the current usage context's function, else the worker's — so a
 * local check costs what the same check costs deployed, whatever the local process has.
 */
export function functionMemoryMb(): number {
  const n = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "");
  if (Number.isFinite(n) && n > 0) return n;
  return deployedMemoryMb[storage.getStore()?.role ?? "driftWorker"];
}

/** The prices checks are costed at (context settings passed as JSON; the published us-east-1 defaults otherwise). */
export function checkPrices(): CheckPrices {
  const raw = process.env[EnvName.checkPrices];
  if (!raw) return defaultCheckPrices;
  try {
    const parsed = JSON.parse(raw) as Partial<Record<keyof CheckPrices, unknown>>;
    const pick = (k: keyof CheckPrices): number => (typeof parsed[k] === "number" && Number.isFinite(parsed[k]) && (parsed[k] as number) >= 0 ? (parsed[k] as number) : defaultCheckPrices[k]);
    return { lambdaGbSecondUsd: pick("lambdaGbSecondUsd"), stepFunctionsTransitionUsd: pick("stepFunctionsTransitionUsd"), s3WriteRequestUsd: pick("s3WriteRequestUsd"), s3ReadRequestUsd: pick("s3ReadRequestUsd") };
  } catch {
    return defaultCheckPrices;
  }
}
