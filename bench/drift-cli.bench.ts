/**
 * Benchmark: `mlwatch drift` end to end on two CSV files of 1,000,000 rows × 4 numerical columns, side by side
 * with the python pipeline a user would otherwise run (bench/drift_pipeline.py: pandas read_csv + scipy
 * ks_2samp + wasserstein_distance + numpy PSI/JS), in one run on this machine.
 *
 * mlwatch is timed twice: as users install it (the bin of @mlwatch/client, one esbuild bundle built here by
 * scripts/cli-bundle.mjs, the same build the package gets) and from a checkout (`node bin/mlwatch.js`, which
 * registers the tsx loader and compiles the sources on the fly).
 *
 * All are timed as whole processes (interpreter start, imports, reading, statistics) with /usr/bin/time,
 * which also gives each process's peak RSS. Runs alternate, RUNS times each (default 3); medians reported.
 * Data: bench/.data/drift-{baseline,current}.csv, generated once (gitignored).
 * Needs Debian's python3-pandas and python3-scipy for /usr/bin/python3; without them the comparison is
 * skipped with a note, and only the mlwatch figures are printed.
 *
 * Usage: npm run bench -- drift   (or: node --import tsx bench/drift-cli.bench.ts)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { irwinHallNormals, xorshift32 } from "../lambdas/core/stats/seeded.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const dataDir = join(here, ".data");
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 3);
const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
const TIME = "/usr/bin/time";
const COLUMNS = ["age", "income", "score", "latency"] as const;

/** xorshift32 + Irwin–Hall normals, the test fixtures' generator. */
const normalStream = (seed: number): (() => number) => irwinHallNormals(xorshift32(seed));

function writeCsv(path: string, seed: number, shifts: Record<string, number>): void {
  const streams = COLUMNS.map((_, i) => normalStream(seed * 16 + i + 1));
  const scales: Record<string, [number, number]> = { age: [40, 12], income: [55_000, 18_000], score: [0.5, 0.15], latency: [120, 30] };
  const fd = openSync(path, "w");
  writeSync(fd, `${COLUMNS.join(",")}\n`);
  let block = "";
  for (let r = 0; r < ROWS; r++) {
    block += COLUMNS.map((name, i) => {
      const [loc, scale] = scales[name];
      const v = loc + scale * (streams[i]() + (shifts[name] ?? 0));
      return v.toFixed(name === "score" ? 6 : 3);
    }).join(",");
    block += "\n";
    if (block.length > 1 << 20) {
      writeSync(fd, block);
      block = "";
    }
  }
  writeSync(fd, block);
  closeSync(fd);
}

interface Measure {
  seconds: number;
  peakRssMb: number | null;
  stdout: string;
}

function measure(command: string, args: string[]): Measure {
  const useTime = existsSync(TIME);
  const started = performance.now();
  const result = useTime
    ? spawnSync(TIME, ["-f", "__TIME__ %e %M", command, ...args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 })
    : spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  }
  const line = useTime ? result.stderr.split("\n").find((l) => l.startsWith("__TIME__")) : undefined;
  const [, , kb] = line?.split(" ") ?? [];
  return { seconds: wall, peakRssMb: kb ? Number(kb) / 1024 : null, stdout: result.stdout };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const baseline = join(dataDir, `drift-baseline-${ROWS}.csv`);
  const current = join(dataDir, `drift-current-${ROWS}.csv`);
  if (!existsSync(baseline) || !existsSync(current)) {
    console.log(`generating ${ROWS.toLocaleString("en")} rows × ${COLUMNS.length} columns into bench/.data/ …`);
    writeCsv(baseline, 1, {});
    writeCsv(current, 2, { age: 0.3, score: 0.02 });
  }
  const mb = (p: string) => (statSync(p).size / 1048576).toFixed(0);
  console.log(`files: baseline ${mb(baseline)} MB, current ${mb(current)} MB`);

  const pythonCheck = spawnSync(PYTHON, ["-c", "import pandas, scipy, numpy"], { encoding: "utf8" });
  const havePython = pythonCheck.status === 0;
  if (!havePython) {
    console.log(
      `python comparison skipped: ${PYTHON} cannot import pandas/scipy/numpy (apt-get install -y python3-pandas python3-scipy)`,
    );
  }

  const bundle = join(dataDir, "mlwatch-cli.mjs");
  const { buildCliBundle } = (await import(join(root, "scripts", "cli-bundle.mjs"))) as { buildCliBundle: (outfile: string) => Promise<void> };
  await buildCliBundle(bundle);
  const args = ["drift", "--baseline", baseline, "--current", current];

  const node: Measure[] = [];
  const checkout: Measure[] = [];
  const python: Measure[] = [];
  for (let run = 0; run < RUNS; run++) {
    node.push(measure(process.execPath, [bundle, ...args]));
    checkout.push(measure(process.execPath, ["bin/mlwatch.js", ...args]));
    if (havePython) python.push(measure(PYTHON, [join(here, "drift_pipeline.py"), baseline, current]));
    console.log(
      `run ${run + 1}: mlwatch ${node[run].seconds.toFixed(2)} s, from the checkout ${checkout[run].seconds.toFixed(2)} s` +
        (havePython ? `, python ${python[run].seconds.toFixed(2)} s` : ""),
    );
  }

  const report = JSON.parse(node[0].stdout);
  if (JSON.stringify(report.features) !== JSON.stringify(JSON.parse(checkout[0].stdout).features)) throw new Error("the bundled and the checkout CLI disagree");
  const nodeSeconds = median(node.map((m) => m.seconds));
  const nodeRss = median(node.map((m) => m.peakRssMb ?? NaN));
  const checkoutSeconds = median(checkout.map((m) => m.seconds));
  const checkoutRss = median(checkout.map((m) => m.peakRssMb ?? NaN));
  const result: Record<string, unknown> = {
    rows: ROWS,
    columns: COLUMNS.length,
    runs: RUNS,
    mlwatch: { seconds: nodeSeconds, peakRssMb: nodeRss },
    mlwatchFromCheckout: { seconds: checkoutSeconds, peakRssMb: checkoutRss },
    node: process.version,
  };
  console.log(`\nmlwatch drift (installed bin): median ${nodeSeconds.toFixed(2)} s, peak RSS ${nodeRss.toFixed(0)} MB`);
  console.log(`mlwatch drift (checkout, tsx): median ${checkoutSeconds.toFixed(2)} s, peak RSS ${checkoutRss.toFixed(0)} MB`);
  if (havePython) {
    const pySeconds = median(python.map((m) => m.seconds));
    const pyRss = median(python.map((m) => m.peakRssMb ?? NaN));
    const py = JSON.parse(python[0].stdout);
    result.python = { seconds: pySeconds, peakRssMb: pyRss, versions: py.versions };
    result.ratio = nodeSeconds / pySeconds;
    result.ratioFromCheckout = checkoutSeconds / pySeconds;
    console.log(`python pipeline (pandas ${py.versions.pandas}, scipy ${py.versions.scipy}): median ${pySeconds.toFixed(2)} s, peak RSS ${pyRss.toFixed(0)} MB`);
    console.log(`ratio mlwatch / python: ${(nodeSeconds / pySeconds).toFixed(3)} installed, ${(checkoutSeconds / pySeconds).toFixed(3)} from the checkout (aim ≤ 0.25)`);
    // Agreement of the numbers, not just the speed.
    for (const name of COLUMNS) {
      const ours = report.features[name].tests;
      const theirs = py.features[name];
      const d = Math.abs(ours.ks.statistic - theirs.ks);
      const p = theirs.pValue === 0 ? Math.abs(ours.ks.pValue) : Math.abs(ours.ks.pValue - theirs.pValue) / theirs.pValue;
      const w = Math.abs(ours.wasserstein.distance - theirs.wasserstein) / theirs.wasserstein;
      const psi = Math.abs(ours.psi.value - theirs.psi);
      console.log(`  ${name}: |ΔD| ${d.toExponential(1)}, rel Δp ${p.toExponential(1)}, rel ΔW ${w.toExponential(1)}, |ΔPSI| ${psi.toExponential(1)}`);
    }
  }
  writeFileSync(join(dataDir, "drift-cli-result.json"), `${JSON.stringify(result, null, 2)}\n`);
}

await main();
