/**
 * The mlwatch API client: `import { MlwatchClient } from "@mlwatch/client"`.
 *
 * Against the deployed API (API Gateway, AWS_IAM) every request is signed with SigV4 (the AWS SDK's
 * signer, `@smithy/signature-v4`) using the credentials you pass or, when you pass none, those of the AWS
 * SDK's default provider chain (environment, shared config/SSO, container and instance roles; install
 * `@aws-sdk/credential-provider-node` for it); against the local server (`mlwatch serve`, a loopback
 * address) requests go unsigned. One method per API operation (client/operations.json maps each
 * `METHOD /path` to its method), typed from the services' contracts. 429 and 5xx answers and network
 * failures are retried with exponential backoff and full jitter (honouring `Retry-After`); POSTs carry an
 * `Idempotency-Key` so a retry never applies twice. Refusals throw `MlwatchApiError` with the API's code
 * and message.
 *
 * @example
 * const client = new MlwatchClient({ endpoint: "https://abc123.execute-api.eu-west-1.amazonaws.com/v1" });
 * const v = await client.registerVersion("churn", { artifactUri: "s3://models/churn/model.tar.gz", metrics: { auc: 0.91 } });
 * const check = await client.checkDrift("churn", { records: [{ age: 42, plan: "pro" }] });
 * if (check.driftDetected) console.log(check.driftedFeatures);
 */
import { randomUUID } from "node:crypto";
import { operationRoutes, type Answer, type Body, type OperationName, type Operations, type Query } from "./api-types.js";
import { MlwatchApiError, MlwatchNetworkError } from "./errors.js";
import { signRequest, type AwsCredentials } from "./sigv4.js";

export { ApiErrorCode, MlwatchApiError, MlwatchNetworkError } from "./errors.js";
export { signRequest, type AwsCredentials, type SignOptions, type SignableRequest } from "./sigv4.js";
export { operationRoutes } from "./api-types.js";
export type * from "./api-types.js";
export type * from "./types.js";

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

const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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

/** A typed client of the mlwatch API (deployed or local): one method per operation. */
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
      // Loaded only when signing without given credentials: local use never pulls in the provider chain.
      const name = "@aws-sdk/credential-provider-node";
      let chain: { defaultProvider: () => () => Promise<AwsCredentials> };
      try {
        chain = (await import(name)) as typeof chain;
      } catch (err) {
        throw new Error(`MlwatchClient: signing needs credentials: pass credentials, or install ${name} for the default provider chain`, { cause: err });
      }
      this.credentialProvider = chain.defaultProvider();
    }
    return this.credentialProvider();
  }

  /**
   * Sends one request (with retries) and returns the parsed answer; the typed methods below call it.
   * @throws {MlwatchApiError} for a 4xx, or a 429/5xx still failing after the last attempt
   * @throws {MlwatchNetworkError} when no attempt got an answer
   */
  public async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.endpoint + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const base: Record<string, string> = { accept: options.text ? "text/html, application/json" : "application/json", ...lower(options.headers) };
    if (body !== undefined) base["content-type"] = "application/json";
    if (this.options.actor !== undefined && base["x-mlwatch-actor"] === undefined) base["x-mlwatch-actor"] = this.options.actor;
    if (method.toUpperCase() === "POST" && base["idempotency-key"] === undefined) base["idempotency-key"] = randomUUID();
    const label = `${method.toUpperCase()} ${url.pathname}`;
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 4);

    for (let attempt = 1; ; attempt++) {
      let headers = base;
      if (this.auth === "sigv4") {
        headers = await signRequest({ method, url, headers: base, body }, { credentials: await this.credentials(), region: this.region() });
        delete headers.host; // fetch sets it from the URL, the same value that was signed
      }
      let res: Response;
      try {
        res = await this.fetchFn(url, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
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
      if ((isRetryableStatus(res.status) || isInProgress(res.status, text)) && attempt < maxAttempts) {
        await sleep(retryDelayMs(attempt, this.options.retryBaseMs ?? 200, this.options.maxRetryDelayMs ?? 5000, res.headers.get("retry-after")));
        continue;
      }
      throw apiError(res, text, label);
    }
  }

  /** Calls an operation by name: its path template filled with `params` (each value URI-encoded). */
  private call<N extends OperationName>(
    name: N,
    params: Operations[N]["params"],
    init: { query?: object | undefined; body?: unknown; idempotencyKey?: string | undefined; text?: boolean } = {},
  ): Promise<Answer<N>> {
    const route = operationRoutes[name];
    const values = params as Readonly<Record<string, string>>;
    const path = route.path.replace(/\{([^}]+)\}/g, (_, param: string) => {
      const value = values[param];
      if (typeof value !== "string" || value === "") throw new TypeError(`MlwatchClient.${name}: ${param} must be a non-empty string`);
      return encodeURIComponent(value);
    });
    return this.request<Answer<N>>(route.method, path, {
      query: init.query as RequestOptions["query"],
      body: init.body,
      headers: init.idempotencyKey ? { "idempotency-key": init.idempotencyKey } : undefined,
      text: init.text === true,
    });
  }

  // ------------------------------------------------------------------------------------------- registry

  /** `GET /health`: the service and each AWS dependency. */
  public health(): Promise<Answer<"health">> {
    return this.call("health", {});
  }

  /** `GET /models`: one page of models. */
  public listModels(query: Query<"listModels"> = {}): Promise<Answer<"listModels">> {
    return this.call("listModels", {}, { query });
  }

  /** `GET /models/{model}`: the model with its production and staging versions and rollback target. */
  public getModel(model: string): Promise<Answer<"getModel">> {
    return this.call("getModel", { model });
  }

  /** `POST /models/{model}/versions`: registers a version (the next minor one when `version` is omitted). */
  public registerVersion(model: string, input: Body<"registerVersion">, options: WriteOptions = {}): Promise<Answer<"registerVersion">> {
    return this.call("registerVersion", { model }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/versions`: one page of versions, highest first. */
  public listVersions(model: string, query: Query<"listVersions"> = {}): Promise<Answer<"listVersions">> {
    return this.call("listVersions", { model }, { query });
  }

  /** `GET /models/{model}/versions/{version}`. */
  public getVersion(model: string, version: string): Promise<Answer<"getVersion">> {
    return this.call("getVersion", { model, version });
  }

  /** `DELETE /models/{model}/versions/{version}`: a version not in production, and the artifact it owns. */
  public deleteVersion(model: string, version: string): Promise<Answer<"deleteVersion">> {
    return this.call("deleteVersion", { model, version });
  }

  /** `GET /models/{model}/stages/production`: what a serving job loads. */
  public getProduction(model: string): Promise<Answer<"getProduction">> {
    return this.call("getProduction", { model });
  }

  /** `GET /models/{model}/compare`: metrics of 2-10 versions side by side (`versions`: comma-separated). */
  public compareVersions(model: string, query: Query<"compareVersions">): Promise<Answer<"compareVersions">> {
    return this.call("compareVersions", { model }, { query });
  }

  /** `POST …/artifact/verify`: records an uploaded artifact's checksum, or checks it still matches. */
  public verifyArtifact(model: string, version: string, options: WriteOptions = {}): Promise<Answer<"verifyArtifact">> {
    return this.call("verifyArtifact", { model, version }, { idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/history`: every change to a model, newest first. */
  public getHistory(model: string, query: Query<"getHistory"> = {}): Promise<Answer<"getHistory">> {
    return this.call("getHistory", { model }, { query });
  }

  /** `POST …/promote`: development → staging → production (gated), or → archived. */
  public promote(model: string, version: string, input: Body<"promote">, options: WriteOptions = {}): Promise<Answer<"promote">> {
    return this.call("promote", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /**
   * `PATCH /models/{model}/versions/{version}`: merges tags (a null value removes one).
   */
  public updateVersion(model: string, version: string, input: Body<"updateVersion">): Promise<Answer<"updateVersion">> {
    return this.call("updateVersion", { model, version }, { body: input });
  }

  /** `POST …/approve`: approves the version's pending promotion (not by its requester); the gates are checked again. */
  public approve(model: string, version: string, input: Body<"approve">, options: WriteOptions = {}): Promise<Answer<"approve">> {
    return this.call("approve", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST …/reject`: rejects the version's pending promotion; it stays where it was. */
  public reject(model: string, version: string, input: Body<"reject">, options: WriteOptions = {}): Promise<Answer<"reject">> {
    return this.call("reject", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/approvals`: approval requests, newest first, optionally of one state. */
  public listApprovals(model: string, query: Query<"listApprovals"> = {}): Promise<Answer<"listApprovals">> {
    return this.call("listApprovals", { model }, { query });
  }

  /** `GET /models/{model}/promotion-policy` (404 when the model has none). */
  public getPromotionPolicy(model: string): Promise<Answer<"getPromotionPolicy">> {
    return this.call("getPromotionPolicy", { model });
  }

  /** `PUT /models/{model}/promotion-policy`: replaces the policy (gates, requireApproval, retention). */
  public setPromotionPolicy(model: string, input: Body<"setPromotionPolicy">): Promise<Answer<"setPromotionPolicy">> {
    return this.call("setPromotionPolicy", { model }, { body: input });
  }

  /** `PUT /models/{model}/aliases/{alias}`: points the alias at a version. */
  public setAlias(model: string, alias: string, version: string): Promise<Answer<"setAlias">> {
    return this.call("setAlias", { model, alias }, { body: { version } });
  }

  /** `GET /models/{model}/aliases/{alias}`: the version the alias points to, with its fields. */
  public getAlias(model: string, alias: string): Promise<Answer<"getAlias">> {
    return this.call("getAlias", { model, alias });
  }

  /** `DELETE /models/{model}/aliases/{alias}` (204). */
  public async deleteAlias(model: string, alias: string): Promise<void> {
    await this.call("deleteAlias", { model, alias });
  }

  /** `POST /models/{model}/rollback`: the previous production version becomes production again. */
  public rollback(model: string, input: Body<"rollback">, options: WriteOptions = {}): Promise<Answer<"rollback">> {
    return this.call("rollback", { model }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST …/deployments`: records a deployment of a version to an endpoint. */
  public recordDeployment(model: string, version: string, input: Body<"recordDeployment">, options: WriteOptions = {}): Promise<Answer<"recordDeployment">> {
    return this.call("recordDeployment", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/deployments`: newest first. */
  public listDeployments(model: string, query: Query<"listDeployments"> = {}): Promise<Answer<"listDeployments">> {
    return this.call("listDeployments", { model }, { query });
  }

  /** `POST /datasets/{name}/versions`: registers a dataset version (the same content answers the existing one). */
  public registerDatasetVersion(name: string, input: Body<"registerDatasetVersion">, options: WriteOptions = {}): Promise<Answer<"registerDatasetVersion">> {
    return this.call("registerDatasetVersion", { name }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /datasets/{name}/versions`: newest registration first. */
  public listDatasetVersions(name: string, query: Query<"listDatasetVersions"> = {}): Promise<Answer<"listDatasetVersions">> {
    return this.call("listDatasetVersions", { name }, { query });
  }

  /** `GET /datasets/{name}/versions/{version}`. */
  public getDatasetVersion(name: string, version: string): Promise<Answer<"getDatasetVersion">> {
    return this.call("getDatasetVersion", { name, version });
  }

  /** `GET …/lineage`: the parent chain of a dataset version. */
  public getDatasetLineage(name: string, version: string): Promise<Answer<"getDatasetLineage">> {
    return this.call("getDatasetLineage", { name, version });
  }

  /** `GET /datasets/{name}/compare`: schema and size differences between two versions. */
  public compareDatasetVersions(name: string, query: Query<"compareDatasetVersions">): Promise<Answer<"compareDatasetVersions">> {
    return this.call("compareDatasetVersions", { name }, { query });
  }

  // --------------------------------------------------------------------------------------- events, audit

  /** `POST /events`: records a pipeline event in the audit trail. */
  public recordEvent(input: Body<"recordEvent">, options: WriteOptions = {}): Promise<Answer<"recordEvent">> {
    return this.call("recordEvent", {}, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /audit`: one page of the audit trail, newest first. */
  public listAudit(query: Query<"listAudit"> = {}): Promise<Answer<"listAudit">> {
    return this.call("listAudit", {}, { query });
  }

  // ------------------------------------------------------------------------------------------------ drift

  /** `POST /models/{model}/baselines`: inline records (ready at once) or S3 data (building). */
  public createBaseline(model: string, input: Body<"createBaseline">, options: WriteOptions = {}): Promise<Answer<"createBaseline">> {
    return this.call("createBaseline", { model }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/baselines`: one page `{ items, nextToken, activeBaselineId }`, newest first, the active one marked. */
  public listBaselines(model: string, query: Query<"listBaselines"> = {}): Promise<Answer<"listBaselines">> {
    return this.call("listBaselines", { model }, { query });
  }

  /** `GET /models/{model}/baselines/{baselineId}` (`profile: true` adds the profile of a ready baseline). */
  public getBaseline(model: string, baselineId: string, query: Query<"getBaseline"> = {}): Promise<Answer<"getBaseline">> {
    return this.call("getBaseline", { model, baselineId }, { query });
  }

  /** `POST …/activate`: makes a ready baseline the model's active one. */
  public activateBaseline(model: string, baselineId: string): Promise<Answer<"activateBaseline">> {
    return this.call("activateBaseline", { model, baselineId });
  }

  /** `GET …/baselines/{baselineId}/statistics.json`: the baseline in Model Monitor's statistics.json format. */
  public getBaselineStatistics(model: string, baselineId: string): Promise<Answer<"getBaselineStatistics">> {
    return this.call("getBaselineStatistics", { model, baselineId });
  }

  /** `GET …/baselines/{baselineId}/constraints.json`: the imported constraints, else those suggested from the profile. */
  public getBaselineConstraints(model: string, baselineId: string): Promise<Answer<"getBaselineConstraints">> {
    return this.call("getBaselineConstraints", { model, baselineId });
  }

  /** `POST /models/{model}/drift-checks`: inline records answer with the report; S3 data answers `pending`. */
  public checkDrift(model: string, input: Body<"checkDrift">, options: WriteOptions = {}): Promise<Answer<"checkDrift">> {
    return this.call("checkDrift", { model }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/drift-checks`: newest first. */
  public listDriftChecks(model: string, query: Query<"listDriftChecks"> = {}): Promise<Answer<"listDriftChecks">> {
    return this.call("listDriftChecks", { model }, { query });
  }

  /** `GET /models/{model}/drift-checks/{checkId}`: status, summary and, once completed, the report. */
  public getDriftCheck(model: string, checkId: string): Promise<Answer<"getDriftCheck">> {
    return this.call("getDriftCheck", { model, checkId });
  }

  /** `GET /models/{model}/drift-checks/{checkId}/report.html`: the self-contained HTML report. */
  public getDriftReportHtml(model: string, checkId: string): Promise<string> {
    return this.call("getDriftReportHtml", { model, checkId }, { text: true });
  }

  /** `GET …/drift-checks/{checkId}/constraint_violations.json`: Model Monitor's view of a completed check. */
  public getConstraintViolations(model: string, checkId: string): Promise<Answer<"getConstraintViolations">> {
    return this.call("getConstraintViolations", { model, checkId });
  }

  /** Polls an asynchronous check until it is completed or failed. */
  public async waitForDriftCheck(model: string, checkId: string, options: { intervalMs?: number | undefined; timeoutMs?: number | undefined } = {}): Promise<Answer<"getDriftCheck">> {
    const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
    for (;;) {
      const check = await this.getDriftCheck(model, checkId);
      if (check.status === "completed" || check.status === "failed") return check;
      if (Date.now() > deadline) throw new Error(`drift check ${checkId} of ${model} still ${check.status} after the timeout`);
      await sleep(options.intervalMs ?? 2000);
    }
  }

  /** `PUT /models/{model}/monitoring`: scheduled drift monitoring of the model's data capture. */
  public setMonitoring(model: string, input: Body<"setMonitoring">): Promise<Answer<"setMonitoring">> {
    return this.call("setMonitoring", { model }, { body: input });
  }

  /** `GET /models/{model}/monitoring`: the settings and last run. */
  public getMonitoring(model: string): Promise<Answer<"getMonitoring">> {
    return this.call("getMonitoring", { model });
  }

  // ------------------------------------------------------------------------------------------ performance

  /** `POST /models/{model}/versions/{version}/batches`: records predictions with their actuals. */
  public recordBatch(model: string, version: string, input: Body<"recordBatch">, options: WriteOptions = {}): Promise<Answer<"recordBatch">> {
    return this.call("recordBatch", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST …/predictions`: logs predictions now, to be joined with their ground truth later. */
  public logPredictions(model: string, version: string, input: Body<"logPredictions">, options: WriteOptions = {}): Promise<Answer<"logPredictions">> {
    return this.call("logPredictions", { model, version }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST /models/{model}/ground-truth`: joins actuals to logged predictions. */
  public recordGroundTruth(model: string, input: Body<"recordGroundTruth">, options: WriteOptions = {}): Promise<Answer<"recordGroundTruth">> {
    return this.call("recordGroundTruth", { model }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `GET /models/{model}/performance/thresholds`: effective, stored and default thresholds. */
  public getPerformanceThresholds(model: string): Promise<Answer<"getPerformanceThresholds">> {
    return this.call("getPerformanceThresholds", { model });
  }

  /** `PUT /models/{model}/performance/thresholds`: replaces the stored thresholds (null turns a rule off). */
  public setPerformanceThresholds(model: string, input: Body<"setPerformanceThresholds">): Promise<Answer<"setPerformanceThresholds">> {
    return this.call("setPerformanceThresholds", { model }, { body: input });
  }

  /** `PUT /models/{model}/versions/{version}/estimation-reference`: the labelled window performance estimation calibrates on; answers the fit. */
  public setEstimationReference(model: string, version: string, input: Body<"setEstimationReference">): Promise<Answer<"setEstimationReference">> {
    return this.call("setEstimationReference", { model, version }, { body: input });
  }

  /** `GET /models/{model}/versions/{version}/estimation-reference`: the stored (or default) reference and its fit. */
  public getEstimationReference(model: string, version: string): Promise<Answer<"getEstimationReference">> {
    return this.call("getEstimationReference", { model, version });
  }

  /** `DELETE /models/{model}/versions/{version}/batches/{batchId}`: removes a mistaken batch (raw rows, joins), audited. */
  public deleteBatch(model: string, version: string, batchId: string): Promise<Answer<"deleteBatch">> {
    return this.call("deleteBatch", { model, version, batchId });
  }

  /** `GET /models/{model}/performance`: window metrics, per-day aggregates, trend, worst batches. */
  public performanceReport(model: string, query: Query<"performanceReport"> = {}): Promise<Answer<"performanceReport">> {
    return this.call("performanceReport", { model }, { query });
  }

  /** `GET /models/{model}/performance/compare`: live metrics of 2-10 versions over one window. */
  public comparePerformance(model: string, query: Query<"comparePerformance">): Promise<Answer<"comparePerformance">> {
    return this.call("comparePerformance", { model }, { query });
  }

  // ------------------------------------------------------------------------------------------ alerts

  /** `GET /alerts`: the inbox, newest first, filtered by model, state, type and first-seen time. */
  public listAlerts(query: Query<"listAlerts"> = {}): Promise<Answer<"listAlerts">> {
    return this.call("listAlerts", {}, { query });
  }

  /** `GET /alerts/{alertId}`: one alert with its occurrences and who acknowledged or resolved it. */
  public getAlert(alertId: string): Promise<Answer<"getAlert">> {
    return this.call("getAlert", { alertId });
  }

  /** `POST /alerts/{alertId}/acknowledge`: someone is on it (409 unless the alert is open). */
  public acknowledgeAlert(alertId: string, input: Body<"acknowledgeAlert">, options: WriteOptions = {}): Promise<Answer<"acknowledgeAlert">> {
    return this.call("acknowledgeAlert", { alertId }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST /alerts/{alertId}/resolve` (409 when already resolved). */
  public resolveAlert(alertId: string, input: Body<"resolveAlert">, options: WriteOptions = {}): Promise<Answer<"resolveAlert">> {
    return this.call("resolveAlert", { alertId }, { body: input, idempotencyKey: options.idempotencyKey });
  }

  /** `POST /alerts/test`: proves delivery (local: a test alert through the topic; deployed: one alarm to ALARM and back). */
  public testAlert(input: Body<"testAlert"> = {}, options: WriteOptions = {}): Promise<Answer<"testAlert">> {
    return this.call("testAlert", {}, { body: input, idempotencyKey: options.idempotencyKey });
  }

  // ------------------------------------------------------------------------------------------- retraining

  /** `POST /models/{model}/retraining`: publishes `mlwatch Retraining Requested` (trigger manual; never rate-limited). */
  public requestRetraining(model: string, input: Body<"requestRetraining">): Promise<Answer<"requestRetraining">> {
    return this.call("requestRetraining", { model }, { body: input });
  }

  /** `GET /models/{model}/retraining-policy` (every trigger off when none was set). */
  public getRetrainingPolicy(model: string): Promise<Answer<"getRetrainingPolicy">> {
    return this.call("getRetrainingPolicy", { model });
  }

  /** `PUT /models/{model}/retraining-policy`: replaces the policy (an absent trigger is off). */
  public setRetrainingPolicy(model: string, input: Body<"setRetrainingPolicy">): Promise<Answer<"setRetrainingPolicy">> {
    return this.call("setRetrainingPolicy", { model }, { body: input });
  }

  /** `GET /models/{model}/retraining-requests`: requested, suppressed and failed requests, newest first. */
  public listRetrainingRequests(model: string, query: Query<"listRetrainingRequests"> = {}): Promise<Answer<"listRetrainingRequests">> {
    return this.call("listRetrainingRequests", { model }, { query });
  }
}

function lower(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function apiError(res: Response, text: string, label: string): MlwatchApiError {
  let code = `HTTP_${res.status}`;
  let message = text.slice(0, 500) || res.statusText || `HTTP ${res.status}`;
  let details: Readonly<Record<string, unknown>> | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown }; message?: string };
    if (parsed.error?.code) code = parsed.error.code;
    if (parsed.error?.message) message = parsed.error.message;
    const found = parsed.error?.details;
    if (found !== null && typeof found === "object" && !Array.isArray(found)) details = found as Readonly<Record<string, unknown>>;
    else if (typeof parsed.message === "string") message = parsed.message; // API Gateway's default shape
  } catch {
    // not JSON: keep the text
  }
  return new MlwatchApiError(res.status, code, message, label, { requestId: res.headers.get("x-request-id") ?? undefined, details });
}
