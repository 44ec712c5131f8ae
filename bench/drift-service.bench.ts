/**
 * Benchmark: the drift service's S3 path at the scale — a check of 1,000,000 rows × 20 numerical
 * features read from S3 (the emulator), as the worker Lambda runs it (`runCheckJob`: list, stream the CSV
 * through the CSV reader into Float64Array columns, compare with the bounded baseline profile, write the
 * report to S3, the summary row, the metrics; drift in 4 features, so the SNS alert too).
 *
 * The baseline (another 1,000,000 × 20 file) is profiled first with `runBaselineJob`. Each phase runs in its
 * own Node process (`--max-old-space-size=2816`, i.e. what fits a 3,008 MB Lambda) so its peak RSS
 * (`process.resourceUsage().maxRSS`) is its own; phases are timed in-process, without interpreter start-up.
 * Data: bench/.data/drift-service-{baseline,current}.csv (gitignored), generated once.
 *
 * Usage: node bench/run.mjs drift-service   (BENCH_ROWS changes the row count, RUNS the check repetitions)
 */
import { spawn } from "node:child_process";
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpus, totalmem } from "node:os";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { irwinHallNormals, xorshift32 } from "../lambdas/core/stats/seeded.js";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, ".data");
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 3);
const FEATURES = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, "0")}`);
const SHIFTED = new Set(["f00", "f05", "f10", "f15"]);
const MODEL = "bench-model";

/** xorshift32 + Irwin–Hall normals, the test fixtures' generator. */
const normalStream = (seed: number): (() => number) => irwinHallNormals(xorshift32(seed));

function writeCsv(path: string, seed: number, shift: number): void {
  const streams = FEATURES.map((_, i) => normalStream(seed * 64 + i + 1));
  const fd = openSync(path, "w");
  writeSync(fd, `${FEATURES.join(",")}\n`);
  let block = "";
  for (let r = 0; r < ROWS; r++) {
    for (let i = 0; i < FEATURES.length; i++) {
      const v = 100 + 15 * (streams[i]() + (SHIFTED.has(FEATURES[i]) ? shift : 0));
      block += (i === 0 ? "" : ",") + v.toFixed(4);
    }
    block += "\n";
    if (block.length > 1 << 20) {
      writeSync(fd, block);
      block = "";
    }
  }
  writeSync(fd, block);
  closeSync(fd);
}

// ------------------------------------------------------------------------------ child: one measured phase

async function phase(kind: "baseline" | "check"): Promise<void> {
  const { runBaselineJob, runCheckJob } = await import("../lambdas/drift/worker.js");
  const store = { ...(await import("../lambdas/drift/store/items.js")), ...(await import("../lambdas/drift/store/baselines.js")), ...(await import("../lambdas/drift/store/active-baseline.js")), ...(await import("../lambdas/drift/store/checks.js")) };
  const id = process.env.BENCH_ID as string;
  const started = performance.now();
  if (kind === "baseline") await runBaselineJob(MODEL, id);
  else await runCheckJob(MODEL, id);
  const seconds = (performance.now() - started) / 1000;
  const record = kind === "baseline" ? await store.getBaseline(MODEL, id) : await store.getCheck(MODEL, id);
  const usage = process.resourceUsage();
  process.stdout.write(`${JSON.stringify({ kind, seconds, maxRssMB: Math.round(usage.maxRSS / 1024), record })}\n`);
}

// ------------------------------------------------------------------------------------------------ parent

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const files = { baseline: join(dataDir, `drift-service-baseline-${ROWS}.csv`), current: join(dataDir, `drift-service-current-${ROWS}.csv`) };
  if (!existsSync(files.baseline)) writeCsv(files.baseline, 1, 0);
  if (!existsSync(files.current)) writeCsv(files.current, 2, 0.5);
  const bytes = statSync(files.current).size;

  const { startEmulator } = await import("../lambdas/local/emulator.js");
  const { bootstrapResources, exportResourceNames, useEndpoint } = await import("../lambdas/local/bootstrap.js");
  const { s3Client } = await import("../lambdas/shared/aws.js");
  const store = { ...(await import("../lambdas/drift/store/items.js")), ...(await import("../lambdas/drift/store/baselines.js")), ...(await import("../lambdas/drift/store/active-baseline.js")), ...(await import("../lambdas/drift/store/checks.js")) };
  const emulator = await startEmulator();
  try {
    useEndpoint(emulator.endpoint);
    const names = await bootstrapResources("bench-drift", "MLWatchBench");
    exportResourceNames(names);
    for (const [side, path] of Object.entries(files)) {
      await s3Client().send(new PutObjectCommand({ Bucket: names.bucket, Key: `datasets/bench/${side}.csv`, Body: createReadStream(path), ContentLength: statSync(path).size }));
    }
    const uri = (side: string) => `s3://${names.bucket}/datasets/bench/${side}.csv`;
    const runPhase = (kind: string, id: string): Promise<any> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["--max-old-space-size=2816", "--import", "tsx", fileURLToPath(import.meta.url), `phase=${kind}`], {
          env: { ...process.env, BENCH_ID: id, POWERTOOLS_LOG_LEVEL: "ERROR", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
          stdio: ["ignore", "pipe", "inherit"],
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop() as string)) : reject(new Error(`${kind} phase exit ${code}`))));
      });

    const baselineId = store.newId();
    await store.putBaseline({ model: MODEL, baselineId, status: "building", createdAt: new Date().toISOString(), createdBy: "bench", source: { kind: "s3", dataUri: uri("baseline") }, options: {} });
    const baseline = await runPhase("baseline", baselineId);
    if (baseline.record.status !== "ready") throw new Error(`baseline ${baseline.record.status}: ${baseline.record.error}`);
    await store.activateIfNone(MODEL, baselineId, "bench");

    const checks: any[] = [];
    for (let r = 0; r < RUNS; r++) {
      const checkId = store.newId();
      await store.putCheck({ model: MODEL, checkId, status: "pending", source: "s3", baselineId, createdAt: new Date().toISOString(), createdBy: "bench", dataUri: uri("current") });
      const result = await runPhase("check", checkId);
      if (result.record.status !== "completed") throw new Error(`check ${result.record.status}: ${result.record.error}`);
      checks.push(result);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const seconds = median(checks.map((c) => c.seconds));
    const rss = Math.max(...checks.map((c) => c.maxRssMB));
    const last = checks[checks.length - 1].record;
    const profileBytes = JSON.stringify((await store.loadBaseline(MODEL, baselineId)).profile).length;
    const result = {
      rows: ROWS,
      features: FEATURES.length,
      csvMB: Math.round(bytes / 1e6),
      baseline: { seconds: Number(baseline.seconds.toFixed(2)), maxRssMB: baseline.maxRssMB, profileKB: Math.round(profileBytes / 1024) },
      check: {
        runs: RUNS,
        medianSeconds: Number(seconds.toFixed(2)),
        allSeconds: checks.map((c) => Number(c.seconds.toFixed(2))),
        rowsPerSecond: Math.round(ROWS / seconds),
        maxRssMB: rss,
        driftedFeatures: last.driftedFeatures.map((f: any) => f.name),
        alert: last.alert,
        metricsPublished: last.metricsPublished,
      },
      lambda: { memoryMB: 3008, timeoutSeconds: 900, memoryHeadroom: Number((3008 / rss).toFixed(1)), timeHeadroom: Math.round(900 / seconds) },
      machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30) },
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(join(dataDir, "drift-service-result.json"), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await emulator.stop();
  }
}

const arg = process.argv.find((a) => a.startsWith("phase="));
if (arg) await phase(arg.slice("phase=".length) as "baseline" | "check");
else await main();
