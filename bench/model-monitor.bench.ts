/**
 * Simulation: does a baseline imported from a Model Monitor KLL sketch decide like the data it summarises?
 * Seeded and deterministic. For each baseline size, normal data is drawn, summarised twice — as mlwatch
 * stores it (`buildProfile`) and as a KLL sketch with Model Monitor's parameters (k = 2048, c = 0.64; the
 * compaction scheme of Karnin, Lang & Liberty, random offsets from the seed) imported through
 * `profilesFromStatistics` — and the same current samples (n = 5,000, shifted by 0 … 0.2 sd) are checked
 * against both. Reported per shift: the share of checks that flag the feature, for each baseline, and the
 * share of checks where the two decide alike; and the imported sketch's stated rank error ε.
 *
 * Usage: npm run bench -- model-monitor   (CHECKS=… checks per cell, default 40; SIZES=10000,100000)
 */
import { compareWithBaseline, loadTables } from "../lambdas/drift/compare-data.js";
import { profilesFromStatistics } from "../lambdas/drift/model-monitor/statistics.js";
import { JsonPath } from "../lambdas/drift/model-monitor/read-json.js";
import { type BaselineProfile, baselineBounds, buildProfile, profileFormat, profileKinds } from "../lambdas/drift/profile.js";
import { ColumnBuilder } from "../lambdas/shared/readers/columns.js";
import { ColumnCollector } from "../lambdas/drift/columns.js";
import { mulberry32 } from "../lambdas/core/stats/seeded.js";

const CHECKS = Number(process.env.CHECKS ?? 40);
const SIZES = (process.env.SIZES ?? "10000,100000").split(",").map(Number);
const CURRENT = 5000;
const SHIFTS = [0, 0.05, 0.1, 0.2];
const K = 2048;
const C = 0.64;

function normals(u: () => number, n: number, shift = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = shift + Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return out;
}

/** A KLL sketch of the values (levels of items weighing 2^h), compacting a full level from a random offset. */
function kll(values: Float64Array, u: () => number): number[][] {
  const levels: number[][] = [[]];
  const cap = (h: number): number => Math.max(2, Math.ceil(K * C ** (levels.length - 1 - h)));
  for (const v of values) {
    levels[0].push(v);
    for (let h = 0; h < levels.length; h++) {
      if (levels[h].length < cap(h)) continue;
      if (h + 1 === levels.length) levels.push([]);
      const buf = levels[h].sort((a, b) => a - b);
      const keep = buf.length % 2 === 1 ? [buf.pop() as number] : [];
      const offset = u() < 0.5 ? 0 : 1;
      for (let i = offset; i < buf.length; i += 2) levels[h + 1].push(buf[i]);
      levels[h] = keep;
    }
  }
  return levels;
}

function statisticsOf(values: Float64Array, u: () => number): unknown {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / values.length;
  let m2 = 0;
  for (const v of values) m2 += (v - mean) ** 2;
  return {
    version: 0,
    dataset: { item_count: values.length },
    features: [{ name: "x", inferred_type: "Fractional", numerical_statistics: { common: { num_present: values.length, num_missing: 0 }, mean, sum, std_dev: Math.sqrt(m2 / values.length), min, max, distribution: { kll: { sketch: { parameters: { c: C, k: K }, data: kll(values, u) } } } } }],
  };
}

/** A table of one numerical column, as the readers deliver it. */
function tableOf(values: Float64Array) {
  const b = new ColumnBuilder("x", false, values.length);
  for (const v of values) b.pushNumber(v);
  return { columns: [b.finish(values.length)], rows: values.length };
}

function exactProfile(values: Float64Array): BaselineProfile {
  const collector = new ColumnCollector();
  collector.addTable(tableOf(values));
  return buildProfile(collector.finish(), { model: "bench", baselineId: "b", createdAt: "", rows: values.length, source: { kind: "inline" } });
}

function importedProfile(values: Float64Array, u: () => number): BaselineProfile {
  const imported = profilesFromStatistics(statisticsOf(values, u), new JsonPath("statistics"));
  return { format: profileFormat, model: "bench", baselineId: "i", createdAt: "", rows: imported.rows, features: imported.features, profiles: imported.profiles, bounds: baselineBounds, source: { kind: "model_monitor" } };
}

function currentData(values: Float64Array, kinds: ReturnType<typeof profileKinds>) {
  return loadTables([tableOf(values)], { kinds, onlyKnown: true });
}

const started = performance.now();
console.log(`checks per cell ${CHECKS}, current n = ${CURRENT}, KLL k = ${K}, c = ${C}`);
console.log("| baseline n | ε (imported) | shift (sd) | flagged, mlwatch baseline | flagged, imported KLL | same decision |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const n of SIZES) {
  const u = mulberry32(20260 + n);
  const base = normals(u, n);
  const exact = exactProfile(base);
  const imported = importedProfile(base, u);
  const eps = (imported.profiles.x as { sketch: { rankError?: number } }).sketch.rankError ?? 0;
  for (const shift of SHIFTS) {
    let a = 0;
    let b = 0;
    let same = 0;
    for (let i = 0; i < CHECKS; i++) {
      const data = currentData(normals(u, CURRENT, shift), profileKinds(exact));
      const ra = compareWithBaseline(exact, data).features.x.driftDetected;
      const rb = compareWithBaseline(imported, data).features.x.driftDetected;
      a += ra ? 1 : 0;
      b += rb ? 1 : 0;
      same += ra === rb ? 1 : 0;
    }
    console.log(`| ${n.toLocaleString("en-US")} | ${eps.toFixed(4)} | ${shift} | ${((100 * a) / CHECKS).toFixed(0)} % | ${((100 * b) / CHECKS).toFixed(0)} % | ${((100 * same) / CHECKS).toFixed(0)} % |`);
  }
}
console.log(`took ${((performance.now() - started) / 1000).toFixed(1)} s`);
