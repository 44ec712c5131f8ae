/**
 * Benchmark: `mlwatch drift` and the drift service's S3 path on the same files, side by side with the python
 * pipeline a user would otherwise run (bench/drift_pipeline.py: pandas read_csv / read_json + scipy ks_2samp +
 * wasserstein_distance + numpy PSI/JS), in one run on this machine. Files: 1,000,000 rows × 4 numerical
 * columns, baseline and current, of the kinds in bench/drift-data.ts (short decimals, full-precision floats
 * as numpy/pandas write them, the same floats as JSON Lines).
 *
 * Per kind and run, interleaved: mlwatch as users install it (the bin of @mlwatch/client, one esbuild bundle
 * built here by scripts/cli-bundle.mjs, the build the package gets), mlwatch from a checkout (`node
 * bin/mlwatch.js`, which runs its cached bundle of the sources; the bench builds it before the first run), the python pipeline — each a whole process timed
 * with /usr/bin/time (wall time and peak RSS) — and the service path (bench/drift-service-path.ts, bundled
 * with the Lambda bundles' esbuild options as the worker is deployed: the worker's baseline job then check
 * job, then the next pair, timed in-process, against the emulator started here, the files uploaded to it
 * first). Medians of RUNS (default 3), with the load average seen at each run: the machine
 * may be shared, so compare the ratios measured in the same run.
 *
 * Usage: npm run bench -- drift-cli   (RUNS, BENCH_ROWS, KINDS=short,float,jsonl, SERVICE=0 to skip the
 * service path, SERVICE_KINDS=short,float BENCH_PYTHON, BEFORE_TREE)
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, createReadStream, existsSync, statSync, writeFileSync } from "node:fs";
import { loadavg, cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { COLUMNS, DATA_KINDS, dataFiles, type DataKind } from "./drift-data.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const dataDir = join(here, ".data");
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 3);
const KINDS = (process.env.KINDS?.split(",") ?? DATA_KINDS) as DataKind[];
const SERVICE = process.env.SERVICE !== "0";
/** Kinds the service path is measured on (each costs an upload of both files to the emulator first). */
const SERVICE_KINDS = new Set((process.env.SERVICE_KINDS ?? "short,float").split(","));
const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
const TIME = "/usr/bin/time";
/**
 * Another checkout (e.g. `git archive <commit> | tar -x -C DIR`, node_modules linked) measured in the same runs
 * as "before": its installed bin and its service path, with this run's drift-service-path.ts copied into it.
 */
const BEFORE = process.env.BEFORE_TREE;

interface Measure {
  seconds: number;
  /** User + system CPU time: steadier than wall time when other jobs share the cores. */
  cpuSeconds: number;
  peakRssMb: number;
  stdout: string;
}

function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Measure {
  const started = performance.now();
  const result = spawnSync(TIME, ["-f", "__TIME__ %e %M %U %S", command, ...args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26, env });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr.slice(-2000)}`);
  const line = result.stderr.split("\n").find((l) => l.startsWith("__TIME__"));
  const [, , kb, user, sys] = line?.split(" ") ?? [];
  return { seconds: wall, cpuSeconds: Number(user) + Number(sys), peakRssMb: Number(kb) / 1024, stdout: result.stdout };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number, d = 2): string => x.toFixed(d);

interface ServiceRun {
  /** The worker's next baseline and check job on the same data: its code compiled, its memory mapped. */
  next: { baselineCpuSeconds: number; checkCpuSeconds: number };
  baselineSeconds: number;
  checkSeconds: number;
  baselineCpuSeconds: number;
  checkCpuSeconds: number;
  cpuSeconds: number;
  maxRssMB: number;
  parts: Record<string, number>;
  driftedFeatures: string[];
}

interface KindRuns {
  installed: Measure[];
  before: Measure[];
  beforeService: ServiceRun[];
  checkout: Measure[];
  python: Measure[];
  service: ServiceRun[];
  load: number[];
}

/**
 * Bundles `tree`'s bench/drift-service-path.ts into `outdir` (index.mjs + chunks) with the Lambda bundles'
 * esbuild options (this tree's lib/bundles.ts), for the Node that runs the bench.
 */
async function buildServicePath(tree: string, outdir: string): Promise<void> {
  const { build } = await import("esbuild");
  const { esbuildOptions } = await import("../lib/bundles.js");
  await build({ ...esbuildOptions("drift-worker", outdir, tree), entryPoints: { index: join(tree, "bench", "drift-service-path.ts") }, target: `node${process.versions.node.split(".")[0]}`, sourcemap: false });
}

async function main(): Promise<void> {
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed (apt-get install -y time)`);
  const files = Object.fromEntries(KINDS.map((kind) => [kind, dataFiles(dataDir, kind, ROWS)])) as Record<DataKind, { baseline: string; current: string }>;
  for (const kind of KINDS) {
    console.log(`${kind}: baseline ${(statSync(files[kind].baseline).size / 1e6).toFixed(0)} MB, current ${(statSync(files[kind].current).size / 1e6).toFixed(0)} MB`);
  }
  const havePython = spawnSync(PYTHON, ["-c", "import pandas, scipy, numpy"], { encoding: "utf8" }).status === 0;
  if (!havePython) console.log(`python comparison skipped: ${PYTHON} cannot import pandas/scipy/numpy (apt-get install -y python3-pandas python3-scipy)`);

  const bundle = join(dataDir, "mlwatch-cli.mjs");
  // The service path as the worker is deployed: one esbuild bundle with the Lambda bundles' options.
  const servicePath = join(dataDir, "service-path", "index.mjs");
  if (SERVICE) await buildServicePath(root, dirname(servicePath));
  const { buildCliBundle } = (await import(join(root, "scripts", "cli-bundle.mjs"))) as { buildCliBundle: (outfile: string) => Promise<void> };
  await buildCliBundle(bundle);
  if (BEFORE) {
    const before = (await import(join(BEFORE, "scripts", "cli-bundle.mjs"))) as { buildCliBundle: (outfile: string) => Promise<void> };
    // Inside the other tree, so its bare imports resolve from its node_modules.
    await before.buildCliBundle(join(BEFORE, "mlwatch-cli.mjs"));
    copyFileSync(join(here, "drift-service-path.ts"), join(BEFORE, "bench", "drift-service-path.ts"));
    if (SERVICE) await buildServicePath(BEFORE, join(BEFORE, "service-path"));
  }

  let stopEmulator = async (): Promise<void> => {};
  const uris: Partial<Record<DataKind, { baseline: string; current: string }>> = {};
  let serviceEnv: NodeJS.ProcessEnv = process.env;
  if (SERVICE) {
    const { startEmulator } = await import("../lambdas/local/emulator.js");
    const { bootstrapResources, exportResourceNames, useEndpoint } = await import("../lambdas/local/bootstrap.js");
    const { PutObjectCommand, S3Client } = await import("@aws-sdk/client-s3");
    const emulator = await startEmulator({ startTimeoutMs: 300_000 });
    stopEmulator = () => emulator.stop();
    useEndpoint(emulator.endpoint);
    const names = await bootstrapResources("bench-drift-cli", "MLWatchBench");
    exportResourceNames(names);
    serviceEnv = { ...process.env, POWERTOOLS_LOG_LEVEL: "ERROR", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
    // Uploaded without the SDK's default CRC32 trailer: the emulator decodes an aws-chunked body of 55 MB in
    // about 350 s at load 25, a plain body in about 5 s (measured). The reads are the worker's own client.
    // Like the product's clients (lambdas/shared/aws/common.ts), it never waits for ever on a stalled connection.
    const uploader = new S3Client({
      region: process.env.AWS_REGION ?? "us-east-1",
      endpoint: emulator.endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      requestHandler: { connectionTimeout: 10_000, socketTimeout: 600_000 },
    });
    const started = performance.now();
    for (const kind of KINDS.filter((k) => SERVICE_KINDS.has(k))) {
      const ext = kind === "jsonl" ? "jsonl" : "csv";
      const pair = { baseline: `datasets/${kind}/baseline.${ext}`, current: `datasets/${kind}/current.${ext}` };
      for (const side of ["baseline", "current"] as const) {
        const path = files[kind][side];
        await uploader.send(new PutObjectCommand({ Bucket: names.bucket, Key: pair[side], Body: createReadStream(path), ContentLength: statSync(path).size }));
      }
      uris[kind] = { baseline: `s3://${names.bucket}/${pair.baseline}`, current: `s3://${names.bucket}/${pair.current}` };
    }
    console.log(`uploaded to the emulator in ${fmt((performance.now() - started) / 1000, 0)} s (not part of any figure)`);
  }

  // The checkout's launcher bundles the sources on its first start after a change: not part of any run.
  spawnSync(process.execPath, [join(root, "bin", "mlwatch.js"), "--help"], { cwd: root, stdio: "ignore" });
  const runs = Object.fromEntries(KINDS.map((k) => [k, { installed: [], before: [], beforeService: [], checkout: [], python: [], service: [], load: [] }])) as unknown as Record<DataKind, KindRuns>;
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const kind of KINDS) {
        const r = runs[kind];
        const args = ["drift", "--baseline", files[kind].baseline, "--current", files[kind].current];
        r.load.push(loadavg()[0]);
        r.installed.push(measure(process.execPath, [bundle, ...args]));
        if (BEFORE) r.before.push(measure(process.execPath, [join(BEFORE, "mlwatch-cli.mjs"), ...args]));
        r.checkout.push(measure(process.execPath, ["bin/mlwatch.js", ...args]));
        if (havePython) r.python.push(measure(PYTHON, [join(here, "drift_pipeline.py"), files[kind].baseline, files[kind].current]));
        const u = uris[kind];
        if (u) {
          const m = measure(process.execPath, ["--max-old-space-size=2816", servicePath, u.baseline, u.current], serviceEnv);
          r.service.push(JSON.parse(m.stdout.trim().split("\n").pop() as string) as ServiceRun);
          if (BEFORE) {
            const b = measure(process.execPath, ["--max-old-space-size=2816", join(BEFORE, "service-path", "index.mjs"), u.baseline, u.current], serviceEnv);
            r.beforeService.push(JSON.parse(b.stdout.trim().split("\n").pop() as string) as ServiceRun);
          }
        }
        const last = (xs: Measure[]): string => (xs.length > 0 ? `${fmt(xs[xs.length - 1].seconds)} s (CPU ${fmt(xs[xs.length - 1].cpuSeconds)})` : "-");
        const s = r.service[r.service.length - 1];
        console.log(
          `run ${run + 1} ${kind} (load ${fmt(r.load[run], 1)}): installed ${last(r.installed)}${BEFORE ? `, before ${last(r.before)}` : ""}, checkout ${last(r.checkout)}, python ${last(r.python)}` +
            (s ? `, service ${fmt(s.baselineSeconds)} + ${fmt(s.checkSeconds)} s (CPU ${fmt(s.baselineCpuSeconds)} + ${fmt(s.checkCpuSeconds)})` : ""),
        );
      }
    }
  } finally {
    await stopEmulator();
  }

  const result: Record<string, unknown> = { rows: ROWS, columns: COLUMNS.length, runs: RUNS, node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, kinds: {} };
  for (const kind of KINDS) {
    const r = runs[kind];
    const installed = median(r.installed.map((m) => m.seconds));
    const checkout = median(r.checkout.map((m) => m.seconds));
    const out: Record<string, unknown> = {
      bytes: statSync(files[kind].baseline).size + statSync(files[kind].current).size,
      loadAverage: { min: Math.min(...r.load), max: Math.max(...r.load) },
      installed: { seconds: installed, cpuSeconds: median(r.installed.map((m) => m.cpuSeconds)), peakRssMb: median(r.installed.map((m) => m.peakRssMb)) },
      checkout: { seconds: checkout, cpuSeconds: median(r.checkout.map((m) => m.cpuSeconds)), peakRssMb: median(r.checkout.map((m) => m.peakRssMb)) },
    };
    if (BEFORE) {
      const b = median(r.before.map((m) => m.seconds));
      out.before = { seconds: b, cpuSeconds: median(r.before.map((m) => m.cpuSeconds)), peakRssMb: median(r.before.map((m) => m.peakRssMb)) };
      if (r.beforeService.length > 0) {
        const bs = r.beforeService;
        out.beforeService = {
          seconds: median(bs.map((x) => x.baselineSeconds + x.checkSeconds)),
          baselineSeconds: median(bs.map((x) => x.baselineSeconds)),
          checkSeconds: median(bs.map((x) => x.checkSeconds)),
          maxRssMB: Math.max(...bs.map((x) => x.maxRssMB)),
        };
      }
      console.log(`  before: installed ${fmt(b)} s (${fmt(median(r.before.map((m) => m.peakRssMb)), 0)} MB)` + (out.beforeService ? `, service ${fmt((out.beforeService as { seconds: number }).seconds)} s` : ""));
    }
    const report = JSON.parse(r.installed[0].stdout);
    if (JSON.stringify(report.features) !== JSON.stringify(JSON.parse(r.checkout[0].stdout).features)) throw new Error(`${kind}: the bundled and the checkout CLI disagree`);
    console.log(`\n${kind}: mlwatch installed ${fmt(installed)} s (${fmt(median(r.installed.map((m) => m.peakRssMb)), 0)} MB), checkout ${fmt(checkout)} s (${fmt(median(r.checkout.map((m) => m.peakRssMb)), 0)} MB); load ${fmt(Math.min(...r.load), 1)}–${fmt(Math.max(...r.load), 1)}`);
    if (havePython) {
      const py = median(r.python.map((m) => m.seconds));
      const pyOut = JSON.parse(r.python[0].stdout);
      const pyCpu = median(r.python.map((m) => m.cpuSeconds));
      Object.assign(out, { cpuRatio: median(r.installed.map((m) => m.cpuSeconds)) / pyCpu, checkoutCpuRatio: median(r.checkout.map((m) => m.cpuSeconds)) / pyCpu, python: { seconds: py, cpuSeconds: pyCpu, peakRssMb: median(r.python.map((m) => m.peakRssMb)), versions: pyOut.versions }, ratio: installed / py, ratioFromCheckout: checkout / py });
      // Each run's own ratio too: under a changing load the per-run ratios are steadier than the medians' ratio.
      out.perRunRatio = r.installed.map((m, i) => m.seconds / r.python[i].seconds);
      if (BEFORE) out.beforeRatio = median(r.before.map((m) => m.seconds)) / py;
      if (BEFORE) out.beforeCpuRatio = median(r.before.map((m) => m.cpuSeconds)) / pyCpu;
      console.log(`  CPU time: installed ${fmt(median(r.installed.map((m) => m.cpuSeconds)))} s, checkout ${fmt(median(r.checkout.map((m) => m.cpuSeconds)))} s${BEFORE ? `, before ${fmt(median(r.before.map((m) => m.cpuSeconds)))} s` : ""}, python ${fmt(pyCpu)} s; ratio installed ${fmt(out.cpuRatio as number, 3)}, checkout ${fmt(out.checkoutCpuRatio as number, 3)}${BEFORE ? `, before ${fmt(out.beforeCpuRatio as number, 3)}` : ""}`);
      console.log(`  python ${fmt(py)} s (${fmt(median(r.python.map((m) => m.peakRssMb)), 0)} MB): ratio installed ${fmt(installed / py, 3)}, checkout ${fmt(checkout / py, 3)}; per run ${(out.perRunRatio as number[]).map((x) => fmt(x, 3)).join(", ")}`);
      for (const name of COLUMNS) {
        const ours = report.features[name].tests;
        const theirs = pyOut.features[name];
        const p = theirs.pValue === 0 ? Math.abs(ours.ks.pValue) : Math.abs(ours.ks.pValue - theirs.pValue) / theirs.pValue;
        console.log(
          `    ${name}: |ΔD| ${Math.abs(ours.ks.statistic - theirs.ks).toExponential(1)}, rel Δp ${p.toExponential(1)}, rel ΔW ${(Math.abs(ours.wasserstein.distance - theirs.wasserstein) / theirs.wasserstein).toExponential(1)}, |ΔPSI| ${Math.abs(ours.psi.value - theirs.psi).toExponential(1)}`,
        );
      }
    }
    if (r.service.length > 0) {
      const s = r.service;
      const total = median(s.map((x) => x.baselineSeconds + x.checkSeconds));
      const parts = Object.fromEntries(Object.keys(s[0].parts).map((k) => [k, median(s.map((x) => x.parts[k]))]));
      const cliCpu = median(r.installed.map((m) => m.cpuSeconds));
      const serviceCpu = median(s.map((x) => x.cpuSeconds));
      Object.assign(out, {
        service: {
          seconds: total,
          baselineSeconds: median(s.map((x) => x.baselineSeconds)),
          checkSeconds: median(s.map((x) => x.checkSeconds)),
          cpuSeconds: serviceCpu,
          baselineCpuSeconds: median(s.map((x) => x.baselineCpuSeconds)),
          checkCpuSeconds: median(s.map((x) => x.checkCpuSeconds)),
          maxRssMB: Math.max(...s.map((x) => x.maxRssMB)),
          parts,
          driftedFeatures: s[0].driftedFeatures,
        },
        serviceOverInstalled: total / installed,
        serviceCpuOverInstalled: serviceCpu / cliCpu,
      });
      // CPU: the worker's own (user + system), against the whole CLI process's; the rest of each job beyond
      // read + parse + statistics is its writes (profile, reports, rows, metrics, alert, event, audit).
      const rest = serviceCpu - parts.loadBaselineCpuSeconds - parts.profileCpuSeconds - parts.loadCurrentCpuSeconds - parts.compareCpuSeconds;
      // The rest, split: what the first pair costs beyond the worker's next pair (code compiled on first use,
      // fresh memory), and what the next pair costs beyond read + parse + statistics (the writes).
      const nextCpu = median(s.map((x) => x.next.baselineCpuSeconds + x.next.checkCpuSeconds));
      const firstRun = serviceCpu - nextCpu;
      const writes = rest - firstRun;
      Object.assign(out, { serviceNext: { cpuSeconds: nextCpu, baselineCpuSeconds: median(s.map((x) => x.next.baselineCpuSeconds)), checkCpuSeconds: median(s.map((x) => x.next.checkCpuSeconds)) } });
      console.log(
        `  service CPU: baseline job ${fmt(median(s.map((x) => x.baselineCpuSeconds)))} s + check job ${fmt(median(s.map((x) => x.checkCpuSeconds)))} s = ${fmt(serviceCpu)} s, ${fmt(serviceCpu / cliCpu)}× the installed CLI's ${fmt(cliCpu)} s; ` +
          `of it: S3 reads alone ${fmt(parts.s3ReadCpuSeconds)} s, read + parse baseline ${fmt(parts.loadBaselineCpuSeconds)} s, profile ${fmt(parts.profileCpuSeconds)} s, read + parse current ${fmt(parts.loadCurrentCpuSeconds)} s, compare ${fmt(parts.compareCpuSeconds)} s, writes and the rest ${fmt(rest)} s ` +
          `(first-run costs ${fmt(firstRun)} s, writes ${fmt(writes)} s)`,
      );
      console.log(`  the worker's next jobs: baseline ${fmt(median(s.map((x) => x.next.baselineCpuSeconds)))} s + check ${fmt(median(s.map((x) => x.next.checkCpuSeconds)))} s = ${fmt(nextCpu)} s CPU, ${fmt(nextCpu / cliCpu)}× the installed CLI`);
      console.log(
        `  service: baseline ${fmt(median(s.map((x) => x.baselineSeconds)))} s + check ${fmt(median(s.map((x) => x.checkSeconds)))} s = ${fmt(total)} s (${fmt(total / installed)}× the installed CLI), peak ${Math.max(...s.map((x) => x.maxRssMB))} MB; ` +
          `S3 reads alone ${fmt(parts.s3ReadSeconds)} s, load baseline ${fmt(parts.loadBaselineSeconds)} s, profile ${fmt(parts.profileSeconds)} s, load current ${fmt(parts.loadCurrentSeconds)} s, compare ${fmt(parts.compareSeconds)} s`,
      );
    }
    (result.kinds as Record<string, unknown>)[kind] = out;
  }
  writeFileSync(join(dataDir, "drift-cli-result.json"), `${JSON.stringify(result, null, 2)}\n`);
  // The side-by-side table of bench/README.md: medians of CPU seconds (user + system) and peak RSS.
  console.log("\n| kind | installed CLI | checkout CLI | pandas + scipy | installed / python | service: baseline + check job | service / installed | load |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const kind of KINDS) {
    const k = (result.kinds as Record<string, Record<string, any>>)[kind];
    const py = k.python ? `${fmt(k.python.cpuSeconds)} s, ${fmt(k.python.peakRssMb, 0)} MB` : "-";
    const sv = k.service ? `${fmt(k.service.baselineCpuSeconds)} + ${fmt(k.service.checkCpuSeconds)} s, ${k.service.maxRssMB} MB` : "-";
    console.log(
      `| ${kind} | ${fmt(k.installed.cpuSeconds)} s, ${fmt(k.installed.peakRssMb, 0)} MB | ${fmt(k.checkout.cpuSeconds)} s, ${fmt(k.checkout.peakRssMb, 0)} MB | ${py} | ${k.cpuRatio ? fmt(k.cpuRatio, 3) : "-"} | ${sv} | ${k.serviceCpuOverInstalled ? `${fmt(k.serviceCpuOverInstalled)}×` : "-"} | ${fmt(k.loadAverage.min, 1)}–${fmt(k.loadAverage.max, 1)} |`,
    );
  }
}

await main();
