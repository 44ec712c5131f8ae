import { describe, expect, it } from "vitest";
import { buildDriftReport } from "../../../lambdas/core/drift/index.js";
import { compareWithBaseline } from "../../../lambdas/drift/check.js";
import { ColumnCollector } from "../../../lambdas/drift/columns.js";
import { loadRecords } from "../../../lambdas/drift/ingest.js";
import { buildProfile, profileKinds, type BaselineProfile } from "../../../lambdas/drift/profile.js";
import {
  decodeShardSummary,
  encodeShardSummary,
  mergeInGroups,
  mergeShardSummaries,
  pairsFromSummary,
  summarizeShard,
  summaryWarnings,
} from "../../../lambdas/drift/shard.js";
import { mulberry32 } from "../../../lambdas/core/stats/seeded.js";

const meta = { model: "m", baselineId: "20250101T000000000Z-abcdef", createdAt: "2025-01-01T00:00:00.000Z", source: { kind: "inline" as const } };

/** Seeded uniforms (mulberry32). */
const rng = mulberry32;
const normal = (r: () => number): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/** Rows of four features; `shift` moves the numerical means, the plan mix, the missing share and the range. */
function rows(n: number, seed: number, shift = { mean: 0, plan: 0, missing: 0, tail: 0 }): Record<string, unknown>[] {
  const r = rng(seed);
  const plans = ["basic", "plus", "pro", "team"];
  return Array.from({ length: n }, () => {
    const u = r();
    const planIndex = u < 0.4 - shift.plan ? 0 : u < 0.7 ? 1 : u < 0.9 ? 2 : 3;
    return {
      income: 50 + 10 * normal(r) + shift.mean * 10,
      age: r() < 0.05 + shift.missing ? null : Math.round(40 + 12 * normal(r)),
      score: r() < shift.tail ? 5 + r() : r(),
      plan: plans[planIndex],
    };
  });
}

function profileOf(records: Record<string, unknown>[]): BaselineProfile {
  const c = new ColumnCollector({ categorical: ["plan"] });
  c.addRecords(records);
  return buildProfile(c.finish(), { ...meta, rows: c.rows });
}

/** The fan-out path over `shards` slices of the data (summaries through their stored JSON). */
function fanOut(profile: BaselineProfile, records: Record<string, unknown>[], shards: number, capacity?: number, fanIn?: number) {
  const size = Math.ceil(records.length / shards);
  const parts = [];
  for (let i = 0; i < records.length; i += size) {
    const data = loadRecords(records.slice(i, i + size), { kinds: profileKinds(profile), onlyKnown: true });
    parts.push(decodeShardSummary(encodeShardSummary(summarizeShard(profile, { ...data, objects: 1 }, { capacity }))));
  }
  const merged = mergeInGroups(parts, fanIn, capacity);
  return { merged, report: buildDriftReport(pairsFromSummary(profile, merged), {}, { unexpectedFeatures: merged.unexpectedFeatures }) };
}

/** A test's raw figures (its Benjamini–Hochberg value depends on every p-value of the check, KS included). */
const raw = (t: object | undefined): object | undefined => {
  if (t === undefined) return undefined;
  const { adjustedPValue: _, ...rest } = t as { adjustedPValue?: number };
  return rest;
};

const exactOf = (profile: BaselineProfile, records: Record<string, unknown>[]) => compareWithBaseline(profile, loadRecords(records, { kinds: profileKinds(profile), onlyKnown: true }));

describe("fan-out shard summaries", () => {
  const baselineRows = rows(30_000, 1);
  const profile = profileOf(baselineRows);

  it("gives the single worker's report exactly when every merged sketch is exact", () => {
    const current = rows(3000, 2, { mean: 0.3, plan: 0.1, missing: 0.05, tail: 0.02 });
    const exact = exactOf(profile, current);
    const { report, merged } = fanOut(profile, current, 7);
    expect(merged.shards).toBe(7);
    expect(merged.rows).toBe(3000);
    expect(report).toEqual(exact);
  });

  it.each([
    ["not drifted", 11, { mean: 0, plan: 0, missing: 0, tail: 0 }, false],
    ["not drifted (another seed)", 12, { mean: 0, plan: 0, missing: 0, tail: 0 }, false],
    ["mean shift", 13, { mean: 0.15, plan: 0, missing: 0, tail: 0 }, true],
    ["category mix", 14, { mean: 0, plan: 0.25, missing: 0, tail: 0 }, true],
    ["missing-share jump", 15, { mean: 0, plan: 0, missing: 0.1, tail: 0 }, true],
    ["out of range", 16, { mean: 0, plan: 0, missing: 0, tail: 0.03 }, true],
    ["everything", 17, { mean: 0.5, plan: 0.2, missing: 0.2, tail: 0.1 }, true],
  ])("decides like the single worker with sketches (%s), exact where the summary is exact and conservative in ε", (_, seed, shift, drifted) => {
    const current = rows(40_000, seed, shift);
    const exact = exactOf(profile, current);
    // capacity 512 on 40,000 rows over 24 shards merged 4 at a time: every sketch is compressed, three levels deep
    const { report, merged } = fanOut(profile, current, 24, 512, 4);
    expect(merged.mergeLevels).toBe(3);
    expect(report.driftDetected).toBe(drifted);
    expect(report.driftDetected).toBe(exact.driftDetected);
    for (const [name, f] of Object.entries(exact.features)) {
      const g = report.features[name];
      expect({ name, drift: g.driftDetected, rules: g.rulesFired, severity: g.severity }).toEqual({ name, drift: f.driftDetected, rules: f.rulesFired, severity: f.severity });
      expect(g.baseline).toEqual(f.baseline);
      expect(g.current).toEqual(f.current);
      expect(raw(g.tests.missingShare)).toEqual(raw(f.tests.missingShare));
      // adjusted p-values can only grow: BH is monotone in the p-values and the KS ones are conservative
      for (const test of ["missingShare", "chiSquare", "categoryChange", "ks"] as const) {
        expect((g.tests[test] as { adjustedPValue?: number } | undefined)?.adjustedPValue ?? 1).toBeGreaterThanOrEqual((f.tests[test] as { adjustedPValue?: number } | undefined)?.adjustedPValue ?? 1);
      }
      if (f.type === "categorical") {
        expect(raw(g.tests.chiSquare)).toEqual(raw(f.tests.chiSquare));
        expect(raw(g.tests.categoryChange)).toEqual(raw(f.tests.categoryChange));
        expect(g.tests.psi).toEqual(f.tests.psi);
        expect(g.newCategories).toEqual(f.newCategories);
        continue;
      }
      expect(g.tests.psi).toEqual(f.tests.psi);
      expect(g.tests.jensenShannon).toEqual(f.tests.jensenShannon);
      expect(g.tests.outOfRange).toEqual(f.tests.outOfRange);
      const ks = g.tests.ks!;
      const sketch = ks.sketch!;
      const epsilon = sketch.rankError;
      expect(sketch.currentRankError).toBeGreaterThan(0);
      expect(sketch.currentRankError).toBeLessThanOrEqual((merged.mergeLevels + 1) / (2 * 512) + 1e-15);
      expect(epsilon).toBeCloseTo(sketch.baselineRankError! + sketch.currentRankError!, 15);
      // the full-data statistic lies within the reported bounds, and the p-value is never smaller
      expect(f.tests.ks!.statistic).toBeGreaterThanOrEqual(sketch.statisticLowerBound - 1e-12);
      expect(f.tests.ks!.statistic).toBeLessThanOrEqual(sketch.statisticUpperBound + 1e-12);
      expect(ks.pValue).toBeGreaterThanOrEqual(f.tests.ks!.pValue);
      expect(Math.abs(g.tests.wasserstein!.distance - f.tests.wasserstein!.distance)).toBeLessThanOrEqual(epsilon * (f.tests.outOfRange!.baselineMax - f.tests.outOfRange!.baselineMin + 10));
    }
    // Two full checks of 40,000 rows: about a second idle, past vitest's 5 s default at load 26 on 2 cores.
  }, 60_000);

  it("merges in any order and grouping to the same counts", () => {
    const current = rows(5000, 21, { mean: 0.2, plan: 0.05, missing: 0.02, tail: 0.01 });
    const parts = [0, 1, 2, 3, 4].map((i) => summarizeShard(profile, { ...loadRecords(current.slice(i * 1000, (i + 1) * 1000), { kinds: profileKinds(profile), onlyKnown: true }), objects: 1 }));
    const a = mergeShardSummaries(parts);
    const b = mergeShardSummaries([mergeShardSummaries([parts[4], parts[2]]), mergeShardSummaries([parts[0], parts[3], parts[1]])]);
    for (const name of ["income", "age", "score", "plan"]) {
      const x = a.features[name];
      const y = b.features[name];
      if (x.type === "categorical" && y.type === "categorical") expect({ ...y.counts }).toEqual({ ...x.counts });
      if (x.type === "numerical" && y.type === "numerical") {
        expect(Array.from(y.bins.counts)).toEqual(Array.from(x.bins.counts));
        expect(y.outOfRange).toEqual(x.outOfRange);
        expect(y.moments.mean).toBeCloseTo(x.moments.mean, 10);
        expect(y.moments.m2).toBeCloseTo(x.moments.m2, 6);
      }
      expect([y.count, y.missing]).toEqual([x.count, x.missing]);
    }
    expect([a.rows, b.rows, a.objects, b.objects]).toEqual([5000, 5000, 5, 5]);
  });

  it("keeps category names as data and merges non-numeric counts into the worker's warning", () => {
    const p = profileOf([...rows(200, 31), { income: 1, age: 2, score: 0.5, plan: "__proto__" }]);
    const part = (records: Record<string, unknown>[]) => summarizeShard(p, { ...loadRecords(records, { kinds: profileKinds(p), onlyKnown: true }), objects: 1 });
    const merged = mergeShardSummaries([part([{ income: "n/a", plan: "__proto__" }, { income: 3, plan: "constructor" }]), part([{ income: "x", plan: "__proto__" }])]);
    const decoded = decodeShardSummary(encodeShardSummary(merged));
    const plan = decoded.features.plan;
    expect(plan.type === "categorical" && Object.getPrototypeOf(plan.counts)).toBeNull();
    expect(plan.type === "categorical" && { ...plan.counts }).toEqual({ ["__proto__"]: 2, constructor: 1 });
    expect(summaryWarnings(decoded)).toContain("income: 2 non-numeric value(s) in a numerical feature counted as missing");
    expect(() => decodeShardSummary('{"format":"something else","features":{}}')).toThrow(/mlwatch.drift-shard.v1/);
  });
});
