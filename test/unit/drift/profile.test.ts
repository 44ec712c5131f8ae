import { describe, expect, it } from "vitest";
import { ColumnCollector } from "../../../lambdas/drift/columns.js";
import { baselineBounds, baselineSamples, buildProfile, currentSamples, otherCategory, parseProfile, profileKinds } from "../../../lambdas/drift/profile.js";
import { compareWithBaseline } from "../../../lambdas/drift/check.js";
import { loadRecords } from "../../../lambdas/drift/ingest.js";

const meta = { model: "m", baselineId: "20250101T000000000Z-abcdef", createdAt: "2025-01-01T00:00:00.000Z", source: { kind: "inline" as const } };

function profileOf(records: Record<string, unknown>[], categorical?: string[]) {
  const c = new ColumnCollector({ categorical });
  c.addRecords(records);
  return buildProfile(c.finish(), { ...meta, rows: c.rows });
}

describe("baseline profile", () => {
  it("stores count, missing share, min/max, quantiles and full-baseline PSI edges and shares", () => {
    const p = profileOf(Array.from({ length: 101 }, (_, i) => ({ x: i === 100 ? null : i })));
    const x = p.profiles.x;
    expect(x.type).toBe("numerical");
    if (x.type !== "numerical") return;
    expect(x).toMatchObject({ count: 100, missing: 1, min: 0, max: 99 });
    expect(x.missingShare).toBeCloseTo(1 / 101, 15);
    // numpy: np.quantile(np.arange(100), 0.5) → 49.5; np.quantile(..., [0.1..0.9]) → 9.9, 19.8, …
    expect(x.quantiles!.p50).toBe(49.5);
    expect(x.psi.edges).toHaveLength(9);
    expect(x.psi.edges[0]).toBeCloseTo(9.9, 12);
    expect(x.psi.shares).toEqual(Array(10).fill(0.1));
    expect(x.sketch).toEqual({ exact: true, values: Array.from({ length: 100 }, (_, i) => i) });
  });

  it("bounds a large numerical feature to the sketch size, keeping exact counts", () => {
    const n = 3 * baselineBounds.maxNumericValues;
    const p = profileOf(Array.from({ length: n }, (_, i) => ({ x: n - i })));
    const x = p.profiles.x;
    if (x.type !== "numerical") throw new Error("numerical expected");
    expect(x.count).toBe(n);
    expect(x.sketch.exact).toBe(false);
    expect(x.sketch.values).toHaveLength(baselineBounds.maxNumericValues);
    // the sketch holds the order statistics at ranks ⌊(k + ½)·n/m⌋: here 1 + 3k + 1
    expect(x.sketch.values.slice(0, 3)).toEqual([2, 5, 8]);
    expect(baselineSamples(p).x).toMatchObject({ count: n, missing: 0 });
  });

  it("pools categories beyond the bound under __other__, and pools the current data the same way", () => {
    const records = Array.from({ length: baselineBounds.maxCategories + 5 }, (_, i) => ({ k: `c${i}` }));
    records.push({ k: "c0" });
    const p = profileOf(records);
    const k = p.profiles.k;
    if (k.type !== "categorical") throw new Error("categorical expected");
    expect(k.truncated).toBe(true);
    expect(k.distinct).toBe(baselineBounds.maxCategories + 5);
    expect(Object.keys(k.counts)).toHaveLength(baselineBounds.maxCategories + 1);
    expect(k.counts.c0).toBe(2);
    expect(k.counts[otherCategory]).toBe(5);
    // c999 is beyond the bound (ties sort by name) but a baseline category (pooled); "never-seen" is new (kept, so reported)
    expect(k.membership).toMatchObject({ kind: "exact" });
    const current = loadRecords([{ k: "c0" }, { k: "c999" }, { k: "never-seen" }], { kinds: profileKinds(p), onlyKnown: true });
    expect(currentSamples(current.columns, p).k).toEqual({ counts: { c0: 1, [otherCategory]: 1, "never-seen": 1 }, count: 3, missing: 0 });
    // A profile stored before membership existed pools every category it did not count, as it always did
    const { membership: _dropped, ...old } = k;
    const legacy = { ...p, profiles: { k: old } };
    expect(currentSamples(current.columns, legacy).k).toEqual({ counts: { c0: 1, [otherCategory]: 2 }, count: 3, missing: 0 });
  });

  it("keeps a Bloom filter over every category beyond 10,000, with about its stated false-positive rate", () => {
    // Prepare: 12,000 categories (beyond the exact limit)
    const records = Array.from({ length: 12_000 }, (_, i) => ({ k: `cat-${i}` }));
    const p = profileOf(records);
    const k = p.profiles.k;
    if (k.type !== "categorical") throw new Error("categorical expected");
    // Act
    const fresh = Array.from({ length: 20_000 }, (_, i) => ({ k: `new-${i}` }));
    const current = currentSamples(loadRecords([...records.slice(0, 5_000), ...fresh], { kinds: profileKinds(p), onlyKnown: true }).columns, p).k;
    // Assess: every baseline category pooled or counted, never new; new ones kept unless the filter errs
    expect(k.membership).toMatchObject({ kind: "bloom", members: 12_000, falsePositiveRate: 0.001 });
    if (!("counts" in current)) throw new Error("categorical expected");
    const counts = current.counts as Record<string, number>;
    expect(Object.keys(counts).filter((c) => c.startsWith("cat-") && !Object.hasOwn(k.counts, c))).toEqual([]);
    const kept = Object.keys(counts).filter((c) => c.startsWith("new-")).length;
    expect(20_000 - kept).toBeLessThanOrEqual(20_000 * 0.001 * 2);
    expect(JSON.stringify(k.membership).length).toBeLessThan(12_000 * 3);
  });

  it("round-trips through JSON and refuses what is not a profile", () => {
    const p = profileOf([{ a: 1 }, { a: 2 }]);
    expect(parseProfile(JSON.stringify(p))).toEqual(p);
    expect(() => parseProfile('{"format":"other"}')).toThrow(/not a mlwatch.baseline.v1 profile/);
  });

  it("refuses an empty baseline", () => {
    expect(() => buildProfile(new Map(), { ...meta, rows: 0 })).toThrow(/no rows/);
  });
});

describe("compareWithBaseline", () => {
  it("flags baseline features absent from the current data as schema drift, lists unknown ones, and refuses data with none of them", () => {
    const p = profileOf(Array.from({ length: 50 }, (_, i) => ({ a: i, b: i % 3 })));
    const data = loadRecords(Array.from({ length: 50 }, (_, i) => ({ a: i, extra: 1 })), { kinds: profileKinds(p), onlyKnown: true });
    const report = compareWithBaseline(p, data);
    expect(report.features.a.comparable).toBe(true);
    expect(report.features.b).toMatchObject({ comparable: false, driftDetected: true, rulesFired: ["feature-missing"] });
    expect(report.unexpectedFeatures).toEqual(["extra"]);
    expect(() => compareWithBaseline(p, loadRecords([{ z: 1 }], { kinds: profileKinds(p), onlyKnown: true }))).toThrow(/none of the baseline's features/);
  });
});
