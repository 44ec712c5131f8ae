/**
 * The long randomised race run: the three race test files (registrations, promotions and rollbacks,
 * ground-truth joins) with unforced concurrency, `RACE_RUNS` runs each (default 100) on a fresh stack per
 * run — what `npm test` did before the write gate (test/integration/interleave.ts) forced the
 * read-before-write interleaving. Prints each file's wall time and the run's CPU time.
 *
 *   npm run bench -- races              (RACE_RUNS overrides 100)
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";

const files = ["test/integration/registry/races.test.ts", "test/integration/registry/promotion-races.test.ts", "test/integration/performance/races.test.ts"];
const runs = process.env.RACE_RUNS ?? "100";
const out = join(tmpdir(), `mlwatch-races-${process.pid}.json`);
const started = performance.now();
const run = spawnSync(
  process.execPath,
  ["node_modules/vitest/vitest.mjs", "run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...files],
  { stdio: "inherit", env: { ...process.env, RACE_INTERLEAVING: "free", RACE_RUNS: runs } },
);
const wallS = (performance.now() - started) / 1000;
const report = JSON.parse(readFileSync(out, "utf8")) as { testResults: Array<{ name: string; startTime: number; endTime: number; status: string }> };
rmSync(out, { force: true });
console.log(`\n${cpus().length} cores; RACE_RUNS=${runs}, free interleaving; wall ${wallS.toFixed(0)} s`);
for (const r of report.testResults) console.log(`  ${r.name.slice(r.name.indexOf("test/"))}: ${((r.endTime - r.startTime) / 1000).toFixed(0)} s, ${r.status}`);
// CPU time of the reaped children (vitest, its workers, the emulators): /proc/self/stat cutime + cstime (Linux).
const cpu = childCpuSeconds();
if (cpu !== undefined) console.log(`  CPU: ${cpu.toFixed(0)} s (vitest, workers and emulators; a loaded machine stretches wall time, not this)`);

function childCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the state field (index 0): cutime is field 16 and cstime 17 of proc(5), here indexes 13 and 14.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

process.exit(run.status ?? 1);
