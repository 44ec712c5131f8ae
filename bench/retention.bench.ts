/**
 * Retention's cost on the registration that triggers it, on the local server: a model with BACKLOG
 * development versions (default 60, as in issue 22) and no retention, then `keepLast: 1`, then one
 * registration that must archive them all. Prints that registration's latency (it archives at most 5 and
 * answers), how long the follow-up takes to archive the rest after it and whether anything is left, against a
 * registration with no retention work; then 10 concurrent registrations on 10 models with a retention backlog
 * (CONCURRENT_BACKLOG versions each, default 8) against 10 without retention.
 *
 *   npx tsx bench/retention.bench.ts     (BACKLOG, RUNS, CONCURRENT_BACKLOG override 60, 3 and 8)
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { cpus, loadavg, totalmem } from "node:os";
import { PutObjectCommand } from "@aws-sdk/client-s3";

const backlog = Number(process.env.BACKLOG ?? 60);
const runs = Number(process.env.RUNS ?? 3);
const concurrentBacklog = Number(process.env.CONCURRENT_BACKLOG ?? 8);

const { startLocalServer } = await import("../lambdas/local/server.js");
const { s3Client } = await import("../lambdas/shared/aws.js");
const { settleRetention } = await import("../lambdas/registry/retention-dispatch.js");
const server = await startLocalServer({ port: 0, host: "127.0.0.1", prefix: "bench-retention" });

async function call(method: string, path: string, body: unknown): Promise<{ ms: number; status: number; json: any }> {
  const started = performance.now();
  const res = await fetch(`${server.url}${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = await res.json();
  return { ms: performance.now() - started, status: res.status, json };
}

await s3Client().send(new PutObjectCommand({ Bucket: server.resources.bucket, Key: "external/model.bin", Body: "weights" }));
const artifactUri = `s3://${server.resources.bucket}/external/model.bin`;
const rows: Array<Record<string, unknown>> = [];
try {
  for (let run = 1; run <= runs; run++) {
    const model = `retained-${run}`;
    const first = await call("POST", `/models/${model}/versions`, { version: "1.0.0", artifactUri, primaryMetric: "auc", direction: "higher" });
    if (first.status !== 201) throw new Error(`seeding: ${first.status}`);
    for (let i = 1; i < backlog; i++) {
      const r = await call("POST", `/models/${model}/versions`, { artifactUri });
      if (r.status !== 201) throw new Error(`seeding ${i}: ${r.status}`);
    }
    const plain = await call("POST", `/models/${model}/versions`, { artifactUri });
    const policy = await call("PUT", `/models/${model}/promotion-policy`, { retention: { keepLast: 1 } });
    if (plain.status !== 201 || policy.status !== 200) throw new Error(`setup: ${plain.status} ${policy.status}`);
    const triggering = await call("POST", `/models/${model}/versions`, { artifactUri });
    if (triggering.status !== 201) throw new Error(`triggering registration: ${triggering.status} ${JSON.stringify(triggering.json)}`);
    // The follow-up archives the rest after the answer (retention-dispatch.ts): time it until none is left.
    const drainStarted = performance.now();
    await settleRetention();
    const drainMs = performance.now() - drainStarted;
    const listed = await fetch(`${server.url}/models/${model}/versions?limit=100`).then((r) => r.json() as Promise<any>);
    rows.push({
      run,
      versions: backlog + 1,
      noRetentionMs: Math.round(plain.ms),
      triggeringMs: Math.round(triggering.ms),
      archivedByIt: triggering.json.retention?.archived?.length ?? 0,
      remainingAfterIt: triggering.json.retention?.remaining ?? null,
      continuing: triggering.json.retention?.continuing ?? false,
      followUpMs: Math.round(drainMs),
      archivedInTotal: listed.items.filter((v: any) => v.stage === "archived").length,
      leftUnarchived: listed.items.filter((v: any) => v.stage !== "archived").length - 1,
    });
  }
  console.table(rows);

  // 10 concurrent registrations on 10 models: with retention (each with a backlog of CONCURRENT_BACKLOG to
  // archive) against without (same versions, no retention policy).
  const concurrent: Record<string, unknown> = {};
  for (const mode of ["without", "with"] as const) {
    const models = Array.from({ length: 10 }, (_, i) => `conc-${mode}-${i}`);
    for (const model of models) {
      const first = await call("POST", `/models/${model}/versions`, { version: "1.0.0", artifactUri, primaryMetric: "auc", direction: "higher" });
      if (first.status !== 201) throw new Error(`seeding ${model}: ${first.status}`);
      for (let i = 1; i < concurrentBacklog; i++) await call("POST", `/models/${model}/versions`, { artifactUri });
      if (mode === "with") await call("PUT", `/models/${model}/promotion-policy`, { retention: { keepLast: 1 } });
    }
    const answers = await Promise.all(models.map((model) => call("POST", `/models/${model}/versions`, { artifactUri })));
    if (answers.some((a) => a.status !== 201)) throw new Error(`concurrent registrations: ${answers.map((a) => a.status).join(",")}`);
    const ms = answers.map((a) => Math.round(a.ms)).sort((a, b) => a - b);
    await settleRetention();
    concurrent[mode] = { minMs: ms[0], medianMs: ms[5], maxMs: ms[9], archivedOnAnswer: answers.reduce((n, a) => n + (a.json.retention?.archived?.length ?? 0), 0) };
  }
  console.table(concurrent);
  console.log(JSON.stringify({ backlog, runs, cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), loadavg: loadavg().map((l) => Math.round(l * 100) / 100), rows, concurrent }));
} finally {
  await server.close();
}
