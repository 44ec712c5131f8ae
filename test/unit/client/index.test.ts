/**
 * MlwatchClient without a server: a fake fetch records what the client sends and plays answers back —
 * retries with backoff on 429/5xx, typed errors, signing choice, idempotency keys.
 */
import { describe, expect, it } from "vitest";
import { isInProgress, MlwatchApiError, MlwatchClient, MlwatchNetworkError, retryDelayMs } from "../../../client/index.js";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function fakeFetch(answers: (Response | Error)[]): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(input), method: init?.method ?? "GET", headers: { ...(init?.headers as Record<string, string>) }, body: init?.body as string | undefined });
    const next = answers.shift();
    if (next === undefined) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { fetch: fn, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

describe("MlwatchClient", () => {
  it("retries 503 and 429 with the same idempotency key, then returns the answer", async () => {
    // Prepare
    const { fetch, sent } = fakeFetch([json(503, { error: { code: "INTERNAL_ERROR", message: "x" } }), json(429, { message: "slow down" }, { "retry-after": "0" }), json(201, { model: "churn", version: "1.0.0" })]);
    const client = new MlwatchClient({ endpoint: "http://127.0.0.1:9", fetch, retryBaseMs: 1 });
    // Act
    const v = await client.registerVersion("churn", { artifactUri: "s3://bucket/model.tar.gz" });
    // Assess
    expect(v.version).toBe("1.0.0");
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.headers["idempotency-key"])).size).toBe(1);
    expect(sent[0].headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(sent[0].body!)).toEqual({ artifactUri: "s3://bucket/model.tar.gz" });
  });

  it("sends a POST again under the same key while the server says its first attempt is still in progress", async () => {
    // Prepare: the first attempt timed out on a slow server; the second finds it still running
    const inProgress = json(409, { error: { code: "IDEMPOTENCY_IN_PROGRESS", message: "still in progress" } });
    const { fetch, sent } = fakeFetch([inProgress, json(409, { error: { code: "IDEMPOTENCY_IN_PROGRESS", message: "still in progress" } }), json(201, { model: "churn", version: "1.0.0" })]);
    const client = new MlwatchClient({ endpoint: "http://127.0.0.1:9", fetch, retryBaseMs: 1 });
    // Act
    const v = await client.registerVersion("churn", { artifactUri: "s3://bucket/model.tar.gz" });
    // Assess
    expect(v.version).toBe("1.0.0");
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.headers["idempotency-key"])).size).toBe(1);
    expect(isInProgress(409, "not json")).toBe(false);
    expect(isInProgress(409, JSON.stringify({ error: { code: "CONFLICT" } }))).toBe(false);
  });

  it("throws MlwatchApiError with the API's code, message and request id, without retrying a 4xx", async () => {
    // Prepare
    const { fetch, sent } = fakeFetch([json(409, { error: { code: "CONFLICT", message: "version 1.0.0 exists" } }, { "x-request-id": "req-1" })]);
    const client = new MlwatchClient({ endpoint: "http://localhost:9", fetch, retryBaseMs: 1 });
    // Act
    const error = await client.promote("churn", "1.0.0", { stage: "production", reason: "r" }).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(MlwatchApiError);
    expect(error).toMatchObject({ status: 409, code: "CONFLICT", message: "version 1.0.0 exists", requestId: "req-1", request: "POST /models/churn/versions/1.0.0/promote" });
    expect(sent).toHaveLength(1);
  });

  it("gives up after maxAttempts: the last 5xx becomes the error", async () => {
    // Prepare
    const { fetch, sent } = fakeFetch([json(502, { message: "Bad gateway" }), json(502, { message: "Bad gateway" })]);
    const client = new MlwatchClient({ endpoint: "http://127.0.0.1:9", fetch, retryBaseMs: 1, maxAttempts: 2 });
    // Act
    const error = await client.getModel("churn").catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ name: "MlwatchApiError", status: 502, code: "HTTP_502", message: "Bad gateway" });
    expect(sent).toHaveLength(2);
  });

  it("turns repeated connection failures into MlwatchNetworkError", async () => {
    // Prepare
    const refused = new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    const { fetch, sent } = fakeFetch([refused, refused]);
    const client = new MlwatchClient({ endpoint: "http://127.0.0.1:9", fetch, retryBaseMs: 1, maxAttempts: 2 });
    // Act
    const error = await client.listModels().catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(MlwatchNetworkError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect(sent).toHaveLength(2);
  });

  it("signs requests to a deployed endpoint with the region of its host name, and leaves loopback unsigned", async () => {
    // Prepare
    const deployed = fakeFetch([json(200, { items: [], nextToken: null })]);
    const local = fakeFetch([json(200, { items: [], nextToken: null })]);
    const remote = new MlwatchClient({ endpoint: "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/", fetch: deployed.fetch, credentials });
    const loopback = new MlwatchClient({ endpoint: "http://127.0.0.1:3000", fetch: local.fetch });
    // Act
    await remote.listModels({ limit: 5 });
    await loopback.listModels();
    // Assess
    expect(remote.auth).toBe("sigv4");
    expect(deployed.sent[0].url).toBe("https://abc123.execute-api.eu-west-1.amazonaws.com/v1/models?limit=5");
    expect(deployed.sent[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=accept;host;x-amz-date, Signature=[0-9a-f]{64}$/);
    expect(deployed.sent[0].headers.host).toBeUndefined();
    expect(loopback.auth).toBe("none");
    expect(local.sent[0].headers.authorization).toBeUndefined();
  });

  it("waits for a ground-truth join job: polls its route until it is completed or failed, and times out naming it", async () => {
    // Prepare: pending, running, then completed
    const job = "20261206T072000123Z-1a2b3c";
    const { fetch, sent } = fakeFetch([json(200, { jobId: job, status: "pending" }), json(200, { jobId: job, status: "running" }), json(200, { jobId: job, status: "completed", result: { batch: { batchId: "b1" } } })]);
    const client = new MlwatchClient({ endpoint: "http://127.0.0.1:9", fetch });
    // Act
    const done = await client.waitForGroundTruthJob("churn", job, { intervalMs: 1 });
    // Assess
    expect(done.status).toBe("completed");
    expect(sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual(Array(3).fill(`GET /models/churn/performance/ground-truth-jobs/${job}`));
    const stuck = new MlwatchClient({ endpoint: "http://127.0.0.1:9", fetch: fakeFetch([json(200, { jobId: job, status: "running" })]).fetch });
    await expect(stuck.waitForGroundTruthJob("churn", job, { intervalMs: 1, timeoutMs: -1 })).rejects.toThrow(`ground-truth join job ${job} of churn still running after the timeout`);
  });

  it("computes backoff with full jitter under an exponential ceiling, and honours Retry-After", () => {
    // Act + Assess
    expect(retryDelayMs(1, 100, 5000, null, () => 0.999)).toBe(99);
    expect(retryDelayMs(4, 100, 5000, null, () => 0.5)).toBe(400);
    expect(retryDelayMs(10, 100, 5000, null, () => 0.999)).toBe(4995);
    expect(retryDelayMs(1, 100, 5000, "2")).toBe(2000);
    expect(retryDelayMs(1, 100, 5000, "60")).toBe(5000);
  });
});
