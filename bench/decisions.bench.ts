/**
 * Simulation: how often the drift decision rule (lambdas/core/drift) cries wolf, how much it detects, and
 * whether a sketched baseline decides like the full data — seeded, deterministic, on this machine.
 *
 * - False alarms: share of checks (10 features each, every feature drawn from its baseline's distribution)
 *   that report drift, at current n = 5, 20, 200 and 5,000 against a 10,000-row baseline: normal numerics
 *   with and without 2 % missing cells, Zipf-like categoricals with 2, 20 and 500 categories (with and
 *   without missing), Cauchy and lognormal numerics. The baseline is redrawn every 10 checks.
 * - Power: share of checks whose one shifted feature (normal, +0.1 / 0.2 / 0.3 sd) is flagged, with 9
 *   stable companions, at current n = 1,000 (and 200) against 10,000 baseline rows.
 * - The issue's cases 3–7 and the lognormal σ = 0.5, location +0.04 at 60k rows (must stay unflagged).
 * - Sketch agreement: 1M-row baselines stored as the service stores them (buildProfile: 10,000 order
 *   statistics, ε = 1e-4) vs the exact full-data comparison, on 100k-row current samples: no shift,
 *   0.01 / 0.02 / 0.05 sd, and 1 % of the rows moved to +20 sd (the issue's case 5).
 *
 * - Round three (`decision-cases.ts`): the issue's cases — missing-share gate, constant column, binary,
 *   category share shift, new categories beyond the top 1,000, far tail — power and false alarms side by
 *   side with Wilson 95 % intervals (CASE_CHECKS each, default 30; ONLY_CASES=1 runs just these).
 *
 * Usage: npm run bench -- decisions   (CHECKS=… checks per null scenario, default 100; LARGE_CHECKS=… at n = 5,000, default 20;
 * ONLY=regex and SIZES=5,20 for a longer run of some null cells only, e.g. CHECKS=1000 ONLY='^normal$' SIZES=200)
 */
import { buildDriftReport, prepareCategorical, prepareNumeric, type FeaturePair } from "../lambdas/core/drift/index.js";
import { compareWithBaseline, loadTables } from "../lambdas/drift/compare-data.js";
import { buildProfile, profileKinds } from "../lambdas/drift/profile.js";
import { ColumnBuilder } from "../lambdas/shared/readers/columns.js";
import { mulberry32 } from "../lambdas/core/stats/seeded.js";
import { runRoundThree } from "./decision-cases.js";

const CHECKS = Number(process.env.CHECKS ?? 100);
/** Checks at n = 5,000 (each costs ~0.3 s: ten exact KS p-values for 10,000 vs 5,000 values). */
const LARGE_CHECKS = Number(process.env.LARGE_CHECKS ?? 20);
const BASELINE_ROWS = 10_000;
const FEATURES = 10;

/** Seeded uniforms (mulberry32). */
const rng = mulberry32;

function normal(u: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const th = 2 * Math.PI * u();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

type Draw = (u: () => number, z: () => number) => number;
const draws = {
  normal: ((_u, z) => z()) as Draw,
  cauchy: ((u) => Math.tan(Math.PI * (u() - 0.5))) as Draw,
  lognormal: ((_u, z) => Math.exp(0.5 * z())) as Draw,
};

function numericColumn(u: () => number, z: () => number, n: number, draw: Draw, missing: number, shift = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = u() < missing ? NaN : draw(u, z) + shift;
  return out;
}

function zipfSampler(k: number): (u: () => number) => string {
  const cdf = new Float64Array(k);
  let s = 0;
  for (let r = 1; r <= k; r++) cdf[r - 1] = s += 1 / r;
  for (let i = 0; i < k; i++) cdf[i] /= s;
  return (u) => {
    const x = u();
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return `c${lo}`;
  };
}

function categoricalColumn(u: () => number, n: number, sample: (u: () => number) => string, missing: number): (string | null)[] {
  return Array.from({ length: n }, () => (u() < missing ? null : sample(u)));
}

interface NullScenario {
  readonly name: string;
  readonly kind: "numeric" | "categorical";
  readonly draw?: Draw;
  readonly categories?: number;
  readonly missing: number;
}

const nullScenarios: NullScenario[] = [
  { name: "normal", kind: "numeric", draw: draws.normal, missing: 0 },
  { name: "normal, 2 % missing", kind: "numeric", draw: draws.normal, missing: 0.02 },
  { name: "2 categories", kind: "categorical", categories: 2, missing: 0 },
  { name: "20 categories", kind: "categorical", categories: 20, missing: 0 },
  { name: "500 categories", kind: "categorical", categories: 500, missing: 0 },
  { name: "500 categories, 2 % missing", kind: "categorical", categories: 500, missing: 0.02 },
  { name: "Cauchy", kind: "numeric", draw: draws.cauchy, missing: 0 },
  { name: "lognormal σ=0.5", kind: "numeric", draw: draws.lognormal, missing: 0.02 },
];
const sizes = (process.env.SIZES ?? "5,20,200,5000").split(",").map(Number);
/** Run only the null scenarios whose name matches (e.g. ONLY='^normal$'), and skip the rest of the bench. */
const ONLY = process.env.ONLY === undefined ? undefined : new RegExp(process.env.ONLY);

let featureAlarms = 0;
let featureDecisions = 0;
let checkAlarms = 0;
let checkCount = 0;

function falseAlarmRate(s: NullScenario, n: number, seed: number): number {
  const u = rng(seed);
  const z = normal(u);
  const sampler = s.categories ? zipfSampler(s.categories) : undefined;
  const checks = n >= 5_000 ? LARGE_CHECKS : CHECKS;
  let alarms = 0;
  let baselines: FeaturePair["baseline"][] = [];
  for (let c = 0; c < checks; c++) {
    if (c % 10 === 0) {
      baselines = Array.from({ length: FEATURES }, () =>
        s.kind === "numeric" ? prepareNumeric(numericColumn(u, z, BASELINE_ROWS, s.draw!, s.missing)) : prepareCategorical(categoricalColumn(u, BASELINE_ROWS, sampler!, s.missing)),
      );
    }
    const features: Record<string, FeaturePair> = {};
    for (let f = 0; f < FEATURES; f++) {
      const current = s.kind === "numeric" ? prepareNumeric(numericColumn(u, z, n, s.draw!, s.missing)) : prepareCategorical(categoricalColumn(u, n, sampler!, s.missing));
      features[`f${f}`] = { baseline: baselines[f], current };
    }
    const report = buildDriftReport(features);
    featureDecisions += FEATURES;
    checkCount++;
    for (const f of Object.values(report.features)) if (f.driftDetected) featureAlarms++;
    if (report.driftDetected) {
      checkAlarms++;
      alarms++;
      if (process.env.VERBOSE) for (const [k, f] of Object.entries(report.features)) if (f.driftDetected) console.error(`${s.name} n=${n}: ${k} ${f.reason}`);
    }
  }
  return alarms / checks;
}

function power(shiftSd: number, n: number, seed: number, checks: number): number {
  const u = rng(seed);
  const z = normal(u);
  let hits = 0;
  let baselines: FeaturePair["baseline"][] = [];
  for (let c = 0; c < checks; c++) {
    if (c % 10 === 0) baselines = Array.from({ length: FEATURES }, () => prepareNumeric(numericColumn(u, z, BASELINE_ROWS, draws.normal, 0)));
    const features: Record<string, FeaturePair> = {};
    for (let f = 0; f < FEATURES; f++) {
      features[`f${f}`] = { baseline: baselines[f], current: prepareNumeric(numericColumn(u, z, n, draws.normal, 0, f === 0 ? shiftSd : 0)) };
    }
    if (buildDriftReport(features).features.f0.driftDetected) hits++;
  }
  return hits / checks;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

function one(name: string, baseline: ArrayLike<number>, current: ArrayLike<number>): string {
  const r = buildDriftReport({ x: { baseline: prepareNumeric(baseline), current: prepareNumeric(current) } });
  const f = r.features.x;
  return `${name}: ${f.driftDetected ? `DRIFT (${f.rulesFired.join(", ")})` : "no drift"} — ${f.reason}`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A table of one numerical column, as the readers deliver it. */
function tableOf(name: string, values: Float64Array) {
  const b = new ColumnBuilder(name, false, values.length);
  for (const v of values) {
    if (Number.isNaN(v)) b.pushMissing();
    else b.pushNumber(v);
  }
  return { columns: [b.finish(values.length)], rows: values.length };
}

function sketchAgreement(): string[] {
  const lines: string[] = [];
  const u = rng(4242);
  const z = normal(u);
  const cases: { name: string; make: () => Float64Array }[] = [
    { name: "no shift", make: () => numericColumn(u, z, 100_000, draws.normal, 0) },
    { name: "+0.01 sd", make: () => numericColumn(u, z, 100_000, draws.normal, 0, 0.01) },
    { name: "+0.02 sd", make: () => numericColumn(u, z, 100_000, draws.normal, 0, 0.02) },
    { name: "+0.05 sd", make: () => numericColumn(u, z, 100_000, draws.normal, 0, 0.05) },
    {
      name: "1 % moved to +20 sd",
      make: () => {
        const c = numericColumn(u, z, 100_000, draws.normal, 0);
        for (let i = 0; i < c.length; i += 100) c[i] = 20 + z();
        return c;
      },
    },
  ];
  const rows: string[][] = [];
  let agree = 0;
  let total = 0;
  for (let rep = 0; rep < 2; rep++) {
    const full = numericColumn(u, z, 1_000_000, draws.normal, 0);
    const profile = buildProfile(loadTables([tableOf("x", full)]).columns, { model: "bench", baselineId: "b", createdAt: "", rows: full.length, source: { kind: "inline" } });
    const exactBaseline = prepareNumeric(full);
    for (const c of cases) {
      const current = c.make();
      const exact = buildDriftReport({ x: { baseline: exactBaseline, current: prepareNumeric(current) } }).features.x;
      const service = compareWithBaseline(profile, loadTables([tableOf("x", current)], { kinds: profileKinds(profile), onlyKnown: true })).features.x;
      total++;
      if (exact.driftDetected === service.driftDetected) agree++;
      if (rep === 0) {
        rows.push([
          c.name,
          exact.tests.ks!.pValue.toExponential(2),
          service.tests.ks!.pValue.toExponential(2),
          String(service.tests.ks!.sketch?.rankError ?? "-"),
          exact.driftDetected ? "drift" : "no drift",
          service.driftDetected ? "drift" : "no drift",
        ]);
      }
    }
  }
  lines.push(table(["1M-row baseline vs 100k current", "exact KS p", "sketch KS p", "ε", "exact", "sketch (service)"], rows));
  lines.push(`decisions agree in ${agree} of ${total} comparisons (2 baselines × ${cases.length} cases)`);
  return lines;
}

function main(): void {
  const started = performance.now();
  if (process.env.ONLY_CASES) {
    roundThree(started);
    return;
  }
  console.log(`drift decision rule simulation — ${CHECKS} checks per null scenario (${LARGE_CHECKS} at n = 5,000), ${FEATURES} features per check, ${BASELINE_ROWS.toLocaleString("en-US")} baseline rows\n`);
  const rows: string[][] = [];
  let worst = 0;
  nullScenarios.forEach((s, i) => {
    if (ONLY && !ONLY.test(s.name)) return;
    const rates = sizes.map((n, j) => falseAlarmRate(s, n, 1000 + 97 * i + j));
    worst = Math.max(worst, ...rates);
    rows.push([s.name, ...rates.map(pct)]);
  });
  console.log("False alarms (share of checks reporting drift, no feature drifted):");
  console.log(table(["scenario", ...sizes.map((n) => `n=${n.toLocaleString("en-US")}`)], rows));
  console.log(`worst null scenario: ${pct(worst)}; all null checks pooled: ${checkAlarms} of ${checkCount} (${pct(checkAlarms / checkCount)}); per feature: ${featureAlarms} of ${featureDecisions} (${pct(featureAlarms / featureDecisions)})`);
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s so far)\n`);
  if (ONLY) return;

  const shifts = [0.1, 0.2, 0.3];
  const powerRows = [200, 1_000].map((n, j) => [`n=${n.toLocaleString("en-US")}`, ...shifts.map((s, i) => pct(power(s, n, 7000 + 13 * j + i, 100)))]);
  console.log("Power (share of checks flagging the one shifted normal feature, 100 checks each):");
  console.log(table(["current rows", ...shifts.map((s) => `+${s} sd`)], powerRows));
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s so far)\n`);

  const u = rng(99);
  const z = normal(u);
  console.log("Cases:");
  console.log(one("3a constant 5 → 6 (10,000 vs 2,000)", new Float64Array(10_000).fill(5), new Float64Array(2_000).fill(6)));
  console.log(one("3b constant 5 → 4", new Float64Array(10_000).fill(5), new Float64Array(2_000).fill(4)));
  console.log(one("4  Cauchy location +0.3 (5,000 each)", numericColumn(u, z, 5_000, draws.cauchy, 0), numericColumn(u, z, 5_000, draws.cauchy, 0, 0.3)));
  const logBase = numericColumn(u, z, 60_000, draws.lognormal, 0);
  const logCur = Float64Array.from(numericColumn(u, z, 60_000, draws.normal, 0), (x) => Math.exp(0.04 + 0.5 * x));
  console.log(one("   lognormal σ=0.5 location +0.04 (60,000 each)", logBase, logCur));
  const names = ["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty"];
  const plain = buildDriftReport({ k: { baseline: prepareCategorical(Array.from({ length: 1000 }, (_, i) => `n${i % 5}`)), current: prepareCategorical(Array.from({ length: 1000 }, (_, i) => `n${i % 4}`)) } });
  const hostile = buildDriftReport({ k: { baseline: prepareCategorical(Array.from({ length: 1000 }, (_, i) => names[i % 5])), current: prepareCategorical(Array.from({ length: 1000 }, (_, i) => names[i % 4])) } });
  const same = plain.features.k.driftDetected === hostile.features.k.driftDetected && plain.features.k.tests.chiSquare!.statistic === hostile.features.k.tests.chiSquare!.statistic;
  console.log(`6  categories named ${names.join(", ")}: ${same ? "same report as plain names" : "DIFFERENT from plain names"} (${hostile.features.k.reason})`);
  const dropped = buildDriftReport({ kept: { baseline: prepareNumeric(numericColumn(u, z, 1000, draws.normal, 0)), current: prepareNumeric(numericColumn(u, z, 100, draws.normal, 0)) }, gone: { baseline: prepareNumeric(numericColumn(u, z, 1000, draws.normal, 0)) } });
  console.log(`7  feature dropped upstream: ${dropped.features.gone.driftDetected ? "DRIFT" : "no drift"} — ${dropped.features.gone.reason}\n`);

  console.log("Sketched baseline vs exact full-data computation (case 5):");
  for (const line of sketchAgreement()) console.log(line);
  roundThree(started);
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s (node ${process.version}, ${process.platform}/${process.arch})`);
}

function roundThree(started: number): void {
  const checks = Number(process.env.CASE_CHECKS ?? 30);
  console.log(`\nRound three — power and false alarms, ${checks} checks each, Wilson 95 % intervals (service path: stored profile → compareWithBaseline):`);
  console.log(table(["case", "flagged", "unchanged", "flagged", "rules fired (changed)", "severity (changed)"], runRoundThree(checks)));
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s so far)`);
}

main();
