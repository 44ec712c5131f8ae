import { describe, expect, it } from "vitest";
import { buildEstimatedSection, estimatedDrop, unlabelledByDay, type DayHistograms } from "../../../../lambdas/core/performance/estimation-report.js";
import { estimatedAlertMessage } from "../../../../lambdas/core/performance/estimation-alert.js";
import { defaultEstimationSettings, type WindowEstimate } from "../../../../lambdas/core/performance/estimation.js";
import { realizedMetrics, scoreHistogram } from "../../../../lambdas/core/performance/estimation-histogram.js";
import { countAny } from "../../../../lambdas/core/performance/estimation-kind.js";
import { defaultPerformanceThresholds, mergeThresholds } from "../../../../lambdas/core/performance/thresholds.js";
import { mulberry32 } from "../../../../lambdas/core/stats/seeded.js";

/** Seeded labelled rows of a calibrated classifier: score u, label ~ Bernoulli(score). */
function labelled(n: number, seed: number) {
  const u = mulberry32(seed);
  const scores = Array.from({ length: n }, () => u());
  const predicted = scores.map((s) => (s >= 0.5 ? 1 : 0));
  const actual = scores.map((s) => (u() < s ? 1 : 0));
  return { scores, predicted, actual, histogram: scoreHistogram(scores, predicted, actual) };
}

const settings = { ...defaultEstimationSettings, draws: 100 };

describe("unlabelledByDay", () => {
  it("adds posted batches and subtracts joined rows from prediction logs, day by day", () => {
    const log: DayHistograms = { id: "log", source: "predictions", byDay: { "2026-05-01": scoreHistogram([0.2, 0.8, 0.9], [0, 1, 1]), "2026-05-02": scoreHistogram([0.3], [0]) } };
    const posted: DayHistograms = { id: "b", source: "batch", byDay: { "2026-05-01": scoreHistogram([0.6], [1]) } };
    const joined: DayHistograms = { id: "gt", source: "ground_truth", byDay: { "2026-05-01": scoreHistogram([0.8], [1], [1]) } };
    const out = unlabelledByDay([log, posted], [joined], "2026-05-01", "2026-05-31");
    // 2026-05-01: 3 logged − 1 joined + 1 posted = 3 rows; 2026-05-02: 1
    expect(countAny(out.get("2026-05-01")!)).toBe(3);
    expect(countAny(out.get("2026-05-02")!)).toBe(1);
    expect(unlabelledByDay([log], [], "2026-05-02", "2026-05-02").has("2026-05-01")).toBe(false);
  });
});

describe("buildEstimatedSection", () => {
  const reference: DayHistograms = { id: "ref", source: "batch", byDay: { "2026-04-01": labelled(3000, 1).histogram } };

  it("estimates unlabelled days and scores labelled days against what they showed", () => {
    const later = labelled(400, 2);
    const section = buildEstimatedSection({
      reference: [reference],
      referenceSource: { source: "default" },
      labelled: [{ id: "gt", source: "ground_truth", byDay: { "2026-05-02": later.histogram } }],
      unlabelled: [{ id: "u", source: "batch", byDay: { "2026-05-01": scoreHistogram(labelled(500, 3).scores, labelled(500, 3).predicted) } }],
      fromDay: "2026-05-01",
      toDay: "2026-05-31",
      settings,
    });
    expect(section).toMatchObject({ available: true, method: "isotonic", unlabelledCount: 500, reference: { batches: ["ref"], count: 3000 } });
    const [first, second] = section.daily as any[];
    expect(first).toMatchObject({ date: "2026-05-01", count: 500 });
    expect(first.labelled).toBeUndefined();
    expect(second).toMatchObject({ date: "2026-05-02", count: 0, metrics: null });
    const realized = realizedMetrics(later.histogram);
    expect(second.labelled.realized.accuracy).toBeCloseTo(realized.accuracy, 6);
    expect(second.labelled.estimationError.accuracy).toBeCloseTo(second.labelled.estimated.metrics.accuracy - realized.accuracy, 5);
    expect(section.record).toMatchObject({ days: 1, count: 400 });
    expect(section.record?.meanAbsoluteError.accuracy).toBeCloseTo(Math.abs(second.labelled.estimationError.accuracy), 5);
    expect(section.overall?.count).toBe(500);
  });

  it("answers no estimate with the reason when there is no reference", () => {
    const section = buildEstimatedSection({ reference: [], referenceSource: { source: "default" }, labelled: [], unlabelled: [], fromDay: "2026-05-01", toDay: "2026-05-31", settings });
    expect(section).toMatchObject({ available: false, overall: null, daily: [], record: null });
    expect((section as { reason: string }).reason).toContain("no labelled scored rows");
  });
});

describe("estimatedDrop", () => {
  const estimate = (accuracy: number, interval: [number, number]): WindowEstimate => ({
    count: 1000,
    expectedConfusion: { tp: 0, fp: 0, fn: 0, tn: 0 },
    metrics: { accuracy, precision: 0.5, recall: 0.5, f1: 0.5, auc: 0.6 },
    intervals: { accuracy: interval, precision: null, recall: null, f1: null, auc: null },
  });
  const thresholds = mergeThresholds(); // accuracy: 5 points

  it("fires only when the estimate and its whole interval are below baseline − threshold", () => {
    // baseline 0.8 → limit 0.75
    const drop = estimatedDrop(estimate(0.62, [0.6, 0.64]), "accuracy", 0.8, thresholds);
    expect(drop).toMatchObject({ metric: "accuracy", limit: 0.75, severity: "high" });
    expect(drop?.dropPoints).toBeCloseTo(18, 9);
    expect(drop?.degradationPct).toBeCloseTo(22.5, 9);
    expect(estimatedDrop(estimate(0.72, [0.69, 0.76]), "accuracy", 0.8, thresholds)).toBeUndefined();
    expect(estimatedDrop(estimate(0.72, [0.7, 0.74]), "accuracy", 0.8, thresholds)?.severity).toBe("moderate");
  });

  it("does not fire without a baseline, for an off rule or for a metric it does not estimate", () => {
    expect(estimatedDrop(estimate(0.5, [0.4, 0.6]), "accuracy", undefined, thresholds)).toBeUndefined();
    expect(estimatedDrop(estimate(0.5, [0.4, 0.6]), "accuracy", 0.9, { ...defaultPerformanceThresholds, accuracyDropPoints: null })).toBeUndefined();
    expect(estimatedDrop(estimate(0.5, [0.4, 0.6]), "logLoss", 0.3, thresholds)).toBeUndefined();
  });
});

describe("estimatedAlertMessage", () => {
  it("says what, how far, under which assumption, with caller names made safe", () => {
    const m = estimatedAlertMessage({
      model: "churn\u0007\n[x]",
      version: "1.0.0",
      date: "2026-05-01",
      count: 2000,
      method: "isotonic",
      trigger: "unlabelled batch b1 (2000 rows)",
      drop: { metric: "accuracy", baseline: 0.8, estimate: 0.62, interval: [0.6, 0.64], limit: 0.75, dropPoints: 18, thresholdPoints: 5, degradationPct: 22.5, severity: "high" },
    });
    expect([...m.subject].every((ch) => ch.charCodeAt(0) >= 0x20)).toBe(true);
    expect(m.body).toContain("accuracy of the 2000 unlabelled predictions of 2026-05-01 is estimated at 0.62 (95 % interval 0.6 to 0.64), 18.0 points below the baseline 0.8");
    expect(m.body).toContain("no concept drift");
    expect(m.body).not.toContain("\u0007");
    expect(m.fingerprint).toBe("estimated:1.0.0:accuracy");
  });
});
