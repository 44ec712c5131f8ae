import { describe, expect, it } from "vitest";
import { summarizeTrackRecord, trackedWindows, type TrackRecordEntry, type TrackedWindow } from "../../../../lambdas/core/performance/estimation-track-record.js";
import { defaultEstimationSettings, fitReference } from "../../../../lambdas/core/performance/estimation.js";
import { realizedMetrics, scoreHistogram } from "../../../../lambdas/core/performance/estimation-histogram.js";
import { mulberry32 } from "../../../../lambdas/core/stats/seeded.js";

const settings = { ...defaultEstimationSettings, draws: 100 };

/** Seeded labelled rows of a calibrated classifier: score u, label ~ Bernoulli(score). */
function labelled(n: number, seed: number) {
  const u = mulberry32(seed);
  const scores = Array.from({ length: n }, () => u());
  const predicted = scores.map((s) => (s >= 0.5 ? 1 : 0));
  const actual = scores.map((s) => (u() < s ? 1 : 0));
  return scoreHistogram(scores, predicted, actual);
}

const window = (error: number | null, covered: boolean | null, count = 100): TrackedWindow => {
  const per = <T>(v: T) => ({ accuracy: v, precision: v, recall: v, f1: v, auc: v });
  return { date: "2026-05-01", count, estimated: per(0.8), intervals: per([0.7, 0.9] as const), realized: per(0.8), error: per(error), covered: per(covered) };
};
const entry = (batchId: string, recordedAt: string, windows: TrackedWindow[]): TrackRecordEntry => ({ batchId, version: "1.0.0", source: "ground_truth", recordedAt, method: "isotonic", referenceCount: 3000, windows });

describe("summarizeTrackRecord", () => {
  it("averages absolute and signed errors and the interval's coverage over every window", () => {
    // errors +0.02, −0.04, +0.03 → MAE 0.03, bias ≈ 0.003333; covered 2 of 3
    const summary = summarizeTrackRecord([entry("b2", "2026-05-03T00:00:00Z", [window(0.02, true), window(-0.04, false, 50)]), entry("b1", "2026-05-02T00:00:00Z", [window(0.03, true, 25)])]);
    expect(summary).toMatchObject({ batches: 2, windows: 3, count: 175, since: "2026-05-02T00:00:00Z", latest: "2026-05-03T00:00:00Z" });
    expect(summary.meanAbsoluteError.accuracy).toBeCloseTo(0.03, 10);
    expect(summary.meanError.f1).toBeCloseTo(0.01 / 3, 6);
    expect(summary.coverage.auc).toBeCloseTo(2 / 3, 5);
  });

  it("skips metrics without a value and answers nulls for an empty record", () => {
    const summary = summarizeTrackRecord([entry("b", "2026-05-01T00:00:00Z", [window(null, null), window(0.01, null)])]);
    expect(summary.meanAbsoluteError.accuracy).toBeCloseTo(0.01, 10);
    expect(summary.coverage.accuracy).toBeNull();
    expect(summarizeTrackRecord([])).toMatchObject({ batches: 0, windows: 0, count: 0, since: null, meanAbsoluteError: { accuracy: null }, coverage: { f1: null } });
  });
});

describe("trackedWindows", () => {
  it("checks each labelled day's estimate against its realized metrics, leaving unlabelled days out", () => {
    const fit = fitReference(labelled(3000, 1), settings);
    if (!fit.ok) throw new Error(fit.reason);
    const day = labelled(400, 2);
    const windows = trackedWindows({ kind: "binary", reference: fit.reference }, { "2026-05-02": day, "2026-05-01": scoreHistogram([0.4], [0]) }, settings);
    expect(windows).toHaveLength(1);
    const w = windows[0];
    expect(w).toMatchObject({ date: "2026-05-02", count: 400 });
    expect(w.realized.accuracy).toBeCloseTo(realizedMetrics(day).accuracy, 6);
    expect(w.error.accuracy).toBeCloseTo((w.estimated.accuracy as number) - (w.realized.accuracy as number), 5);
    const [lo, hi] = w.intervals.accuracy as readonly [number, number];
    expect(w.covered.accuracy).toBe((w.realized.accuracy as number) >= lo && (w.realized.accuracy as number) <= hi);
  });
});
