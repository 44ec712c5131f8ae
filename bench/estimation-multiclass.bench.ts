/**
 * Simulation: multiclass one-vs-rest performance estimation (lambdas/core/performance/estimation-multiclass.ts)
 * against what windows later show — seeded, deterministic, through the same histograms and fits.
 *
 * World: one feature x, three classes; the truth P(y = k | x) = softmax(w_k·x + b_k), w = (−2, 0, 2),
 * b = (0, 0.5, 0) (concept drift changes w). Two models, both predicting the class of highest score:
 *   calibrated     scores = the true probabilities
 *   miscalibrated  scores = softmax(2·(w_k·x + b_k))   (overconfident; same ranking of classes)
 * References: REFS independent draws of REF labelled rows, x ~ N(0, 1.5²), each followed by WINDOWS windows
 * of N rows per case (a fresh reference for each group of windows: the interval accounts for the reference's
 * own sampling error, so its coverage is over references and windows alike — one shared reference would only
 * show how lucky that one draw was):
 *   no shift        x ~ N(0, 1.5²)
 *   covariate shift x ~ N(0, 0.5²)   (rows crowd where classes overlap: accuracy falls; P(y|x) unchanged)
 *   prior shift     x ~ N(1, 1.5²)   (class balance moves toward class 2 through x; P(y|x) unchanged)
 *   concept drift   w = (−0.7, 0, 0.7) (the score-to-outcome relation weakened: assumption broken)
 * Per case: the realized metric's mean · the estimate's MAE · its bias · the share of windows whose realized
 * value fell in the 95 % interval (coverage).
 *
 * Usage: npm run bench -- estimation-multiclass (REFS default 20, WINDOWS 10, N 1000, REF 5000, DRAWS 400;
 * METHOD=platt or isotonic forces the calibration method instead of the rule)
 */
import { mulberry32 } from "../lambdas/core/stats/seeded.js";
import { defaultEstimationSettings, type EstimatedMetric } from "../lambdas/core/performance/estimation.js";
import { estimateMulticlassWindow, fitMulticlassReference, multiclassHistogram, realizedMulticlassMetrics } from "../lambdas/core/performance/estimation-multiclass.js";

const REFS = Number(process.env.REFS ?? 20);
const WINDOWS = Number(process.env.WINDOWS ?? 10);
const N = Number(process.env.N ?? 1000);
const REF = Number(process.env.REF ?? 5000);
const DRAWS = Number(process.env.DRAWS ?? 400);

const classes = ["0", "1", "2"];
const bias = [0, 0.5, 0];
const softmax = (z: number[]): number[] => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const logits = (w: readonly number[], x: number) => w.map((wk, k) => wk * x + bias[k]);
const trueW = [-2, 0, 2];

type Model = { name: string; scores: (x: number) => number[] };
const models: Model[] = [
  { name: "calibrated", scores: (x) => softmax(logits(trueW, x)) },
  { name: "miscalibrated", scores: (x) => softmax(logits(trueW, x).map((v) => 2 * v)) },
];
const cases = [
  { name: "no shift", mean: 0, sd: 1.5, w: trueW, holds: true },
  { name: "covariate shift", mean: 0, sd: 0.5, w: trueW, holds: true },
  { name: "prior shift (P(y|x) kept)", mean: 1, sd: 1.5, w: trueW, holds: true },
  { name: "concept drift", mean: 0, sd: 1.5, w: [-0.7, 0, 0.7], holds: false },
];

function sample(c: { mean: number; sd: number; w: readonly number[] }, model: Model, n: number, seed: number) {
  const u = mulberry32(seed);
  const scores: number[][] = [];
  const predicted: string[] = [];
  const actual: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = c.mean + c.sd * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const s = model.scores(x);
    scores.push(s);
    predicted.push(classes[s.indexOf(Math.max(...s))]);
    const p = softmax(logits(c.w, x));
    const t = u();
    actual.push(classes[t < p[0] ? 0 : t < p[0] + p[1] ? 1 : 2]);
  }
  return multiclassHistogram(scores, classes, predicted, actual);
}

const shown: EstimatedMetric[] = ["accuracy", "f1", "auc"];
const settings = { ...defaultEstimationSettings, draws: DRAWS, ...(process.env.METHOD ? { method: process.env.METHOD as "isotonic" | "platt" } : {}) };
const started = performance.now();
const rows: string[] = [];
rows.push(`| model | case | assumption | ${shown.map((m) => `${m}: realized · MAE · bias ± s.e. · coverage`).join(" | ")} |`);
rows.push(`| --- | --- | --- | ${shown.map(() => "---").join(" | ")} |`);
let seed = 1;
for (const model of models) {
  const fits = Array.from({ length: REFS }, (_, r) => {
    const fit = fitMulticlassReference(sample(cases[0], model, REF, 7 + 7919 * r), settings);
    if (!fit.ok) throw new Error(`reference refused: ${fit.reason}`);
    return fit;
  });
  const methods = [...new Set(fits.flatMap((f) => f.references.flatMap((r) => [r.predicted.method, r.rest.method])))].join("/");
  for (const c of cases) {
    const acc = Object.fromEntries(shown.map((m) => [m, { realized: 0, abs: 0, bias: 0, bias2: 0, covered: 0, n: 0 }])) as Record<
      EstimatedMetric,
      { realized: number; abs: number; bias: number; bias2: number; covered: number; n: number }
    >;
    for (const fit of fits) {
      for (let w = 0; w < WINDOWS; w++) {
        const window = sample(c, model, N, 1000 + seed++);
        const realized = realizedMulticlassMetrics(window);
        const e = estimateMulticlassWindow(fit, window, { ...settings, seed });
        if (!e) continue;
        for (const m of shown) {
          const r = realized[m];
          const v = e.metrics[m];
          const iv = e.intervals[m];
          if (r === null || v === null || iv === null) continue;
          acc[m].realized += r;
          acc[m].abs += Math.abs(v - r);
          acc[m].bias += v - r;
          acc[m].bias2 += (v - r) ** 2;
          acc[m].covered += r >= iv[0] && r <= iv[1] ? 1 : 0;
          acc[m].n++;
        }
      }
    }
    const cells = shown.map((m) => {
      const a = acc[m];
      const b = a.bias / a.n;
      // Monte Carlo standard error of the bias: windows of one reference share its error, so this counts
      // the references as the independent units (a conservative figure).
      const se = Math.sqrt(Math.max(0, a.bias2 / a.n - b * b) / REFS);
      return `${(a.realized / a.n).toFixed(3)} · ${(a.abs / a.n).toFixed(3)} · ${b >= 0 ? "+" : ""}${b.toFixed(3)} ± ${se.toFixed(3)} · **${(a.covered / a.n).toFixed(2)}**`;
    });
    rows.push(`| ${model.name} (${methods}) | ${c.name} | ${c.holds ? "holds" : "broken"} | ${cells.join(" | ")} |`);
  }
}
console.log(`estimation-multiclass: ${REFS} references of ${REF} rows × ${WINDOWS} windows of ${N} rows per case, ${DRAWS} replicates per interval, level 0.95`);
console.log(rows.join("\n"));
console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s`);
