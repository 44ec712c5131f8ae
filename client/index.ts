/**
 * The mlwatch API client: `import { MlwatchClient } from "mlwatch"`.
 *
 * Against the deployed API (API Gateway, AWS_IAM) every request is signed with SigV4 using credentials from
 * the default provider chain (environment, shared config/SSO, container and instance roles); against the
 * local server (`mlwatch serve`, a loopback address) requests go unsigned. Requests and answers are typed
 * from the services' zod schemas. 429 and 5xx answers and network failures are retried with exponential
 * backoff and full jitter (honouring `Retry-After`); POSTs carry an `Idempotency-Key` so a retry never
 * applies twice. Refusals throw `MlwatchApiError` with the API's code and message.
 *
 * @example
 * const client = new MlwatchClient({ endpoint: "https://abc123.execute-api.eu-west-1.amazonaws.com/v1" });
 * const v = await client.registerVersion("churn", { artifactUri: "s3://models/churn/model.tar.gz", metrics: { auc: 0.91 } });
 * const check = await client.checkDrift("churn", { records: [{ age: 42, plan: "pro" }] });
 * if (check.driftDetected) console.log(check.driftedFeatures);
 */
import { randomUUID } from "node:crypto";
import { MlwatchApiError, MlwatchNetworkError } from "./errors.js";
import { signRequest, type AwsCredentials } from "./sigv4.js";
import type {
  Baseline,
  BaselineList,
  CreateBaselineInput,
  DriftCheck,
  DriftCheckInput,
  DriftCheckList,
  Model,
  ModelPage,
  ModelVersion,
  ModelVersionPage,
  PerformanceReport,
  ProductionVersion,
  PromoteInput,
  Promotion,
  RecordBatchInput,
  RegisteredVersion,
  RegisterVersionInput,
  RequestRetrainingInput,
  RetrainingPolicy,
  RetrainingPolicyInput,
  RetrainingRequest,
  RetrainingRequestPage,
  RollbackInput,
  RollbackResult,
} from "./types.js";

export { ApiErrorCode, MlwatchApiError, MlwatchNetworkError } from "./errors.js";
export { signRequest, type AwsCredentials, type SignOptions, type SignableRequest } from "./sigv4.js";
export type * from "./types.js";

/** The local server's address, the client's and the CLI's default endpoint. */
export const defaultEndpoint = "http://127.0.0.1:3000";

/** Options of {@link MlwatchClient}. */
export interface MlwatchClientOptions {
  /** The API's base URL, with the stage for the deployed API (`https://{id}.execute-api.{region}.amazonaws.com/v1`). @default process.env.MLWATCH_ENDPOINT ?? "http://127.0.0.1:3000" */
  readonly endpoint?: string;
  /** `sigv4` signs every request; `none` sends them plain. @default "none" for loopback hosts (the local server), else "sigv4" */
  readonly auth?: "sigv4" | "none";
  /** Region of the signature. @default the region in an execute-api host name, else AWS_REGION / AWS_DEFAULT_REGION */
  readonly region?: string;
  /** Credentials, or a function that resolves them. @default the AWS SDK's default provider chain */
  readonly credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
  /** Attempts per request, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** First retry delay before jitter, doubled every retry. @default 200 */
  readonly retryBaseMs?: number;
  /** Longest wait between attempts. @default 5000 */
  readonly maxRetryDelayMs?: number;
  /** Per-attempt timeout. @default 30000 */
  readonly timeoutMs?: number;
  /** The fetch implementation. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** Per-request options. */
export interface RequestOptions {
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Answer as text rather than parsed JSON. */
  readonly text?: boolean;
}

const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const seg = (value: string): string => encodeURIComponent(value);

/** Whether an answer with this status is worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/** The wait before retry `retry` (1-based): full jitter over an exponential ceiling, or the server's Retry-After. */
export function retryDelayMs(retry: number, baseMs: number, maxMs: number, retryAfter?: string | null, random = Math.random): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(maxMs, seconds * 1000);
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** (retry - 1)));
}

/** A typed client of the mlwatch API (deployed or local). */
export class MlwatchClient {
  /** The base URL every path is appended to. */
  public readonly endpoint: string;
  /** Whether requests are signed. */
  public readonly auth: "sigv4" | "none";
  private readonly options: MlwatchClientOptions;
  private readonly fetchFn: typeof fetch;
  private credentialProvider?: () => Promise<AwsCredentials>;

  public constructor(options: MlwatchClientOptions = {}) {
    this.options = options;
    this.endpoint = (options.endpoint ?? (process.env.MLWATCH_ENDPOINT || defaultEndpoint)).replace(/\/+$/, "");
    const host = new URL(this.endpoint).hostname;
    this.auth = options.auth ?? (loopback.test(host) ? "none" : "sigv4");
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  /** The signature's region. */
  private region(): string {
    if (this.options.region) return this.options.region;
    const fromHost = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(this.endpoint).hostname)?.[1];
    const region = fromHost ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error("MlwatchClient: no region to sign with; pass region or set AWS_REGION");
    return region;
  }

  private async credentials(): Promise<AwsCredentials> {
    const given = this.options.credentials;
    if (given !== undefined) return typeof given === "function" ? given() : given;
    if (!this.credentialProvider) {
      // Loaded only when signing: local use never pulls in the provider chain.
      const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
      this.credentialProvider = defaultProvider();
    }
    return this.credentialProvider();
  }

  /**
   * Sends one request (with retries) and returns the parsed answer.
   * @throws {MlwatchApiError} for a 4xx, or a 429/5xx still failing after the last attempt
   * @throws {MlwatchNetworkError} when no attempt got an answer
   */
  public async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.endpoint + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const base: Record<string, string> = { accept: options.text ? "text/html, application/json" : "application/json", ...lower(options.headers) };
    if (body !== undefined) base["content-type"] = "application/json";
    if (method.toUpperCase() === "POST" && base["idempotency-key"] === undefined) base["idempotency-key"] = randomUUID();
    const label = `${method.toUpperCase()} ${url.pathname}`;
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 4);

    for (let attempt = 1; ; attempt++) {
      let headers = base;
      if (this.auth === "sigv4") {
        headers = signRequest({ method, url, headers: base, body }, { credentials: await this.credentials(), region: this.region() });
        delete headers.host; // fetch sets it from the URL, the same value that was signed
      }
      let res: Response;
      try {
        res = await this.fetchFn(url, { method, headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
      } catch (err) {
        if (attempt < maxAttempts) {
          await sleep(retryDelayMs(attempt, this.options.retryBaseMs ?? 200, this.options.maxRetryDelayMs ?? 5000));
          continue;
        }
        const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
        throw new MlwatchNetworkError(`${label}: no answer from ${this.endpoint} after ${attempt} attempt${attempt > 1 ? "s" : ""} (${reason})`, label, { cause: err });
      }
      const text = await res.text();
      if (res.ok) {
        if (options.text) return text as T;
        return (text ? JSON.parse(text) : undefined) as T;
      }
      if (isRetryableStatus(res.status) && attempt < maxAttempts) {
        await sleep(retryDelayMs(attempt, this.options.retryBaseMs ?? 200, this.options.maxRetryDelayMs ?? 5000, res.headers.get("retry-after")));
        continue;
      }
      throw apiError(res, text, label);
    }
  }

  // --------------------------------------------------------------------------------------------- registry

  /** `GET /health`: the service and each AWS dependency. */
  public health(): Promise<{ status: "ok" | "degraded"; dependencies: Record<string, { ok: boolean; latencyMs: number }> }> {
    return this.request("GET", "/health");
  }

  /** `GET /models`: one page of models. */
  public listModels(page: { limit?: number; nextToken?: string } = {}): Promise<ModelPage> {
    return this.request("GET", "/models", { query: page });
  }

  /** `GET /models/{model}`. */
  public getModel(model: string): Promise<Model> {
    return this.request("GET", `/models/${seg(model)}`);
  }

  /** `GET /models/{model}/versions`: one page of versions, highest first. */
  public listVersions(model: string, options: { stage?: ModelVersion["stage"]; limit?: number; nextToken?: string } = {}): Promise<ModelVersionPage> {
    return this.request("GET", `/models/${seg(model)}/versions`, { query: options });
  }

  /** `GET /models/{model}/versions/{version}`. */
  public getVersion(model: string, version: string): Promise<ModelVersion> {
    return this.request("GET", `/models/${seg(model)}/versions/${seg(version)}`);
  }

  /** `GET /models/{model}/stages/production`: what a serving job loads. */
  public getProduction(model: string): Promise<ProductionVersion> {
    return this.request("GET", `/models/${seg(model)}/stages/production`);
  }

  /** `POST /models/{model}/versions`: registers a version (the next minor one when `version` is omitted). */
  public registerVersion(model: string, input: RegisterVersionInput, options: { idempotencyKey?: string } = {}): Promise<RegisteredVersion> {
    return this.request("POST", `/models/${seg(model)}/versions`, { body: input, headers: idempotency(options) });
  }

  /** `POST …/promote`: development → staging → production (gated), or → archived. */
  public promote(model: string, version: string, input: PromoteInput): Promise<Promotion> {
    return this.request("POST", `/models/${seg(model)}/versions/${seg(version)}/promote`, { body: input });
  }

  /** `POST /models/{model}/rollback`: the previous production version becomes production again. */
  public rollback(model: string, input: RollbackInput): Promise<RollbackResult> {
    return this.request("POST", `/models/${seg(model)}/rollback`, { body: input });
  }

  // ------------------------------------------------------------------------------------------------ drift

  /** `POST /models/{model}/baselines`: inline records (ready at once) or S3 data (building). */
  public createBaseline(model: string, input: CreateBaselineInput): Promise<Baseline> {
    return this.request("POST", `/models/${seg(model)}/baselines`, { body: input });
  }

  /** `GET /models/{model}/baselines`. */
  public listBaselines(model: string): Promise<BaselineList> {
    return this.request("GET", `/models/${seg(model)}/baselines`);
  }

  /** `POST /models/{model}/drift-checks`: inline records answer with the report; S3 data answers `pending`. */
  public checkDrift(model: string, input: DriftCheckInput): Promise<DriftCheck> {
    return this.request("POST", `/models/${seg(model)}/drift-checks`, { body: input });
  }

  /** `GET /models/{model}/drift-checks/{checkId}`: status, summary and, once completed, the report. */
  public getDriftCheck(model: string, checkId: string): Promise<DriftCheck> {
    return this.request("GET", `/models/${seg(model)}/drift-checks/${seg(checkId)}`);
  }

  /** `GET /models/{model}/drift-checks`: newest first. */
  public listDriftChecks(model: string, options: { limit?: number } = {}): Promise<DriftCheckList> {
    return this.request("GET", `/models/${seg(model)}/drift-checks`, { query: options });
  }

  /** `GET /models/{model}/drift-checks/{checkId}/report.html`: the self-contained HTML report. */
  public getDriftReportHtml(model: string, checkId: string): Promise<string> {
    return this.request("GET", `/models/${seg(model)}/drift-checks/${seg(checkId)}/report.html`, { text: true });
  }

  /** Polls an asynchronous check until it is completed or failed. */
  public async waitForDriftCheck(model: string, checkId: string, options: { intervalMs?: number; timeoutMs?: number } = {}): Promise<DriftCheck> {
    const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
    for (;;) {
      const check = await this.getDriftCheck(model, checkId);
      if (check.status === "completed" || check.status === "failed") return check;
      if (Date.now() > deadline) throw new Error(`drift check ${checkId} of ${model} still ${check.status} after the timeout`);
      await sleep(options.intervalMs ?? 2000);
    }
  }

  // ------------------------------------------------------------------------------------------ performance

  /** `POST /models/{model}/versions/{version}/batches`: records predictions with their actuals. */
  public recordBatch(model: string, version: string, input: RecordBatchInput): Promise<Record<string, unknown>> {
    return this.request("POST", `/models/${seg(model)}/versions/${seg(version)}/batches`, { body: input });
  }

  /** `GET /models/{model}/performance`: window metrics, per-day aggregates, trend, worst batches. */
  public performanceReport(model: string, options: { days?: number; version?: string } = {}): Promise<PerformanceReport> {
    return this.request("GET", `/models/${seg(model)}/performance`, { query: options });
  }

  // ------------------------------------------------------------------------------------------- retraining

  /** `POST /models/{model}/retraining`: publishes `mlwatch Retraining Requested` (trigger manual; never rate-limited). */
  public requestRetraining(model: string, input: RequestRetrainingInput): Promise<RetrainingRequest> {
    return this.request("POST", `/models/${seg(model)}/retraining`, { body: input });
  }

  /** `GET /models/{model}/retraining-policy` (every trigger off when none was set). */
  public getRetrainingPolicy(model: string): Promise<RetrainingPolicy> {
    return this.request("GET", `/models/${seg(model)}/retraining-policy`);
  }

  /** `PUT /models/{model}/retraining-policy`: replaces the policy (an absent trigger is off). */
  public setRetrainingPolicy(model: string, input: RetrainingPolicyInput): Promise<RetrainingPolicy> {
    return this.request("PUT", `/models/${seg(model)}/retraining-policy`, { body: input });
  }

  /** `GET /models/{model}/retraining-requests`: requested, suppressed and failed requests, newest first. */
  public listRetrainingRequests(model: string, page: { limit?: number; nextToken?: string } = {}): Promise<RetrainingRequestPage> {
    return this.request("GET", `/models/${seg(model)}/retraining-requests`, { query: page });
  }
}

function lower(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function idempotency(options: { idempotencyKey?: string }): Record<string, string> | undefined {
  return options.idempotencyKey ? { "idempotency-key": options.idempotencyKey } : undefined;
}

function apiError(res: Response, text: string, label: string): MlwatchApiError {
  let code = `HTTP_${res.status}`;
  let message = text.slice(0, 500) || res.statusText || `HTTP ${res.status}`;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string }; message?: string };
    if (parsed.error?.code) code = parsed.error.code;
    if (parsed.error?.message) message = parsed.error.message;
    else if (typeof parsed.message === "string") message = parsed.message; // API Gateway's default shape
  } catch {
    // not JSON: keep the text
  }
  return new MlwatchApiError(res.status, code, message, label, { requestId: res.headers.get("x-request-id") ?? undefined });
}
