/**
 * Version allocation under contention on the local server: N concurrent registrations without a version
 * (default 30, as in issue 15) against one model, after one alone for reference. Every answer must be a
 * 201 with a distinct version; prints each one's latency (min, p50, max), DynamoDB calls per registration
 * (counted on the SDK client) and the versions handed out.
 *
 *   npx tsx bench/registration-contention.bench.ts     (BENCH_CONCURRENCY, RUNS override 30 and 3)
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { cpus, totalmem } from "node:os";
import { PutObjectCommand } from "@aws-sdk/client-s3";

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 30);
const runs = Number(process.env.RUNS ?? 3);

const { startLocalServer } = await import("../lambdas/local/server.js");
const { s3Client, dynamoClient } = await import("../lambdas/shared/aws.js");
const server = await startLocalServer({ port: 0, host: "127.0.0.1", prefix: "bench-contention" });

let dynamoCalls = 0;
dynamoClient().middlewareStack.add((next) => async (args) => {
  dynamoCalls++;
  return next(args);
}, { step: "initialize", name: "benchCountCalls" });

async function register(model: string, body: Record<string, unknown>): Promise<{ ms: number; status: number; version?: string }> {
  const started = performance.now();
  const res = await fetch(`${server.url}/models/${model}/versions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json()) as { version?: string };
  return { ms: performance.now() - started, status: res.status, version: json.version };
}

await s3Client().send(new PutObjectCommand({ Bucket: server.resources.bucket, Key: "external/model.bin", Body: "weights" }));
const artifactUri = `s3://${server.resources.bucket}/external/model.bin`;
const results: Array<Record<string, unknown>> = [];
try {
  for (let run = 1; run <= runs; run++) {
    const model = `contended-${run}`;
    const first = await register(model, { version: "1.0.0", artifactUri, primaryMetric: "auc", direction: "higher" });
    const alone = await register(model, { artifactUri });
    if (first.status !== 201 || alone.status !== 201) throw new Error(`seeding: ${first.status} ${alone.status}`);
    const callsBefore = dynamoCalls;
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: concurrency }, (_, i) => register(model, { artifactUri, tags: { caller: String(i) } })));
    const wall = performance.now() - started;
    const calls = (dynamoCalls - callsBefore) / concurrency;
    const bad = answers.filter((a) => a.status !== 201);
    const versions = answers.map((a) => a.version as string);
    if (bad.length > 0 || new Set(versions).size !== concurrency) throw new Error(`run ${run}: ${bad.length} not 201, ${new Set(versions).size} distinct versions`);
    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    const row = {
      run,
      aloneMs: Math.round(alone.ms),
      minMs: Math.round(ms[0]),
      p50Ms: Math.round(ms[Math.floor(ms.length / 2)]),
      maxMs: Math.round(ms[ms.length - 1]),
      wallMs: Math.round(wall),
      dynamoCallsPerRegistration: Math.round(calls * 10) / 10,
      versions: [...versions].sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1])).join(" "),
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${concurrency} concurrent, ${runs} runs`);
} finally {
  await server.close();
}
