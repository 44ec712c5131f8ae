/**
 * The decision rules' round-three cases through the service's own path (baseline profile as stored →
 * compareWithBaseline) and through the fan-out path (shard summaries via their stored JSON, merged,
 * pairsFromSummary): one rule, one report. Data from seeded generators; expectations are properties of
 * the rules (which rule, named cell, bounds), not recorded outputs.
 */
import { describe, expect, it } from "vitest";
import { buildDriftReport, type DriftReport } from "../../../lambdas/core/drift/index.js";
import { mulberry32 } from "../../../lambdas/core/stats/seeded.js";
import { compareWithBaseline } from "../../../lambdas/drift/check.js";
import { ColumnCollector } from "../../../lambdas/drift/columns.js";
import { loadRecords } from "../../../lambdas/drift/ingest.js";
import { buildProfile, parseProfile, profileKinds, type BaselineProfile } from "../../../lambdas/drift/profile.js";
import { decodeShardSummary, encodeShardSummary, mergeInGroups, pairsFromSummary, summarizeShard } from "../../../lambdas/drift/shard.js";

const meta = { model: "m", baselineId: "20250101T000000000Z-abcdef", createdAt: "2025-01-01T00:00:00.000Z", source: { kind: "inline" as const } };
const normal = (r: () => number): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/** A profile as stored (through its JSON), from records. */
function profileOf(records: Record<string, unknown>[], categorical: string[] = []): BaselineProfile {
  const c = new ColumnCollector({ categorical });
  c.addRecords(records);
  return parseProfile(JSON.stringify(buildProfile(c.finish(), { ...meta, rows: c.rows })));
}
/** The value-cell and range tests (the fan-out's Wasserstein comes from its sketch, within its stated error). */
const cellTests = (report: DriftReport, name: string) => {
  const { chiSquare, psi, jensenShannon, discrete, outOfRange, shareShift, categoryChange, missingShare } = report.features[name].tests;
  return { chiSquare, psi, jensenShannon, discrete, outOfRange, shareShift, categoryChange, missingShare };
};
const load = (profile: BaselineProfile, records: Record<string, unknown>[]) => loadRecords(records, { kinds: profileKinds(profile), onlyKnown: true });

/** The single-worker report and the fan-out report (4 shards, sketches of 256 points) of the same data. */
function bothPaths(profile: BaselineProfile, records: Record<string, unknown>[]): { single: DriftReport; fanOut: DriftReport } {
  const single = compareWithBaseline(profile, load(profile, records));
  const size = Math.ceil(records.length / 4);
  const parts = [];
  for (let i = 0; i < records.length; i += size) {
    parts.push(decodeShardSummary(encodeShardSummary(summarizeShard(profile, { ...load(profile, records.slice(i, i + size)), objects: 1 }, { capacity: 256 }))));
  }
  const merged = mergeInGroups(parts, 32, 256);
  return { single, fanOut: buildDriftReport(pairsFromSummary(profile, merged)) };
}

describe("round three: the issue's cases, single worker and fan-out alike", () => {
  it("missing share 1 % → 6 % of 2,000 rows (20 → 120) fires, and the reason lists every significant test", () => {
    // Prepare
    const r = mulberry32(2301);
    const rows = (n: number, missing: number) => Array.from({ length: n }, (_, i) => ({ x: i < missing ? null : normal(r) }));
    const profile = profileOf(rows(2000, 20));
    // Act
    const { single, fanOut } = bothPaths(profile, rows(2000, 120));
    // Assess
    for (const report of [single, fanOut]) {
      const x = report.features.x;
      expect(x.tests.missingShare!.change).toBeLessThan(0.05); // the double arithmetic
      expect(x.rulesFired).toContain("missing-share-jump");
      expect(x.reason).toMatch(/missing share rose from 0\.01 to 0\.06 \(change ≥ 0\.05, two-proportion adjusted p = /);
    }
  });

  it.each([500, 1000, 2000])("a constant 0 column with 3 percent values 1–9 in %d current rows is flagged (out-of-range, new values)", (n) => {
    // Prepare
    const profile = profileOf(Array.from({ length: n }, () => ({ z: 0 })));
    const current = Array.from({ length: n }, (_, i) => ({ z: i < Math.round(0.03 * n) ? 1 + (i % 9) : 0 }));
    // Act
    const { single, fanOut } = bothPaths(profile, current);
    // Assess
    for (const report of [single, fanOut]) {
      const z = report.features.z;
      expect(z.rulesFired).toContain("out-of-range");
      expect(z.rulesFired).toContain("category-change");
      expect(z.tests.discrete).toMatchObject({ values: 1, newValues: Math.round(0.03 * n) });
      expect(z.tests.psi!.value).toBeGreaterThan(0);
      expect(z.reason).toMatch(/expected by chance/);
    }
    expect(cellTests(fanOut, "z")).toEqual(cellTests(single, "z"));
  });

  it("a binary feature 10 % → 15 % ones (n = 2,000) is flagged with the same severity whatever the baseline size", () => {
    // Prepare
    const r = mulberry32(2302);
    const rows = (n: number, p: number) => Array.from({ length: n }, () => ({ b: r() < p ? 1 : 0 }));
    const small = profileOf(rows(2_000, 0.1));
    const large = profileOf(rows(50_000, 0.1)); // sketched: compared on its stored value counts
    const current = rows(2_000, 0.15);
    // Act
    const a = bothPaths(small, current);
    const b = bothPaths(large, current);
    // Assess
    expect(large.profiles.b).toMatchObject({ sketch: { exact: false }, distinct: { values: [0, 1] } });
    for (const report of [a.single, a.fanOut, b.single, b.fanOut]) {
      expect(report.features.b.driftDetected).toBe(true);
      expect(report.features.b.tests.ks).toBeUndefined();
      expect(report.features.b.tests.psi!.cells).toBe(2);
      expect(report.features.b.severity).toBe("moderate");
    }
    expect(cellTests(a.fanOut, "b")).toEqual(cellTests(a.single, "b"));
    expect(cellTests(b.fanOut, "b")).toEqual(cellTests(b.single, "b"));
  });

  it("one level of four moving 30 % → 38 % (n = 5,000) is a share shift naming the cell and the move", () => {
    // Prepare
    const r = mulberry32(2303);
    const draw = (p: number[]) => () => {
      const u = r();
      let acc = 0;
      for (let i = 0; i < p.length; i++) if (u < (acc += p[i])) return `level${i}`;
      return `level${p.length - 1}`;
    };
    const base = draw([0.3, 0.25, 0.25, 0.2]);
    const cur = draw([0.38, 0.2333, 0.2333, 0.1534]);
    const profile = profileOf(Array.from({ length: 5000 }, () => ({ k: base() })), ["k"]);
    // Act
    const { single, fanOut } = bothPaths(profile, Array.from({ length: 5000 }, () => ({ k: cur() })));
    // Assess
    for (const report of [single, fanOut]) {
      const k = report.features.k;
      expect(k.tests.psi!.corrected).toBeLessThan(0.1);
      expect(k.rulesFired).toEqual(["share-shift"]);
      expect(k.tests.shareShift!.category).toBe("level0");
      expect(k.reason).toMatch(/share of "level0" moved 3\d\.?\d* % → 3\d\.?\d* % \(\+\d\.?\d* points, ≥ 3/);
    }
  });

  it.each([1_001, 1_500, 12_000])("a brand-new category (10 percent of the rows) is found and listed with %d baseline categories", (k) => {
    // Prepare
    const profile = profileOf(Array.from({ length: k * 3 }, (_, i) => ({ c: `cat${i % k}` })), ["c"]);
    const current = Array.from({ length: 3_000 }, (_, i) => ({ c: i % 10 === 0 ? "brand-new" : `cat${(i * 7) % k}` }));
    // Act
    const { single, fanOut } = bothPaths(profile, current);
    // Assess
    expect(profile.profiles.c).toMatchObject({ truncated: true, membership: { kind: k <= 10_000 ? "exact" : "bloom" } });
    for (const report of [single, fanOut]) {
      expect(report.features.c.newCategories).toEqual(["brand-new"]);
      expect(report.features.c.rulesFired).toContain("category-change");
    }
  });

  it("does not take the truncation bucket's biased share for a shift: 1,500 categories, nothing changed", () => {
    // Prepare: uniform over 1,500 categories; the 500 rarest in the baseline are pooled, so `__other__`
    // holds fewer baseline rows than its categories' true share
    const r = mulberry32(2305);
    const profile = profileOf(Array.from({ length: 30_000 }, () => ({ c: `cat${Math.floor(1500 * r())}` })), ["c"]);
    // Act
    const { single, fanOut } = bothPaths(profile, Array.from({ length: 3_000 }, () => ({ c: `cat${Math.floor(1500 * r())}` })));
    // Assess
    for (const report of [single, fanOut]) {
      expect(report.features.c.driftDetected).toBe(false);
      expect(report.features.c.newCategories).toEqual([]);
      expect(report.features.c.tests.shareShift).toBeUndefined();
    }
  });

  it("a far tail: 0.5 % of 20,000 values beyond a 2,000,000-row baseline's maximum is out-of-range", () => {
    // Prepare
    const r = mulberry32(2304);
    const profile = profileOf(Array.from({ length: 2_000_000 }, () => ({ x: normal(r) })));
    const current = Array.from({ length: 20_000 }, (_, i) => ({ x: i % 200 === 0 ? 8 + normal(r) * 0.1 : normal(r) }));
    // Act
    const { single, fanOut } = bothPaths(profile, current);
    // Assess
    for (const report of [single, fanOut]) {
      const x = report.features.x;
      expect(x.rulesFired).toContain("out-of-range");
      expect(x.tests.outOfRange!.above).toBeGreaterThanOrEqual(100);
      expect(x.tests.outOfRange!.expected).toBeCloseTo(0.02, 6);
    }
  }, 60_000);
});
