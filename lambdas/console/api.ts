/**
 * How the console reads and changes things: through the API, by one fetch function. Locally it is the
 * server's own app (`app.request()`, in-process); against a deployed stack it is HTTPS signed with the
 * caller's AWS credentials (bin/commands/console.ts). The adapters below are the one place that knows
 * the shape of the API's answers (envelopes, field names), so a change of the API touches only them.
 */

/** One request to the API. */
export interface ApiRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path and query, e.g. `/models?limit=100`. */
  readonly path: string;
  readonly body?: unknown;
  /** Local mode only: who the API records as the actor (`x-mlwatch-actor`); ignored by the deployed API. */
  readonly actor?: string | undefined;
}

/** The console's one way to reach the API. */
export type ApiFetch = (request: ApiRequest) => Promise<Response>;

/** An API answer that was not a success, as the console shows it. */
export class ApiAnswerError extends Error {
  public readonly status: number;
  public readonly code: string;
  public constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiAnswerError";
    this.status = status;
    this.code = code;
  }
}

/** The API's own app, called in-process (local mode and tests). */
export function inProcessApi(app: { request(path: string, init?: RequestInit): Response | Promise<Response> }): ApiFetch {
  return async (r) => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (r.body !== undefined) headers["content-type"] = "application/json";
    if (r.actor !== undefined) headers["x-mlwatch-actor"] = r.actor;
    return app.request(r.path, { method: r.method, headers, ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }) });
  };
}

type Json = Record<string, unknown>;

/** A page of a listing, whatever envelope the route answers with. */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | null;
}

/** The items of a listing: every listing answers `{items, nextToken}` (extra fields beside them are ignored). */
export function pageOf<T>(body: unknown): Page<T> {
  const b = (body ?? {}) as Json;
  const items = (Array.isArray(b.items) ? b.items : []) as T[];
  return { items, nextToken: typeof b.nextToken === "string" ? b.nextToken : null };
}

/** A path with its segments encoded and its query built from defined values. */
export function apiPath(segments: readonly string[], q: Readonly<Record<string, string | number | undefined | null>> = {}): string {
  const path = `/${segments.map((s) => encodeURIComponent(s)).join("/")}`;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

// ------------------------------------------------------------------------------------------- the shapes

/** A model as listed. */
export interface ModelSummary {
  readonly model: string;
  readonly productionVersion?: string | null;
  readonly stagingVersions?: string[];
  readonly versionCount?: number;
  readonly primaryMetric?: string | null;
  readonly direction?: string | null;
  readonly highestVersion?: string | null;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly rollbackTarget?: string | null;
}

/** A version as listed. */
export interface VersionView {
  readonly model: string;
  readonly version: string;
  readonly stage: string;
  readonly metrics?: Record<string, number>;
  readonly tags?: Record<string, string>;
  readonly aliases?: string[];
  readonly artifact?: { uri?: string; status?: string; sizeBytes?: number | null; sha256?: string | null };
  readonly description?: string;
  readonly createdAt?: string;
  readonly createdBy?: string;
  readonly lastDeployment?: { endpointName?: string; environment?: string; deployedAt?: string };
}

/** An approval request. */
export interface ApprovalView {
  readonly approvalId: string;
  readonly version: string;
  readonly from: string;
  readonly to: string;
  readonly state: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly reason: string;
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  readonly decisionReason?: string;
}

/** An entry of a model's history. */
export interface HistoryEntry {
  readonly id: string;
  readonly time: string;
  readonly event: string;
  readonly version?: string | null;
  readonly from?: string | null;
  readonly to?: string | null;
  readonly actor?: string;
  readonly reason?: string | null;
}

/** A recorded deployment. */
export interface DeploymentView {
  readonly id: string;
  readonly version: string;
  readonly endpointName?: string;
  readonly environment?: string;
  readonly region?: string;
  readonly deployedAt: string;
  readonly deployedBy?: string;
  readonly source?: string;
}

/** A promotion policy. */
export interface PolicyView {
  readonly gates: { metric: string; min?: number; max?: number; notWorseThanProduction?: boolean; direction?: string }[];
  readonly requireApproval: string[];
  readonly retention: { keepLast: number } | null;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

/** A drift check as listed. */
export interface DriftCheckView {
  readonly model: string;
  readonly checkId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly createdBy?: string;
  readonly source?: string;
  readonly baselineId?: string;
  readonly rows?: number;
  readonly driftDetected?: boolean;
  readonly driftShare?: number;
  readonly severity?: string;
  readonly featureCount?: number;
  readonly driftedFeatures?: { name: string; severity?: string; psi?: number; pValue?: number }[];
  readonly error?: string;
}

/** An alert. */
export interface AlertView {
  readonly alertId: string;
  readonly type: string;
  readonly model?: string;
  readonly version?: string;
  readonly severity: string;
  readonly subject?: string;
  readonly summary: string;
  readonly state: string;
  readonly occurrences: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly link?: Record<string, unknown>;
  readonly delivery?: { status?: string };
  readonly acknowledged?: { by: string; at: string; reason: string };
  readonly resolved?: { by: string; at: string; reason: string };
}

/** An audit entry. */
export interface AuditView {
  readonly id: string;
  readonly time: string;
  readonly type: string;
  readonly actor?: string;
  readonly model?: string;
  readonly target?: string;
  readonly details?: unknown;
}

/** The performance report (only the fields the console draws). */
export interface PerformanceView {
  readonly model: string;
  readonly version: string | null;
  readonly days: number;
  readonly from: string;
  readonly to: string;
  readonly task: string | null;
  readonly primaryMetric: string;
  readonly batchCount: number;
  readonly count: number;
  readonly overall: Record<string, unknown> | null;
  readonly daily: { date: string; batchCount: number; count: number; metrics: Record<string, unknown> }[];
  readonly trend: { metric: string; better: string; slopePerDay: number; pValue: number; direction: string; n: number } | null;
  readonly trendReason?: string;
  readonly worstBatches: { batchId: string; version: string; source: string; timestamp: string; count: number; value: number; metrics: Record<string, unknown> }[];
  readonly baseline: { source: string; metrics: Record<string, unknown> } | null;
  readonly fairness: { selectionRates: Record<string, number>; disparateImpact: number | null; truePositiveRates: Record<string, number | null>; tprGap: number | null; counts: Record<string, number> } | null;
  readonly latency: { count: number; p50: number; p95: number; meanMs: number; maxMs: number } | null;
  readonly estimated?: {
    available: boolean;
    reason?: string;
    method: string | null;
    unlabelledCount: number;
    daily: { date: string; count: number; metrics: Record<string, number | null> | null }[];
    overall: { count: number; metrics: Record<string, number | null> } | null;
    trackRecord?: { batches: number; windows: number; count: number; meanAbsoluteError: Record<string, number | null>; meanError: Record<string, number | null>; coverage: Record<string, number | null> };
  } | null;
  readonly truncated: boolean;
}

/** The performance thresholds in force. */
export interface ThresholdsView {
  readonly thresholds: Record<string, number | null | string>;
}

// ------------------------------------------------------------------------------------------- the reads

/** The console's reads and actions over one {@link ApiFetch}. */
export class ConsoleApi {
  public constructor(
    private readonly fetch: ApiFetch,
    /** Local mode: the actor actions are recorded as. */
    private readonly actor?: string,
  ) {}

  /** GET, parsed; undefined on 404 when `missingOk`. */
  private async get<T>(path: string, missingOk = false): Promise<T | undefined> {
    const res = await this.fetch({ method: "GET", path, actor: this.actor });
    if (missingOk && res.status === 404) return undefined;
    return this.parse<T>(res);
  }

  private async parse<T>(res: Response): Promise<T> {
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const err = (body as { error?: { code?: string; message?: string }; message?: string } | undefined) ?? {};
      throw new ApiAnswerError(res.status, err.error?.code ?? "HTTP_" + res.status, err.error?.message ?? err.message ?? (text.slice(0, 200) || `HTTP ${res.status}`));
    }
    return body as T;
  }

  /** Sends an action; answers the parsed body. */
  public async act<T = Json>(method: "POST" | "PUT" | "PATCH" | "DELETE", path: string, body: unknown = {}): Promise<{ status: number; body: T }> {
    const res = await this.fetch({ method, path, body, actor: this.actor });
    return { status: res.status, body: await this.parse<T>(res) };
  }

  /** Up to `max` items of a listing, following nextToken. */
  private async all<T>(segments: string[], q: Record<string, string | number | undefined> = {}, max = 200): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    do {
      const page = pageOf<T>(await this.get(apiPath(segments, { ...q, limit: Math.min(100, max - out.length), nextToken: token })));
      out.push(...page.items);
      token = page.nextToken ?? undefined;
    } while (token && out.length < max);
    return out;
  }

  public health = async (): Promise<{ status?: string; dependencies?: Record<string, { ok: boolean; latencyMs?: number; error?: string }> } | undefined> => {
    const res = await this.fetch({ method: "GET", path: "/health" });
    return (await res.json().catch(() => undefined)) as never;
  };
  public models = (): Promise<ModelSummary[]> => this.all<ModelSummary>(["models"], {}, 500);
  public model = async (model: string): Promise<ModelSummary> => (await this.get<ModelSummary>(apiPath(["models", model])))!;
  public versions = (model: string): Promise<VersionView[]> => this.all<VersionView>(["models", model, "versions"], {}, 300);
  public history = (model: string, max = 100): Promise<HistoryEntry[]> => this.all<HistoryEntry>(["models", model, "history"], {}, max);
  public deployments = (model: string): Promise<DeploymentView[]> => this.all<DeploymentView>(["models", model, "deployments"], {}, 100);
  public approvals = (model: string, state?: string): Promise<ApprovalView[]> => this.all<ApprovalView>(["models", model, "approvals"], { state }, 100);
  public policy = (model: string): Promise<PolicyView | undefined> => this.get<PolicyView>(apiPath(["models", model, "promotion-policy"]), true);
  public compare = (model: string, versions: readonly string[]): Promise<Json> => this.get<Json>(apiPath(["models", model, "compare"], { versions: versions.join(",") })) as Promise<Json>;
  public driftChecks = async (model: string, limit = 50): Promise<DriftCheckView[]> => pageOf<DriftCheckView>(await this.get(apiPath(["models", model, "drift-checks"], { limit }))).items;
  /** The stored HTML report of a check, as the API serves it. */
  public driftReportHtml = async (model: string, checkId: string): Promise<{ status: number; html: string }> => {
    const res = await this.fetch({ method: "GET", path: apiPath(["models", model, "drift-checks", checkId, "report.html"]), actor: this.actor });
    return { status: res.status, html: await res.text() };
  };
  public performance = (model: string, days: number, version?: string): Promise<PerformanceView> =>
    this.get<PerformanceView>(apiPath(["models", model, "performance"], { days, version })) as Promise<PerformanceView>;
  public thresholds = (model: string): Promise<ThresholdsView | undefined> => this.get<ThresholdsView>(apiPath(["models", model, "performance", "thresholds"]), true);
  public alerts = async (filter: { state?: string; model?: string; type?: string; nextToken?: string; limit?: number }): Promise<Page<AlertView>> =>
    pageOf<AlertView>(await this.get(apiPath(["alerts"], { state: filter.state, model: filter.model, type: filter.type, nextToken: filter.nextToken, limit: filter.limit ?? 50 })));
  public alert = async (alertId: string): Promise<AlertView> => (await this.get<AlertView>(apiPath(["alerts", alertId])))!;
  public audit = async (filter: { model?: string; type?: string; nextToken?: string; limit?: number }): Promise<Page<AuditView>> =>
    pageOf<AuditView>(await this.get(apiPath(["audit"], { model: filter.model, type: filter.type, nextToken: filter.nextToken, limit: filter.limit ?? 50 })));

  // actions
  public approve = (model: string, version: string, reason: string) => this.act("POST", apiPath(["models", model, "versions", version, "approve"]), { reason });
  public reject = (model: string, version: string, reason: string) => this.act("POST", apiPath(["models", model, "versions", version, "reject"]), { reason });
  public promote = (model: string, version: string, stage: string, reason: string) => this.act("POST", apiPath(["models", model, "versions", version, "promote"]), { stage, reason });
  public acknowledge = (alertId: string, reason: string) => this.act("POST", apiPath(["alerts", alertId, "acknowledge"]), { reason });
  public resolve = (alertId: string, reason: string) => this.act("POST", apiPath(["alerts", alertId, "resolve"]), { reason });
}
