/**
 * Retention's cost on the registration that triggers it, on the local server: a model with BACKLOG
 * development versions (default 60, as in issue 22) and no retention, then `keepLast: 1`, then one
 * registration that must archive them all. Prints that registration's latency, how many versions it archived
 * and how many remain, and the latency of registrations that follow until the backlog is gone, against a
 * registration with no retention work.
 *
 *   npx tsx bench/retention.bench.ts     (BACKLOG, RUNS override 60 and 3)
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { cpus, loadavg, totalmem } from "node:os";
import { PutObjectCommand } from "@aws-sdk/client-s3";

const backlog = Number(process.env.BACKLOG ?? 60);
const runs = Number(process.env.RUNS ?? 3);

const { startLocalServer } = await import("../lambdas/local/server.js");
const { s3Client } = await import("../lambdas/shared/aws.js");
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
    const following: number[] = [];
    let archived = triggering.json.retention?.archived?.length ?? 0;
    let remaining = triggering.json.retention?.remaining ?? 0;
    while (remaining > 0 && following.length < backlog) {
      const next = await call("POST", `/models/${model}/versions`, { artifactUri });
      if (next.status !== 201) throw new Error(`following registration: ${next.status}`);
      following.push(Math.round(next.ms));
      archived += next.json.retention?.archived?.length ?? 0;
      remaining = next.json.retention?.remaining ?? 0;
    }
    rows.push({
      run,
      versions: backlog + 1,
      noRetentionMs: Math.round(plain.ms),
      triggeringMs: Math.round(triggering.ms),
      archivedByIt: triggering.json.retention?.archived?.length ?? 0,
      remainingAfterIt: triggering.json.retention?.remaining ?? null,
      followingRegistrations: following.length,
      followingMaxMs: following.length ? Math.max(...following) : null,
      archivedInTotal: archived,
    });
  }
  console.table(rows);
  console.log(JSON.stringify({ backlog, runs, cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), loadavg: loadavg().map((l) => Math.round(l * 100) / 100), rows }));
} finally {
  await server.close();
}
