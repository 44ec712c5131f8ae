import { describe, expect, it } from "vitest";
import {
  type ClassCalibration,
  estimateMulticlassWindow,
  fitMulticlassReference,
  multiclassHistogram,
  realizedMulticlassMetrics,
} from "../../../../lambdas/core/performance/estimation-multiclass.js";
import { binCentre, scoreBins } from "../../../../lambdas/core/performance/estimation-histogram.js";
import { defaultEstimationSettings, type FittedReference } from "../../../../lambdas/core/performance/estimation.js";
import { mulberry32 } from "../../../../lambdas/core/stats/seeded.js";

const settings = { ...defaultEstimationSettings, draws: 200 };

/** A reference whose calibration is the identity (Platt a = 1, b = 0) and whose every replicate is too. */
function identity(draws = 200): FittedReference {
  const replicates = new Float64Array(draws * scoreBins);
  for (let d = 0; d < draws; d++) for (let b = 0; b < scoreBins; b++) replicates[d * scoreBins + b] = binCentre(b);
  return { method: "platt", calibration: { method: "platt", a: 1, b: 0 }, count: 1000, positives: 300, calibrationError: 0, rawCalibrationError: 0, data: { x: [], total: [], positives: [] }, replicates };
}

/** A class calibrated by the identity on both sides. */
function identityClass(): ClassCalibration {
  const r = identity();
  return { whole: r, predicted: r, rest: r };
}

describe("multiclassHistogram", () => {
  it("refuses rows that are not probability vectors over the classes, naming the row", () => {
    const classes = ["a", "b", "c"];
    expect(() => multiclassHistogram([[0.5, 0.5]], classes, ["a"])).toThrow("scores[0] must hold 3 probabilities");
    expect(() => multiclassHistogram([[0.5, 0.4, 0.3]], classes, ["a"])).toThrow("scores[0] sums to 1.2, not 1");
    expect(() => multiclassHistogram([[1.2, -0.1, -0.1]], classes, ["a"])).toThrow("scores[0][0] = 1.2 is not a probability");
    expect(() => multiclassHistogram([[0.5, 0.3, 0.2]], classes, ["d"])).toThrow('predictions[0] = "d" is not one of the classes');
    expect(() => multiclassHistogram([[0.5, 0.3, 0.2]], classes, ["a"], ["z"])).toThrow('actuals[0] = "z" is not one of the classes');
    expect(() => multiclassHistogram([[1]], ["a"], ["a"])).toThrow("give 2 to 10 classes");
    expect(() => multiclassHistogram([[0.5, 0.5]], ["a", "a"], ["a"])).toThrow("listed twice");
    expect(() => multiclassHistogram([[0.5, 0.3, 0.2]], classes, ["a", "b"])).toThrow("1 rows but predictions has 2");
    // within the tolerance of 0.01
    expect(multiclassHistogram([[0.5, 0.3, 0.205]], classes, ["a"]).perClass).toHaveLength(3);
  });
});

/** Four rows of three classes (A, B, C), predicted A, B, C, A: the window of the hand-computed cases. */
function fourRows() {
  const classes = ["A", "B", "C"];
  const scores = [
    [0.7, 0.2, 0.1],
    [0.1, 0.6, 0.3],
    [0.2, 0.2, 0.6],
    [0.5, 0.3, 0.2],
  ];
  return { classes, window: multiclassHistogram(scores, classes, ["A", "B", "C", "A"]) };
}

describe("estimateMulticlassWindow", () => {
  it("gives the hand-computed expected one-vs-rest confusion matrices, accuracy and macro metrics", () => {
    // Four rows; with the identity calibration each class's probability is its score's bin centre (score + 0.001).
    const { classes, window } = fourRows();
    const fit = { classes, references: [identityClass(), identityClass(), identityClass()] };
    const e = estimateMulticlassWindow(fit, window, settings)!;
    // A: predicted A = rows 1, 4 (0.701, 0.501) → TP 1.202, FP 0.798; other rows (0.101, 0.201) → FN 0.302, TN 1.698
    // B: predicted B = row 2 (0.601) → TP 0.601, FP 0.399; others (0.201, 0.201, 0.301) → FN 0.703, TN 2.297
    // C: predicted C = row 3 (0.601) → TP 0.601, FP 0.399; others (0.101, 0.301, 0.201) → FN 0.603, TN 2.397
    const expected = { A: [1.202, 0.798, 0.302, 1.698], B: [0.601, 0.399, 0.703, 2.297], C: [0.601, 0.399, 0.603, 2.397] };
    for (const [c, [tp, fp, fn, tn]] of Object.entries(expected)) {
      const got = e.perClass[c].expectedConfusion;
      expect(got.tp).toBeCloseTo(tp, 9);
      expect(got.fp).toBeCloseTo(fp, 9);
      expect(got.fn).toBeCloseTo(fn, 9);
      expect(got.tn).toBeCloseTo(tn, 9);
    }
    expect(e.count).toBe(4);
    expect(e.metrics.accuracy).toBeCloseTo((1.202 + 0.601 + 0.601) / 4, 9);
    // precision A 1.202/2, B 0.601, C 0.601; recall A 1.202/1.504, B 0.601/1.304, C 0.601/1.204
    expect(e.metrics.precision).toBeCloseTo((0.601 + 0.601 + 0.601) / 3, 9);
    expect(e.metrics.recall).toBeCloseTo((1.202 / 1.504 + 0.601 / 1.304 + 0.601 / 1.204) / 3, 9);
    const f1 = (tp: number, fp: number, fn: number) => (2 * tp) / (2 * tp + fp + fn);
    const macroF1 = (f1(1.202, 0.798, 0.302) + f1(0.601, 0.399, 0.703) + f1(0.601, 0.399, 0.603)) / 3;
    expect(e.metrics.f1).toBeCloseTo(macroF1, 9);
    // macro-F1 is the mean of the classes' F1, not the F1 of macro precision and macro recall
    const p = e.metrics.precision as number;
    const r = e.metrics.recall as number;
    expect(Math.abs(macroF1 - (2 * p * r) / (p + r))).toBeGreaterThan(0.005);
    // AUC of A: positives 0.701, 0.101, 0.201, 0.501 and negatives 1 − each, one row per bin, by score
    expect(e.perClass.A.auc).not.toBeNull();
    for (const m of ["accuracy", "precision", "recall", "f1"] as const) {
      const [lo, hi] = e.intervals[m]!;
      expect(lo).toBeLessThanOrEqual(hi);
    }
  });

  it("takes each side's calibration: rows predicted the class for TP/FP, the other rows for FN/TN (hand-computed)", () => {
    // Class A's predicted side is the identity; its other side says P(actual A) = 0.1 whatever the score
    // (Platt a = 0, b = logit 0.1). Classes B and C are the identity on both sides.
    const { classes, window } = fourRows();
    const draws = 200;
    const flat = new Float64Array(draws * scoreBins).fill(0.1);
    const constant: FittedReference = { ...identity(draws), calibration: { method: "platt", a: 0, b: Math.log(0.1 / 0.9) }, replicates: flat };
    const a: ClassCalibration = { whole: identity(draws), predicted: identity(draws), rest: constant };
    const e = estimateMulticlassWindow({ classes, references: [a, identityClass(), identityClass()] }, window, settings)!;
    // A: predicted rows 1, 4 → TP 0.701 + 0.501, FP 0.299 + 0.499; rows 2, 3 → FN 0.1 + 0.1, TN 0.9 + 0.9
    const got = e.perClass.A.expectedConfusion;
    expect(got.tp).toBeCloseTo(1.202, 9);
    expect(got.fp).toBeCloseTo(0.798, 9);
    expect(got.fn).toBeCloseTo(0.2, 9);
    expect(got.tn).toBeCloseTo(1.8, 9);
    expect(e.perClass.A.recall).toBeCloseTo(1.202 / 1.402, 9);
    // B's matrix does not depend on A's calibration
    expect(e.perClass.B.expectedConfusion.fn).toBeCloseTo(0.703, 9);
  });

  it("gives a macro metric the mean of the classes' interval ends, accuracy the interval of its replicates", () => {
    const u = mulberry32(5);
    const classes = ["0", "1", "2"];
    const scores: number[][] = [];
    const predicted: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const a = u() + 0.2;
      const b = u() + 0.2;
      const c = u() + 0.2;
      const s = a + b + c;
      const row = [a / s, b / s, c / s];
      scores.push(row);
      predicted.push(String(row.indexOf(Math.max(...row))));
    }
    const e = estimateMulticlassWindow({ classes, references: [identityClass(), identityClass(), identityClass()] }, multiclassHistogram(scores, classes, predicted), settings)!;
    for (const [m, key] of [
      ["precision", "precision"],
      ["recall", "recall"],
      ["f1", "f1"],
      ["auc", "auc"],
    ] as const) {
      const [lo, hi] = e.intervals[m]!;
      expect(lo).toBeCloseTo(classes.reduce((t, c) => t + e.perClass[c].intervals[key]![0], 0) / 3, 12);
      expect(hi).toBeCloseTo(classes.reduce((t, c) => t + e.perClass[c].intervals[key]![1], 0) / 3, 12);
      expect(lo).toBeLessThanOrEqual(e.metrics[m] as number);
      expect(hi).toBeGreaterThanOrEqual(e.metrics[m] as number);
    }
    // accuracy: Σ TP_j of 3,000 rows under the identity — a binomial-like spread, about ±1.96·√(Σp(1−p))/n
    const [lo, hi] = e.intervals.accuracy!;
    const acc = e.metrics.accuracy as number;
    expect(lo).toBeLessThan(acc);
    expect(hi).toBeGreaterThan(acc);
    expect(hi - lo).toBeGreaterThan(0.02);
    expect(hi - lo).toBeLessThan(0.05);
  });
});

describe("fitMulticlassReference and realizedMulticlassMetrics", () => {
  it("fits every class on a labelled reference and names the class it cannot fit", () => {
    const u = mulberry32(9);
    const classes = ["x", "y", "z"];
    const rows = (n: number, onlyTwo: boolean) => {
      const scores: number[][] = [];
      const predicted: string[] = [];
      const actual: string[] = [];
      for (let i = 0; i < n; i++) {
        const w = [u() + 0.1, u() + 0.1, onlyTwo ? 0 : u() + 0.1];
        const s = w[0] + w[1] + w[2];
        const row = w.map((v) => v / s);
        scores.push(row);
        predicted.push(classes[row.indexOf(Math.max(...row))]);
        const t = u();
        actual.push(classes[t < row[0] ? 0 : t < row[0] + row[1] ? 1 : 2]);
      }
      return multiclassHistogram(scores, classes, predicted, actual);
    };
    const fit = fitMulticlassReference(rows(1500, false), settings);
    if (!fit.ok) throw new Error(fit.reason);
    // every class calibrated on its own rows on both sides (each side has its rows and both outcomes)
    for (const c of fit.references) {
      expect(c.predicted).not.toBe(c.whole);
      expect(c.rest).not.toBe(c.whole);
      expect(c.predicted.count + c.rest.count).toBe(1500);
    }
    // a side too small for the rules falls back to the class's whole calibration
    const few = fitMulticlassReference(rows(1500, false), { ...settings, minReferenceRows: 1000 });
    if (!few.ok) throw new Error(few.reason);
    expect(few.references.some((c) => c.predicted === c.whole)).toBe(true);
    const bad = fitMulticlassReference(rows(1500, true), settings);
    expect(bad).toMatchObject({ ok: false, reason: expect.stringContaining("class z (one against the rest): the reference is too small") });
    // realized: accuracy is the share of rows whose predicted class is the actual one
    const h = multiclassHistogram([[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4]], classes, ["x", "y", "z"], ["x", "z", "z"]);
    const realized = realizedMulticlassMetrics(h);
    expect(realized.count).toBe(3);
    expect(realized.accuracy).toBeCloseTo(2 / 3, 12);
    // recall x 1, y 0 (none actual: 0), z 1/2; precision x 1, y 0, z 1
    expect(realized.recall).toBeCloseTo((1 + 0 + 0.5) / 3, 12);
    expect(realized.precision).toBeCloseTo(2 / 3, 12);
  });
});
