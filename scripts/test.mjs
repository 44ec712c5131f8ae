#!/usr/bin/env node
// Runs the three test layers one after the other, each with its own vitest summary, then prints
// one line per layer and a closing "N passed, N failed" line. Exit code: non-zero when any layer fails
// or when a layer ran no test (a layer that silently runs nothing is a broken layer).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const layers = (process.argv.slice(2).length ? process.argv.slice(2) : ["unit", "infra", "integration"]);
const outDir = ".vitest";
mkdirSync(outDir, { recursive: true });
const results = [];
let failed = false;
for (const layer of layers) {
  const outputFile = join(outDir, `${layer}.json`);
  rmSync(outputFile, { force: true });
  console.log(`\n=== ${layer} tests ===`);
  const run = spawnSync(
    process.execPath,
    ["node_modules/vitest/vitest.mjs", "run", "--project", layer, "--reporter=default", "--reporter=json", `--outputFile.json=${outputFile}`],
    { stdio: "inherit", env: process.env },
  );
  let summary = { passed: 0, failed: 0, skipped: 0, total: 0 };
  try {
    const report = JSON.parse(readFileSync(outputFile, "utf8"));
    summary = {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + (report.numTodoTests ?? 0),
      total: report.numTotalTests,
    };
  } catch {
    summary.failed = 1;
  }
  if (run.status !== 0 || summary.failed > 0 || summary.total === 0) failed = true;
  results.push({ layer, ...summary, status: run.status });
}
console.log("\n=== summary ===");
for (const r of results) {
  console.log(`${r.layer.padEnd(12)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${r.total} tests)${r.status !== 0 ? "  [exit " + r.status + "]" : ""}`);
}
const passed = results.reduce((s, r) => s + r.passed, 0);
const failedCount = results.reduce((s, r) => s + r.failed, 0);
console.log(`${passed} passed, ${failedCount} failed`);
process.exit(failed ? 1 : 0);
