/** Settings every AWS SDK client shares (lambdas/shared/aws/*.ts). */

/** True when `AWS_ENDPOINT_URL` points the clients at an emulator (local mode, tests): S3 then needs path-style URLs. */
export const endpointOverride = (): boolean => Boolean(process.env.AWS_ENDPOINT_URL);

/** How long a request may wait, in milliseconds (see {@link clientDefaults}). */
export interface HttpTimeouts {
  /** Opening the connection. @default 5,000 */
  readonly connectMs: number;
  /**
   * A socket with no byte moving either way, before or during the response body: the request (or the body
   * stream being read) fails with a `TimeoutError`. @default 60,000 against AWS, 300,000 against an
   * endpoint override (the emulator is one Python process on a possibly loaded machine)
   */
  readonly idleMs: number;
}

/** The timeouts of {@link clientDefaults}. */
export const httpTimeouts = (): HttpTimeouts => ({ connectMs: 5_000, idleMs: endpointOverride() ? 300_000 : 60_000 });

/**
 * The options every client is built with. Transient errors are retried by the SDK; three attempts keep a
 * Lambda well within its timeout. The SDK's HTTP handler has no timeout by default, so a connection that
 * stalls (no answer, or a body that stops half-way) would hold the request, and the job waiting on it,
 * forever; with these a stall becomes a `TimeoutError`, which the SDK retries while the response has not
 * begun and the S3 reader resumes once it has (readers/s3-source.ts, `objectChunks`).
 */
export function clientDefaults(timeouts: HttpTimeouts = httpTimeouts()) {
  return { maxAttempts: 3, requestHandler: { connectionTimeout: timeouts.connectMs, socketTimeout: timeouts.idleMs } } as const;
}
