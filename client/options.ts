/** The client's options: how it reaches the API, and per request. */
import type { AwsCredentials } from "./sigv4.js";

/** The local server's address, the client's and the CLI's default endpoint. */
export const defaultEndpoint = "http://127.0.0.1:3000";

/** Options of {@link MlwatchClient}. */
export interface MlwatchClientOptions {
  /** The API's base URL, with the stage for the deployed API (`https://{id}.execute-api.{region}.amazonaws.com/v1`). @default process.env.MLWATCH_ENDPOINT ?? "http://127.0.0.1:3000" */
  readonly endpoint?: string | undefined;
  /** `sigv4` signs every request; `none` sends them plain. @default "none" for loopback hosts (the local server), else "sigv4" */
  readonly auth?: "sigv4" | "none" | undefined;
  /** Region of the signature. @default the region in an execute-api host name, else AWS_REGION / AWS_DEFAULT_REGION */
  readonly region?: string | undefined;
  /** Credentials, or a function that resolves them. @default the AWS SDK's default provider chain (`@aws-sdk/credential-provider-node`, an optional peer dependency) */
  readonly credentials?: AwsCredentials | (() => Promise<AwsCredentials>) | undefined;
  /** Attempts per request, the first included. @default 4 */
  readonly maxAttempts?: number | undefined;
  /** First retry delay before jitter, doubled every retry. @default 200 */
  readonly retryBaseMs?: number | undefined;
  /** Longest wait between attempts. @default 5000 */
  readonly maxRetryDelayMs?: number | undefined;
  /** Per-attempt timeout. @default 30000 */
  readonly timeoutMs?: number | undefined;
  /** The fetch implementation. @default globalThis.fetch */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Local mode only: the actor the local server records (header `x-mlwatch-actor`), so two people can be
   * played on one machine. The deployed API ignores it: there the actor is the IAM principal that signed.
   * @default none (the local server records `local`)
   */
  readonly actor?: string | undefined;
}

/** Per-request options of {@link MlwatchClient.request}. */
export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>> | undefined;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Answer as text rather than parsed JSON. */
  readonly text?: boolean | undefined;
}

/** Options of a call that creates something. */
export interface WriteOptions {
  /** The `Idempotency-Key`: the same key within 24 hours replays the first answer. @default a random UUID per call (kept across retries) */
  readonly idempotencyKey?: string | undefined;
}
