/**
 * The client's transport: the endpoint and whether to sign (loopback hosts go plain), the region and the
 * credentials of the signature, one request with its retries (429/5xx, network failures, a key still in
 * progress) and the API's refusals as `MlwatchApiError`.
 */
import { randomUUID } from "node:crypto";
import { operationRoutes, type Answer, type OperationName, type Operations } from "./api-types.js";
import { MlwatchApiError, MlwatchNetworkError } from "./errors.js";
import { defaultEndpoint, type MlwatchClientOptions, type RequestOptions } from "./options.js";
import { isInProgress, isRetryableStatus, retryDelayMs, sleep } from "./retry.js";
import { signRequest, type AwsCredentials } from "./sigv4.js";

const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/**
 * How the client reaches the API: endpoint, signing (or not), retries, and one request by operation name.
 * {@link MlwatchClient} adds one typed method per operation.
 */
export class MlwatchTransport {
  /** The base URL every path is appended to. */
  public readonly endpoint: string;
  /** Whether requests are signed. */
  public readonly auth: "sigv4" | "none";
  private readonly options: MlwatchClientOptions;
  protected readonly fetchFn: typeof fetch;
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
   * Sends one request (with retries) and returns the parsed answer; the typed methods of MlwatchClient call it.
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
  protected call<N extends OperationName>(
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
