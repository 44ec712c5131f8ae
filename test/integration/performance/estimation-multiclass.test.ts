/**
 * Multiclass performance estimation end to end against the emulator (lean: one reference batch, one
 * unlabelled batch): batches carrying per-class scores with `classes`, the report's `estimated` section with
 * one-against-the-rest matrices and macro metrics.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { uniqueName } from "../observe.js";
import { mulberry32 } from "../../../lambdas/core/stats/seeded.js";
import { registerVersion } from "./helpers.js";

const classes = ["cat", "dog", "owl"];

/** Seeded rows of a calibrated three-class classifier: scores = the true probabilities softmax(−2x, 0.5, 2x). */
function rows(n: number, seed: number, labelled: boolean) {
  const u = mulberry32(seed);
  const scores: number[][] = [];
  const predictions: string[] = [];
  const actuals: string[] = [];
  let expected = 0;
  for (let i = 0; i < n; i++) {
    const x = 1.5 * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const e = [Math.exp(-2 * x), Math.exp(0.5), Math.exp(2 * x)];
    const t = e[0] + e[1] + e[2];
    const p = e.map((v) => Math.round((v / t) * 1e6) / 1e6);
    scores.push(p);
    const k = p.indexOf(Math.max(...p));
    predictions.push(classes[k]);
    expected += p[k];
    const r = u();
    actuals.push(classes[r < p[0] ? 0 : r < p[0] + p[1] ? 1 : 2]);
  }
  return { scores, predictions, ...(labelled ? { actuals } : {}), expected: expected / n };
}

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack("perf-estimation-multiclass");
});

describe("multiclass performance estimation", () => {
  it("estimates an unlabelled batch with per-class scores from a labelled reference: one-vs-rest matrices, macro metrics, intervals", async () => {
    const model = uniqueName("species-est");
    // Prepare: a 1,500-row labelled reference with per-class scores
    await registerVersion(stack, model, "1.0.0", { accuracy: 0.75 }, "accuracy", "higher");
    const { expected: _ref, ...reference } = rows(1500, 1, true);
    const posted = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...reference, classes });
    expect(posted.status).toBe(201);
    const { expected, ...unlabelled } = rows(400, 2, false);
    // Act
    const res = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, { task: "classification", ...unlabelled, classes });
    const report = await stack.call("GET", `/models/${model}/performance?version=1.0.0`);
    // Assess: the batch is kept unlabelled and estimated at once; the report carries the multiclass estimate
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ labelled: false, count: 400, estimation: { checked: true } });
    expect(res.body.estimation.days[0]).toMatchObject({ metric: "accuracy", count: 400 });
    expect(report.status).toBe(200);
    const est = report.body.estimated;
    expect(est).toMatchObject({ available: true, unlabelledCount: 400, reference: { count: 1500, classes } });
    expect(Object.keys(est.reference.calibrations)).toEqual(classes);
    expect(est.overall.expectedConfusion.classes).toEqual(classes);
    const m = est.overall.expectedConfusion.perClass;
    // Σ TP_j / n is the estimated accuracy; each class's matrix counts every row once
    expect((m.cat.tp + m.dog.tp + m.owl.tp) / 400).toBeCloseTo(est.overall.metrics.accuracy, 4);
    for (const c of classes) expect(m[c].tp + m[c].fp + m[c].fn + m[c].tn).toBeCloseTo(400, 2);
    // a calibrated model: the estimate is near the mean of its top score
    expect(Math.abs(est.overall.metrics.accuracy - expected)).toBeLessThan(0.04);
    for (const name of ["accuracy", "precision", "recall", "f1", "auc"]) {
      const [lo, hi] = est.overall.intervals[name];
      expect(lo).toBeLessThanOrEqual(est.overall.metrics[name]);
      expect(hi).toBeGreaterThanOrEqual(est.overall.metrics[name]);
    }
    expect(est.scope).toContain("multiclass one against the rest");
  }, 300_000);
});
