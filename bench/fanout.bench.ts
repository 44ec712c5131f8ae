/**
 * The fan-out engine on in-memory data: ROWS × FEATURES numerical values (default 10M × 20) generated shard by
 * shard (SHARD_ROWS per shard, default 250,000), each shard prepared (`prepareNumeric`) and summarised
 * (`summarizeNumeric`, the shard function's per-feature work), the summaries merged in groups of 32
 * (`mergeFeatureSummaries`), then the drift report built (`buildDriftReport`). Half the features drift
 * (+0.3 sd), half do not.
 * Measured: wall time of the map (shards in sequence on one core: per-shard throughput), of the merge and the
 * report; peak RSS; the merged statistics against the exact ones on the full data of EXACT_FEATURES features
 * (regenerated feature by feature: KS statistic, PSI, missing count); decisions against the exact path on
 * EXACT_ROWS rows (default 2M) for every feature.
 * Not measured here: S3 reads and parsing (the shard's ingest is the single worker's, measured in drift-service.bench.ts).
 * Usage: npm run bench -- fanout   (ROWS=…, FEATURES=…, SHARD_ROWS=…, EXACT_ROWS=…, EXACT_FEATURES=…)
 */
import { buildDriftReport, mergeFeatureSummaries, prepareNumeric, summarizeNumeric, type FeaturePair, type FeatureSummary, type NumericSample, toCurrentSample } from "../lambdas/core/drift/index.js";
import { baselineSamples, buildProfile } from "../lambdas/drift/profile.js";
import { ksStatisticSorted } from "../lambdas/core/stats/ks.js";
import { mulberry32 } from "../lambdas/core/stats/seeded.js";

const ROWS = Number(process.env.ROWS ?? 10_000_000);
const FEATURES = Number(process.env.FEATURES ?? 20);
const SHARD_ROWS = Number(process.env.SHARD_ROWS ?? 250_000);
const EXACT_ROWS = Number(process.env.EXACT_ROWS ?? 2_000_000);
const EXACT_FEATURES = Number(process.env.EXACT_FEATURES ?? 2);
const FAN_IN = 32;

/** Seeded uniforms (mulberry32). */
const rng = mulberry32;
/** Feature f's values of one shard (deterministic in (f, shard)): normal, 1 % missing, odd features shifted. */
function column(f: number, shard: number, n: number, shifted: boolean): Float64Array {
  const r = rng(1_000_003 * (f + 1) + shard);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    out[i] = r() < 0.01 ? NaN : z + (shifted && f % 2 === 1 ? 0.3 : 0);
  }
  return out;
}

const names = Array.from({ length: FEATURES }, (_, f) => `f${f}`);
// Baseline: 1M rows per feature, profiled as the service stores it (10,000-value sketch, ε = 1e-4).
const baseColumns = new Map(names.map((name, f) => [name, { kind: "numerical" as const, values: column(f, 999_999, 1_000_000, false), invalid: 0 }]));
const profile = buildProfile(baseColumns, { model: "bench", baselineId: "b", createdAt: new Date(0).toISOString(), rows: 1_000_000, source: { kind: "inline" } });
baseColumns.clear();
const base = baselineSamples(profile);

let peak = process.memoryUsage().rss;
const sample = (): void => void (peak = Math.max(peak, process.memoryUsage().rss));

function fanOut(rows: number): { summaries: Record<string, FeatureSummary>; mapMs: number; mergeMs: number; shards: number } {
  const shards = Math.ceil(rows / SHARD_ROWS);
  const parts: FeatureSummary[][] = names.map(() => []);
  const t0 = performance.now();
  for (let s = 0; s < shards; s++) {
    const n = Math.min(SHARD_ROWS, rows - s * SHARD_ROWS);
    names.forEach((name, f) => parts[f].push(summarizeNumeric(base[name] as NumericSample, prepareNumeric(column(f, s, n, true)), 10)));
    sample();
  }
  const t1 = performance.now();
  const summaries: Record<string, FeatureSummary> = Object.create(null);
  names.forEach((name, f) => {
    let level = parts[f];
    while (level.length > 1) {
      const next: FeatureSummary[] = [];
      for (let i = 0; i < level.length; i += FAN_IN) next.push(mergeFeatureSummaries(level.slice(i, i + FAN_IN)));
      level = next;
    }
    summaries[name] = level[0];
  });
  sample();
  return { summaries, mapMs: t1 - t0, mergeMs: performance.now() - t1, shards };
}

function reportOf(current: Record<string, NumericSample>) {
  const pairs: Record<string, FeaturePair> = Object.create(null);
  for (const name of names) pairs[name] = { baseline: base[name], current: current[name] };
  return buildDriftReport(pairs);
}

/** The exact current sample of feature f over `rows` rows (the same shards, concatenated). */
function exactColumn(f: number, rows: number): NumericSample {
  const all = new Float64Array(rows);
  for (let s = 0, at = 0; at < rows; s++) {
    const n = Math.min(SHARD_ROWS, rows - at);
    all.set(column(f, s, n, true), at);
    at += n;
  }
  return prepareNumeric(all);
}

const big = fanOut(ROWS);
const t2 = performance.now();
const bigReport = reportOf(Object.fromEntries(names.map((n) => [n, toCurrentSample(big.summaries[n]) as NumericSample])));
const reportMs = performance.now() - t2;
console.log(`fan-out engine: ${ROWS.toLocaleString()} rows × ${FEATURES} features, ${big.shards} shards of ${SHARD_ROWS.toLocaleString()} rows, merge fan-in ${FAN_IN}`);
console.log(`  map ${(big.mapMs / 1000).toFixed(1)} s on one core (${((ROWS * FEATURES) / (big.mapMs / 1000) / 1e6).toFixed(2)} M values/s; per shard ${(big.mapMs / big.shards / 1000).toFixed(2)} s for ${SHARD_ROWS.toLocaleString()} × ${FEATURES})`);
console.log(`  merge ${(big.mergeMs / 1000).toFixed(2)} s, report ${(reportMs / 1000).toFixed(2)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`);
console.log(`  drifted: ${Object.entries(bigReport.features).filter(([, f]) => f.driftDetected).map(([n]) => n).join(", ") || "none"}`);

for (let f = 0; f < Math.min(EXACT_FEATURES, FEATURES); f++) {
  const name = names[f];
  const exact = exactColumn(f, ROWS);
  const merged = big.summaries[name];
  if (merged.type !== "numerical") continue;
  const fanned = bigReport.features[name].tests;
  const dExact = ksStatisticSorted((base[name] as NumericSample).sorted, exact.sorted);
  const exactReport = reportOf({ ...Object.fromEntries(names.map((n) => [n, toCurrentSample(big.summaries[n]) as NumericSample])), [name]: exact });
  console.log(
    `  ${name}: merged count ${merged.count} (exact ${exact.count}), missing ${merged.missing} (exact ${exact.missing}); ` +
      `KS D fan-out ${fanned.ks!.statistic.toFixed(6)} vs same baseline sketch on the full data ${dExact.toFixed(6)} (|Δ| ${Math.abs(fanned.ks!.statistic - dExact).toExponential(2)}, ε_current ${fanned.ks!.sketch?.currentRankError?.toExponential(2)}); ` +
      `PSI ${fanned.psi!.value.toExponential(4)} vs ${exactReport.features[name].tests.psi!.value.toExponential(4)}; decision ${bigReport.features[name].driftDetected} vs ${exactReport.features[name].driftDetected}`,
  );
  sample();
}

// Decisions against the exact path on EXACT_ROWS rows, every feature.
const small = fanOut(EXACT_ROWS);
const smallReport = reportOf(Object.fromEntries(names.map((n) => [n, toCurrentSample(small.summaries[n]) as NumericSample])));
const exactSmall = reportOf(Object.fromEntries(names.map((n, f) => [n, exactColumn(f, EXACT_ROWS)])));
const differing = names.filter((n) => smallReport.features[n].driftDetected !== exactSmall.features[n].driftDetected || smallReport.features[n].rulesFired.join() !== exactSmall.features[n].rulesFired.join());
console.log(`  decisions at ${EXACT_ROWS.toLocaleString()} rows: ${FEATURES - differing.length}/${FEATURES} features identical to the exact path${differing.length ? ` (differ: ${differing.join(", ")})` : ""}; drifted ${names.filter((n) => exactSmall.features[n].driftDetected).length}`);
console.log(`  peak RSS ${(Math.max(peak, process.memoryUsage().rss) / 2 ** 20).toFixed(0)} MB`);
