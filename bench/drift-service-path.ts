/**
 * One measured run of the drift service's S3 path on a benchmark file pair, in its own process (so its peak
 * RSS is its own), against the emulator the parent started: the worker's baseline job (`runBaselineJob`:
 * list, stream the object from S3 through the reader, profile, store the profile, the baseline row, the
 * audit entry) and check job (`runCheckJob`: read, compare, the HTML and JSON reports to S3, the summary
 * row, the metrics, the alert, the event, the audit entry), timed in-process on a warm worker (SDK clients
 * loaded). Then, with the process warm,
 * the parts: the S3 reads alone (the objects' bytes streamed and dropped), read + parse (`loadS3`), and the
 * statistics alone (`buildProfile` + `compareWithBaseline` on the loaded columns), so the rest of each job
 * is its writes (profile, reports, rows, metrics, alert, event, audit). Every figure is given in wall
 * seconds and in this process's CPU seconds (user + system; the emulator's own CPU is not counted: on AWS
 * that work is S3's, DynamoDB's, CloudWatch's).
 *
 * Then the same two jobs once more on new records (`next`): a worker's next jobs, its code compiled and its
 * memory mapped, so the first pair's excess over them is what a first run costs (compiling the code each
 * step meets for the first time, first-touching fresh memory), and their excess over the parts is the writes.
 *
 * Run by drift-cli.bench.ts from an esbuild bundle of this file built with the Lambda bundles' options
 * (lib/bundles.ts: what the worker runs when deployed, not TypeScript compiled on import):
 * `node bench/.data/service-path/index.mjs BASELINE_URI CURRENT_URI`; prints one JSON line.
 */
import { runBaselineJob, runCheckJob } from "../lambdas/drift/worker.js";
import { loadS3 as loadFromS3 } from "../lambdas/drift/ingest.js";
import { compareWithBaseline } from "../lambdas/drift/compare-data.js";
import { buildProfile, profileKinds } from "../lambdas/drift/profile.js";
import * as storeItems from "../lambdas/drift/store/items.js";
import * as storeBaselines from "../lambdas/drift/store/baselines.js";
import * as storeActive from "../lambdas/drift/store/active-baseline.js";
import * as storeChecks from "../lambdas/drift/store/checks.js";
import { listS3Objects, objectChunks } from "../lambdas/shared/readers/s3-source.js";
import { loadCloudWatch } from "../lambdas/shared/sdk/cloudwatch.js";
import { loadDynamo } from "../lambdas/shared/sdk/dynamodb.js";
import { loadEventBridge } from "../lambdas/shared/sdk/eventbridge.js";
import { loadLogs } from "../lambdas/shared/sdk/logs.js";
import { loadS3 } from "../lambdas/shared/sdk/s3.js";
import { loadSns } from "../lambdas/shared/sdk/sns.js";

const store = { ...storeItems, ...storeBaselines, ...storeActive, ...storeChecks };

const MODEL = "bench-model";
const [baselineUri, currentUri] = process.argv.slice(2);

const seconds = (from: number): number => (performance.now() - from) / 1000;
/** This process's CPU seconds (user + system) since `from`: steadier than wall time on a shared machine. */
const cpuSince = (from: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};

/** A run that has not finished in this long is stuck, not slow: fail it rather than hold the bench. */
const WATCHDOG_MS = Number(process.env.SERVICE_WATCHDOG_MS ?? 30 * 60_000);

async function main(): Promise<void> {
  // A warm worker, as after its first request: the SDK clients it uses and the event schemas (loaded on a
  // worker's first publish) are loaded before the clock starts.
  await Promise.all([loadS3(), loadDynamo(), loadCloudWatch(), loadSns(), loadEventBridge(), loadLogs(), import("../lambdas/shared/event-schemas.js")]);
  const baselineId = store.newId();
  await store.putBaseline({ model: MODEL, baselineId, status: "building", createdAt: new Date().toISOString(), createdBy: "bench", source: { kind: "s3", dataUri: baselineUri }, options: {} });
  let cpu = process.cpuUsage();
  let t = performance.now();
  await runBaselineJob(MODEL, baselineId);
  const baselineSeconds = seconds(t);
  const baselineCpuSeconds = cpuSince(cpu);
  const baseline = await store.getBaseline(MODEL, baselineId);
  if (baseline?.status !== "ready") throw new Error(`baseline ${baseline?.status}: ${baseline?.error}`);
  await store.activateIfNone(MODEL, baselineId, "bench");

  const checkId = store.newId();
  await store.putCheck({ model: MODEL, checkId, status: "pending", source: "s3", baselineId, createdAt: new Date().toISOString(), createdBy: "bench", dataUri: currentUri });
  cpu = process.cpuUsage();
  t = performance.now();
  await runCheckJob(MODEL, checkId);
  const checkSeconds = seconds(t);
  const checkCpuSeconds = cpuSince(cpu);
  const check = await store.getCheck(MODEL, checkId);
  if (check?.status !== "completed") throw new Error(`check ${check?.status}: ${check?.error}`);
  const maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);

  // The worker's next jobs: the same data on new records.
  const nextBaselineId = store.newId();
  await store.putBaseline({ model: MODEL, baselineId: nextBaselineId, status: "building", createdAt: new Date().toISOString(), createdBy: "bench", source: { kind: "s3", dataUri: baselineUri }, options: {} });
  cpu = process.cpuUsage();
  await runBaselineJob(MODEL, nextBaselineId);
  const nextBaselineCpuSeconds = cpuSince(cpu);
  const nextCheckId = store.newId();
  await store.putCheck({ model: MODEL, checkId: nextCheckId, status: "pending", source: "s3", baselineId, createdAt: new Date().toISOString(), createdBy: "bench", dataUri: currentUri });
  cpu = process.cpuUsage();
  await runCheckJob(MODEL, nextCheckId);
  const nextCheckCpuSeconds = cpuSince(cpu);
  if ((await store.getCheck(MODEL, nextCheckId))?.status !== "completed") throw new Error("the next check did not complete");

  // The parts, warm, each timed in wall and CPU seconds.
  const parts: Record<string, number> = {};
  const part = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
    const c = process.cpuUsage();
    const w = performance.now();
    const out = await run();
    parts[`${name}Seconds`] = seconds(w);
    parts[`${name}CpuSeconds`] = cpuSince(c);
    return out;
  };
  let bytes = 0;
  await part("s3Read", async () => {
    for (const uri of [baselineUri, currentUri]) for (const ref of await listS3Objects(uri)) for await (const chunk of objectChunks(ref)) bytes += chunk.length;
  });
  const baselineData = await part("loadBaseline", () => loadFromS3(baselineUri));
  const profile = await part("profile", () => buildProfile(baselineData.columns, { model: MODEL, baselineId, createdAt: new Date().toISOString(), rows: baselineData.rows, source: { kind: "s3" } }));
  const currentData = await part("loadCurrent", () => loadFromS3(currentUri, { kinds: profileKinds(profile), onlyKnown: true, positionalNames: profile.features }));
  await part("compare", () => compareWithBaseline(profile, currentData, check.thresholds));

  const stored = await store.loadBaseline(MODEL, baselineId);
  process.stdout.write(
    `${JSON.stringify({
      baselineSeconds,
      checkSeconds,
      baselineCpuSeconds,
      checkCpuSeconds,
      cpuSeconds: baselineCpuSeconds + checkCpuSeconds,
      maxRssMB,
      next: { baselineCpuSeconds: nextBaselineCpuSeconds, checkCpuSeconds: nextCheckCpuSeconds },
      parts: { ...parts, s3Bytes: bytes },
      driftedFeatures: check.driftedFeatures?.map((f) => f.name),
      profileKB: Math.round(JSON.stringify(stored.profile).length / 1024),
    })}\n`,
  );
}

setTimeout(() => {
  process.stderr.write(`drift-service-path: no result after ${WATCHDOG_MS / 1000} s\n`);
  process.exit(3);
}, WATCHDOG_MS).unref();
await main();
