/**
 * Where `mlwatch drift`'s CPU goes, in-process: the CLI's steps on two files, each timed with
 * `process.cpuUsage` (user + system, so other jobs on the cores matter less than for wall time).
 * `sortCurrent` sorts the current columns once more on its own, to split `compareAll` (sort + tests).
 *
 * Usage: npx tsx bench/drift-phases.ts TREE BASELINE CURRENT   (TREE: a checkout's root, e.g. this one or
 * `git archive <commit>` unpacked with node_modules linked, to compare two versions under the same load)
 */
import { createReadStream, statSync } from "node:fs";
const root = process.argv[2];
const { CsvColumnParser } = await import(`${root}/lambdas/shared/readers/csv.ts`);
const { JsonLinesColumnParser } = await import(`${root}/lambdas/shared/readers/jsonl.ts`);
const { loadTables, compareWithBaseline } = await import(`${root}/lambdas/drift/compare-data.ts`);
const { buildProfile, profileKinds, currentSamples } = await import(`${root}/lambdas/drift/profile.ts`);
const out: Record<string, number> = {};
let c = process.cpuUsage();
const lap = (k: string) => { const u = process.cpuUsage(c); out[k] = (out[k] ?? 0) + (u.user + u.system) / 1000; c = process.cpuUsage(); };
async function read(path: string) {
  const opts = { sizeHint: statSync(path).size };
  const p = path.endsWith(".jsonl") ? new JsonLinesColumnParser(opts) : new CsvColumnParser(opts);
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) p.push(chunk);
  return p.finish();
}
const bt = await read(process.argv[3]); lap("parse");
const bd = loadTables([bt], {}); lap("collect");
const profile = buildProfile(bd.columns, { model: "m", baselineId: "b", createdAt: "x", rows: bd.rows, source: { kind: "inline" } }); lap("profile");
const ct = await read(process.argv[4]); lap("parse");
const cd = loadTables([ct], { kinds: profileKinds(profile), onlyKnown: true }); lap("collect");
currentSamples(cd.columns, profile); lap("sortCurrent");
const report = compareWithBaseline(profile, cd, {}); lap("compareAll");
JSON.stringify(report, null, 2); lap("report");
out.tests = out.compareAll - out.sortCurrent;
console.log(JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, x]) => [k, Math.round(x)]))));
