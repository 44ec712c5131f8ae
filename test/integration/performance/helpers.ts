/** Helpers for the performance service's integration tests. */
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { mulberry32 } from "../../../lambdas/core/stats/seeded.js";
import type { TestStack } from "../stack.js";

/** Puts `content` at `key` in the stack's bucket; returns its URI. */
export async function putObject(stack: TestStack, key: string, content: string | Uint8Array): Promise<string> {
  await s3Client().send(new PutObjectCommand({ Bucket: stack.names.bucket, Key: key, Body: typeof content === "string" ? Buffer.from(content) : content }));
  return `s3://${stack.names.bucket}/${key}`;
}

/** Reads a JSON object back from an s3:// URI. */
export async function getJson(uri: string): Promise<any> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error(`not an s3 uri: ${uri}`);
  const out = await s3Client().send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
  return JSON.parse(await (out.Body as { transformToString(): Promise<string> }).transformToString());
}

/** Registers a model version in the registry (external artifact), with its metrics and the model's primary metric. */
export async function registerVersion(stack: TestStack, model: string, version: string, metrics: Record<string, number>, primaryMetric: string, direction: "lower" | "higher"): Promise<void> {
  const uri = await putObject(stack, `external/${model}/${version}.tar.gz`, `weights ${model} ${version}`);
  const res = await stack.call("POST", `/models/${model}/versions`, { version, artifactUri: uri, metrics, primaryMetric, direction });
  if (res.status !== 201) throw new Error(`register ${model} ${version}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Rows y = x with a given error pattern: predictions = actual ± error (alternating). */
export function regressionRows(n: number, error: number, offset = 0): { actuals: number[]; predictions: number[] } {
  const actuals = Array.from({ length: n }, (_, i) => 10 + ((i * 7) % 23) + offset);
  const predictions = actuals.map((a, i) => a + (i % 2 === 0 ? error : -error));
  return { actuals, predictions };
}

/** Retries `fn` until `ok` holds or the timeout passes (CloudWatch reads in the emulator are immediate, but be safe). */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await fn();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    last = await fn();
  }
  return last;
}

/**
 * Registers versions without artifacts (requestUpload), so their performance may be recorded: performance
 * data belongs to registered versions. The model's primary metric is rmse (lower is better) unless given.
 */
export async function registerVersions(stack: TestStack, model: string, versions: readonly string[], primaryMetric = "rmse", direction: "lower" | "higher" = "lower"): Promise<void> {
  for (const version of versions) {
    const res = await stack.call("POST", `/models/${model}/versions`, { version, requestUpload: true, primaryMetric, direction });
    if (res.status !== 201) throw new Error(`register ${model} ${version}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** Seeded rows of a calibrated classifier: x ~ N(0, sd²), score σ(1.5·x) to 6 decimals, prediction score ≥ 0.5, label ~ Bernoulli(score). */
export function calibratedRows(n: number, seed: number, sd = 1.5): { scores: number[]; predictions: number[]; actuals: number[] } {
  const u = mulberry32(seed);
  const scores: number[] = [];
  const predictions: number[] = [];
  const actuals: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = sd * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const s = Math.round((1 / (1 + Math.exp(-1.5 * x))) * 1e6) / 1e6;
    scores.push(s);
    predictions.push(s >= 0.5 ? 1 : 0);
    actuals.push(u() < s ? 1 : 0);
  }
  return { scores, predictions, actuals };
}
