/**
 * Writes what the settings tables and the metric names give (`npm run config`): lib/config-props.ts, the
 * generated tables of docs/configuration.md and docs/performance.md, and dashboards/monitoring_dashboard.json
 * (the dashboard body, lib/dashboard-body.ts). `--check` exits 1 when a committed file differs.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dashboardBody } from "../lib/dashboard-body.js";
import { configDocsTable, configPropsSource, performanceThresholdsDocsTable, replaceBlock } from "./config-sources.js";

const at = (path: string): URL => new URL(`../${path}`, import.meta.url);
const outputs: Array<[string, (current: string) => string]> = [
  ["lib/config-props.ts", () => configPropsSource()],
  ["docs/configuration.md", (current) => replaceBlock(current, "settings", configDocsTable())],
  ["docs/performance.md", (current) => replaceBlock(current, "thresholds", performanceThresholdsDocsTable())],
  ["dashboards/monitoring_dashboard.json", () => dashboardBody()],
];

const read = (path: string): string => {
  try {
    return readFileSync(at(path), "utf8");
  } catch {
    return ""; // missing: stale
  }
};

const stale = outputs.filter(([path, make]) => read(path) !== make(read(path))).map(([path]) => path);
if (process.argv.includes("--check")) {
  if (stale.length > 0) {
    process.stderr.write(`${stale.join(", ")} ${stale.length > 1 ? "are" : "is"} stale: run npm run config\n`);
    process.exit(1);
  }
} else {
  for (const [path, make] of outputs) writeFileSync(at(path), make(read(path)));
  process.stdout.write(`wrote ${outputs.map(([p]) => p).join(", ")} (${stale.length} changed)\n`);
}
