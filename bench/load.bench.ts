/**
 * Load on the local server (loopback only, bounded): 2,000 mixed requests, 50 in flight at a time,
 * against `startLocalServer` and its embedded emulator. Every answer must be a success (zero errors);
 * prints p50/p99 latency per kind and overall, and throughput.
 *
 *   npx tsx bench/load.bench.ts          (BENCH_REQUESTS, BENCH_CONCURRENCY override the defaults)
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { cpus, totalmem } from "node:os";
import { PutObjectCommand } from "@aws-sdk/client-s3";

const total = Number(process.env.BENCH_REQUESTS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const models = ["churn", "fraud", "eta", "ranker", "spam"];

const { startLocalServer } = await import("../lambdas/local/server.js");
const { s3Client } = await import("../lambdas/shared/aws.js");
const server = await startLocalServer({ port: 0, host: "127.0.0.1", prefix: "bench-load" });
const base = server.url;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

// Prepare: five models with a production-ready first version, an artifact to register more, a baseline each.
await s3Client().send(new PutObjectCommand({ Bucket: server.resources.bucket, Key: "external/model.bin", Body: "weights" }));
const artifactUri = `s3://${server.resources.bucket}/external/model.bin`;
const features = (i: number) => ({ age: 20 + (i % 50), income: 1000 + ((i * 37) % 900), plan: i % 3 === 0 ? "pro" : "basic" });
for (const m of models) {
  const reg = await call("POST", `/models/${m}/versions`, { version: "1.0.0", artifactUri, primaryMetric: "rmse", direction: "lower", metrics: { rmse: 1 } });
  const baseline = await call("POST", `/models/${m}/baselines`, { records: Array.from({ length: 200 }, (_, i) => features(i)) });
  if (reg.status !== 201 || baseline.status !== 201) throw new Error(`seeding ${m}: ${reg.status} ${reg.text} / ${baseline.status} ${baseline.text}`);
}

/** The request mix: mostly reads, as a dashboard and pipelines would send, with every kind of write. */
type Kind = { name: string; weight: number; make: (i: number) => [string, string, unknown?] };
let nextVersion = 0;
const kinds: Kind[] = [
  { name: "GET /health", weight: 5, make: () => ["GET", "/health"] },
  { name: "GET /models", weight: 10, make: () => ["GET", "/models"] },
  { name: "GET /models/{m}", weight: 15, make: (i) => ["GET", `/models/${models[i % 5]}`] },
  { name: "GET versions", weight: 15, make: (i) => ["GET", `/models/${models[i % 5]}/versions?limit=25`] },
  { name: "GET performance", weight: 10, make: (i) => ["GET", `/models/${models[i % 5]}/performance?days=7`] },
  { name: "GET audit", weight: 5, make: (i) => ["GET", `/audit?model=${models[i % 5]}&limit=20`] },
  { name: "POST versions", weight: 8, make: (i) => ["POST", `/models/${models[i % 5]}/versions`, { version: `2.${++nextVersion}.0`, artifactUri, metrics: { rmse: 1 } }] },
  {
    name: "POST batches",
    weight: 12,
    make: (i) => {
      const actuals = Array.from({ length: 200 }, (_, k) => 10 + ((k * 7 + i) % 23));
      return ["POST", `/models/${models[i % 5]}/versions/1.0.0/batches`, { task: "regression", actuals, predictions: actuals.map((a, k) => a + (k % 2 ? 0.5 : -0.5)) }];
    },
  },
  { name: "POST drift-checks", weight: 8, make: (i) => ["POST", `/models/${models[i % 5]}/drift-checks`, { records: Array.from({ length: 200 }, (_, k) => features(k + i)) }] },
  { name: "POST events", weight: 12, make: (i) => ["POST", "/events", { type: "prediction_batch", model: models[i % 5], jobName: `job-${i}` }] },
];
const schedule: Kind[] = [];
const weights = kinds.reduce((s, k) => s + k.weight, 0);
for (let i = 0; i < total; i++) {
  // Deterministic interleaving: request i takes the kind whose cumulative weight band holds (i * 37) mod total weight.
  let r = (i * 37) % weights;
  schedule.push(kinds.find((k) => (r -= k.weight) < 0) as Kind);
}

// Act
const latencies = new Map<string, number[]>(kinds.map((k) => [k.name, []]));
const all: number[] = [];
const errors: string[] = [];
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      const kind = schedule[i];
      const [method, path, body] = kind.make(i);
      const t0 = performance.now();
      try {
        const res = await call(method, path, body);
        if (res.status >= 400) errors.push(`${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
      } catch (err) {
        errors.push(`${method} ${path}: ${String((err as Error).cause ?? err)}`);
      }
      const ms = performance.now() - t0;
      latencies.get(kind.name)!.push(ms);
      all.push(ms);
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
await server.close();

// Assess
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`${total} requests, ${concurrency} concurrent, ${elapsed.toFixed(1)} s: ${(total / elapsed).toFixed(0)} requests/s; errors: ${errors.length}`);
console.log(`| kind | requests | p50 | p99 |\n| --- | --- | --- | --- |`);
for (const k of kinds) {
  const xs = latencies.get(k.name)!;
  console.log(`| ${k.name} | ${xs.length} | ${pct(xs, 50).toFixed(0)} ms | ${pct(xs, 99).toFixed(0)} ms |`);
}
console.log(`| **all** | ${all.length} | ${pct(all, 50).toFixed(0)} ms | ${pct(all, 99).toFixed(0)} ms |`);
for (const e of errors.slice(0, 10)) console.error(e);
if (errors.length > 0) process.exitCode = 1;
