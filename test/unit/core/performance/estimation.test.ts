import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../../lambdas/core/errors.js";
import {
  binCentre,
  binOf,
  combineHistograms,
  histogramCount,
  realizedMetrics,
  scoreBins,
  scoreHistogram,
  subtractHistogram,
  type ScoreHistogram,
} from "../../../../lambdas/core/performance/estimation-histogram.js";
import { defaultEstimationSettings, estimateWindow, estimationError, fitReference, type FittedReference } from "../../../../lambdas/core/performance/estimation.js";
import { classificationMetrics } from "../../../../lambdas/core/metrics/classification.js";
import { rocAuc } from "../../../../lambdas/core/metrics/roc-auc.js";
import { mulberry32 } from "../../../../lambdas/core/stats/seeded.js";

/** A reference whose calibration maps bin 100 to 0.2 and bin 400 to 0.8, every replicate the same. */
function fixedReference(draws: number): FittedReference {
  const replicates = new Float64Array(draws * scoreBins);
  for (let d = 0; d < draws; d++) {
    replicates[d * scoreBins + 100] = 0.2;
    replicates[d * scoreBins + 400] = 0.8;
  }
  return {
    method: "isotonic",
    calibration: { method: "isotonic", x: Float64Array.of(binCentre(100), binCentre(400)), p: Float64Array.of(0.2, 0.8) },
    count: 1000,
    positives: 500,
    calibrationError: 0,
    rawCalibrationError: 0,
    data: { x: [], total: [], positives: [] },
    replicates,
  };
}

/** Bin 100: 30 rows predicted 0; bin 400: 20 predicted 1 and 10 predicted 0. */
const window: ScoreHistogram = { labelled: false, cells: [100, 30, 0, 0, 0, 400, 10, 20, 0, 0] };

describe("estimateWindow", () => {
  it("gives the expected confusion matrix and its metrics (by hand)", () => {
    const est = estimateWindow(fixedReference(50), window, { ...defaultEstimationSettings, draws: 50 });
    // E[TP] = 20·0.8 = 16, E[FP] = 20·0.2 = 4, E[FN] = 30·0.2 + 10·0.8 = 14, E[TN] = 30·0.8 + 10·0.2 = 26
    expect(est?.expectedConfusion.tp).toBeCloseTo(16, 12);
    expect(est?.expectedConfusion.fp).toBeCloseTo(4, 12);
    expect(est?.expectedConfusion.fn).toBeCloseTo(14, 12);
    expect(est?.expectedConfusion.tn).toBeCloseTo(26, 12);
    expect(est?.count).toBe(60);
    expect(est?.metrics.accuracy).toBeCloseTo(42 / 60, 12);
    expect(est?.metrics.precision).toBeCloseTo(16 / 20, 12);
    expect(est?.metrics.recall).toBeCloseTo(16 / 30, 12);
    expect(est?.metrics.f1).toBeCloseTo(32 / 50, 12);
    // expected positives 6 (bin 100) and 24 (bin 400), negatives 24 and 6:
    // AUC = (24·(24 + 6/2) + 6·(0 + 24/2)) / (30·30) = 720 / 900
    expect(est?.metrics.auc).toBeCloseTo(0.8, 12);
  });

  it("has the sampling distribution's width at the window's size (by hand)", () => {
    // With the calibration known exactly, correct rows are independent Bernoullis: 50 rows right with
    // probability 0.8 and 10 with 0.2 → Var(correct) = 60·0.16 = 9.6, sd(accuracy) = √9.6 / 60 ≈ 0.0516;
    // the 95 % interval spans about ±1.96 sd.
    const est = estimateWindow(fixedReference(4000), window, { ...defaultEstimationSettings, draws: 4000 });
    const [lo, hi] = est?.intervals.accuracy ?? [0, 0];
    expect((hi - lo) / 2).toBeGreaterThan(1.96 * 0.0516 - 0.015);
    expect((hi - lo) / 2).toBeLessThan(1.96 * 0.0516 + 0.015);
    expect(lo).toBeLessThan(0.7);
    expect(hi).toBeGreaterThan(0.7);
  });

  it("answers nothing for an empty window", () => {
    expect(estimateWindow(fixedReference(10), { labelled: false, cells: [] })).toBeUndefined();
  });
});

/** Rows of a seeded world: x ~ N(0, sd²), P(y = 1 | x) = σ(slope·x), score σ(1.5·x). */
function world(n: number, seed: number, sd = 1.5, slope = 1.5): ScoreHistogram {
  const u = mulberry32(seed);
  const scores = new Float64Array(n);
  const predicted: number[] = [];
  const actual: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = sd * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    scores[i] = 1 / (1 + Math.exp(-1.5 * x));
    predicted.push(scores[i] >= 0.5 ? 1 : 0);
    actual.push(u() < 1 / (1 + Math.exp(-slope * x)) ? 1 : 0);
  }
  return scoreHistogram(scores, predicted, actual);
}

describe("fitReference", () => {
  it("chooses isotonic on a large reference and Platt on a small one", () => {
    const quick = { ...defaultEstimationSettings, draws: 50 };
    const large = fitReference(world(3000, 1), quick);
    const small = fitReference(world(400, 2), quick);
    expect(large.ok && large.reference.method).toBe("isotonic");
    expect(small.ok && small.reference.method).toBe("platt");
  });

  it("refuses a reference that is too small, with the reason", () => {
    const fit = fitReference(world(150, 3));
    expect(fit.ok).toBe(false);
    expect(!fit.ok && fit.reason).toMatch(/too small: 150 labelled scored rows/);
  });

  it("refuses a reference whose outcomes no monotone calibration follows", () => {
    // scores near 0.1 and 0.9 are always 1, scores near 0.5 never: cross-fitted error about 1/3
    const h: ScoreHistogram = { labelled: true, cells: [50, 300, 0, 300, 0, 250, 300, 0, 0, 0, 450, 0, 300, 0, 300] };
    const fit = fitReference(h);
    expect(fit.ok).toBe(false);
    expect(!fit.ok && fit.reason).toMatch(/calibration error on the reference is too large/);
  });

  it("refuses unlabelled rows as a reference", () => {
    expect(fitReference(window).ok).toBe(false);
  });
});

describe("estimation against what the windows then showed (seeded)", () => {
  const fit = fitReference(world(5000, 11), { ...defaultEstimationSettings, draws: 200 });
  if (!fit.ok) throw new Error(fit.reason);
  const settings = { ...defaultEstimationSettings, draws: 200 };

  const coverage = (sd: number, slope: number) => {
    let covered = 0;
    let absError = 0;
    const windows = 60;
    for (let w = 0; w < windows; w++) {
      const h = world(800, 100 + w, sd, slope);
      const est = estimateWindow(fit.reference, h, { ...settings, seed: w + 1 });
      const { error, covered: held } = estimationError(est!, realizedMetrics(h));
      covered += held.accuracy ? 1 : 0;
      absError += Math.abs(error.accuracy ?? 1);
    }
    return { coverage: covered / windows, meanAbsError: absError / windows };
  };

  it("holds the realized accuracy about 95 % of the time under covariate shift", () => {
    const { coverage: c, meanAbsError } = coverage(0.5, 1.5);
    expect(c).toBeGreaterThan(0.85);
    expect(meanAbsError).toBeLessThan(0.03);
  });

  it("fails under concept drift, as it must", () => {
    const { coverage: c, meanAbsError } = coverage(1.5, 0.4);
    expect(c).toBeLessThan(0.2);
    expect(meanAbsError).toBeGreaterThan(0.1);
  });
});

describe("score histograms", () => {
  const scores = [0, 0.1, 0.1009, 0.5, 0.77, 0.9, 1];
  const predicted = [0, 0, 1, 1, 1, 1, 1];
  const actual = [0, 1, 0, 0, 1, 1, 1];

  it("counts rows by bin and label, a score of 1 in the last bin", () => {
    const h = scoreHistogram(scores, predicted, actual);
    expect(binOf(1)).toBe(scoreBins - 1);
    expect(h.cells.slice(0, 5)).toEqual([0, 1, 0, 0, 0]);
    // 0.1 and 0.1009 share bin 50: one predicted 0 (actual 1), one predicted 1 (actual 0)
    expect(h.cells.slice(5, 10)).toEqual([50, 1, 1, 1, 0]);
    expect(histogramCount(h)).toBe(7);
  });

  it("gives the realized metrics classificationMetrics gives (AUC with bin ties)", () => {
    const h = scoreHistogram(scores, predicted, actual);
    const r = realizedMetrics(h);
    const m = classificationMetrics(actual, predicted);
    expect(r.accuracy).toBeCloseTo(m.accuracy, 12);
    expect(r.precision).toBeCloseTo(m.precision, 12);
    expect(r.recall).toBeCloseTo(m.recall, 12);
    expect(r.f1).toBeCloseTo(m.f1, 12);
    expect(r.auc).toBeCloseTo(rocAuc(actual, scores.map((s) => binCentre(binOf(s)))), 12);
  });

  it("adds and subtracts cell by cell", () => {
    const a = scoreHistogram([0.2, 0.8], [0, 1]);
    const b = scoreHistogram([0.8], [1]);
    const sum = combineHistograms([a, b]);
    expect(histogramCount(sum)).toBe(3);
    expect(sum.labelled).toBe(false);
    expect(subtractHistogram(sum, b).cells).toEqual(a.cells);
    expect(histogramCount(subtractHistogram(b, a))).toBe(0);
  });

  it("refuses labels other than 0/1 and scores outside [0, 1]", () => {
    expect(() => scoreHistogram([0.5], [2])).toThrow(ValidationError);
    expect(() => scoreHistogram([1.5], [1])).toThrow(ValidationError);
    expect(() => scoreHistogram([0.5], [1], [1, 0])).toThrow(ValidationError);
  });
});
