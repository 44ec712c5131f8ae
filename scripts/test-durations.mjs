#!/usr/bin/env node
// Writes test/durations.json — each test file's duration in seconds, from a vitest JSON report (default: the
// integration layer's, .vitest/integration.json, which `npm test` writes) merged into the table already there.
// test/sequencer.ts starts the longest files first, so the slowest ones do not start last and run alone
// at the end of a layer. Run it after a full `npm test` when files were added or got much faster or slower:
//   node scripts/test-durations.mjs [.vitest/integration.json …]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";

const root = resolve(new URL("..", import.meta.url).pathname);
const out = resolve(root, "test/durations.json");
const reports = process.argv.slice(2).length ? process.argv.slice(2) : [".vitest/integration.json"];
const table = existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : {};
for (const report of reports) {
  const { testResults } = JSON.parse(readFileSync(resolve(root, report), "utf8"));
  for (const file of testResults) table[relative(root, file.name)] = Math.round((file.endTime - file.startTime) / 100) / 10;
}
const sorted = Object.fromEntries(Object.entries(table).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(out, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`${Object.keys(sorted).length} files in ${relative(root, out)}`);
