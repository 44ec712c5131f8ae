/**
 * Benchmark: what one drift check costs, measured by the check itself (its report's `cost`: Lambda GB-s from
 * its measured duration × the worker's 3,008 MB, S3 requests counted by the S3 client, Step Functions
 * transitions of a fan-out), for an hour of captured data at several sizes, and what a month of hourly
 * checks (730) and of 5-minute checks (8,760) costs at that rate.
 *
 * Each size is written as OBJECTS CSV objects (as data capture writes several files an hour) of 10
 * numerical features to the emulator's S3, checked by the worker's `runCheckJob` in this process, once on
 * the single worker and once fanned out (the same shards and reduce in-process; 4 objects a shard).
 * Duration on this machine (2 cores, shared) stands for the Lambda's; a loaded machine overstates it.
 *
 * Usage: node bench/run.mjs check-cost   (ROWS=10000,100000 rows per hour, OBJECTS=12)
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { irwinHallNormals, xorshift32 } from "../lambdas/core/stats/seeded.js";
import { EnvName } from "../lambdas/shared/env.js";

const SIZES = (process.env.ROWS ?? "10000,100000").split(",").map(Number);
const OBJECTS = Number(process.env.OBJECTS ?? 12);
const FEATURES = Array.from({ length: 10 }, (_, i) => `f${i}`);
const MODEL = "bench-cost";

function csv(rows: number, seed: number): string {
  const streams = FEATURES.map((_, i) => irwinHallNormals(xorshift32(seed * 64 + i + 1)));
  const lines = [FEATURES.join(",")];
  for (let r = 0; r < rows; r++) lines.push(streams.map((s) => (100 + 15 * s()).toFixed(4)).join(","));
  return `${lines.join("\n")}\n`;
}

const { startEmulator } = await import("../lambdas/local/emulator.js");
const { bootstrapResources, exportResourceNames, useEndpoint } = await import("../lambdas/local/bootstrap.js");
const { s3Client } = await import("../lambdas/shared/aws.js");
const store = { ...(await import("../lambdas/drift/store/items.js")), ...(await import("../lambdas/drift/store/baselines.js")), ...(await import("../lambdas/drift/store/active-baseline.js")), ...(await import("../lambdas/drift/store/checks.js")) };
const { runBaselineJob, runCheckJob } = await import("../lambdas/drift/worker.js");
process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
const emulator = await startEmulator();
try {
  useEndpoint(emulator.endpoint);
  const names = await bootstrapResources("bench-cost", "MLWatchCostBench");
  exportResourceNames(names);
  const put = (key: string, body: string) => s3Client().send(new PutObjectCommand({ Bucket: names.bucket, Key: key, Body: body }));
  await put("datasets/bench-cost/baseline.csv", csv(20_000, 1));
  const baselineId = store.newId();
  await store.putBaseline({ model: MODEL, baselineId, status: "building", createdAt: new Date().toISOString(), createdBy: "bench", source: { kind: "s3", dataUri: `s3://${names.bucket}/datasets/bench-cost/baseline.csv` }, options: {} });
  await runBaselineJob(MODEL, baselineId);
  await store.activateIfNone(MODEL, baselineId, "bench");

  console.log(`| rows an hour | objects | path | seconds | Lambda GB-s | transitions | S3 requests (write / read) | USD a check | USD a month, hourly | USD a month, every 5 min |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const rows of SIZES) {
    const prefix = `datasets/bench-cost/${rows}/`;
    const per = Math.ceil(rows / OBJECTS);
    for (let i = 0; i < OBJECTS; i++) await put(`${prefix}part-${String(i).padStart(2, "0")}.csv`, csv(Math.min(per, rows - i * per), 100 + i));
    for (const path of ["single worker", "fan-out"] as const) {
      process.env[EnvName.driftFanOutObjects] = path === "fan-out" ? "2" : "100000";
      process.env[EnvName.driftShardObjects] = "4";
      const checkId = store.newId();
      await store.putCheck({ model: MODEL, checkId, status: "pending", source: "s3", baselineId, createdAt: new Date().toISOString(), createdBy: "bench", dataUri: `s3://${names.bucket}/${prefix}` });
      const started = performance.now();
      await runCheckJob(MODEL, checkId);
      const seconds = (performance.now() - started) / 1000;
      const record = await store.getCheck(MODEL, checkId);
      if (record?.status !== "completed" || !record.cost) throw new Error(`check ${record?.status}: ${record?.error}`);
      const c = record.cost;
      const usd = (x: number) => `$${x.toFixed(x < 0.01 ? 6 : 2)}`;
      console.log(
        `| ${rows.toLocaleString("en-US")} | ${OBJECTS} | ${path} | ${seconds.toFixed(1)} | ${c.lambdaGbSeconds.toFixed(2)} | ${c.stepFunctionsTransitions} | ${c.s3Requests} (${c.s3RequestsByTier.write} / ${c.s3RequestsByTier.read}) | ${usd(c.estimatedUsd)} | ${usd(c.estimatedUsd * 730)} | ${usd(c.estimatedUsd * 8760)} |`,
      );
    }
  }
} finally {
  await emulator.stop();
}
