/**
 * When and how long the client waits before sending a request again: 429 and 5xx answers (not 501), a key
 * still in progress (409 IDEMPOTENCY_IN_PROGRESS), with exponential backoff and full jitter, or the server's
 * Retry-After.
 */

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a wait helper polls: `intervalMs` between reads (default 2 s), `timeoutMs` in all (default 15 minutes). */
export interface PollOptions {
  readonly intervalMs?: number | undefined;
  readonly timeoutMs?: number | undefined;
}

/**
 * Reads a job until its `status` is `completed` or `failed` and returns that read.
 * @throws Error naming `what` and the last status after the timeout
 */
export async function pollUntilDone<T extends { status?: unknown }>(read: () => Promise<T>, what: string, options: PollOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const job = await read();
    if (job.status === "completed" || job.status === "failed") return job;
    if (Date.now() > deadline) throw new Error(`${what} still ${String(job.status)} after the timeout`);
    await sleep(options.intervalMs ?? 2000);
  }
}

/** Whether an answer with this status is worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/**
 * Whether a 409 says the first request with this Idempotency-Key is still running (`IDEMPOTENCY_IN_PROGRESS`):
 * an attempt that timed out on a slow server was sent again, so the client waits and sends it once more.
 */
export function isInProgress(status: number, text: string): boolean {
  if (status !== 409) return false;
  try {
    return (JSON.parse(text) as { error?: { code?: unknown } }).error?.code === "IDEMPOTENCY_IN_PROGRESS";
  } catch {
    return false;
  }
}

/** The wait before retry `retry` (1-based): full jitter over an exponential ceiling, or the server's Retry-After. */
export function retryDelayMs(retry: number, baseMs: number, maxMs: number, retryAfter?: string | null, random = Math.random): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(maxMs, seconds * 1000);
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** (retry - 1)));
}
