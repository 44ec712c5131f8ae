/**
 * Simulation: how close confidence-based performance estimation (lambdas/core/performance/estimation.ts)
 * comes to the metrics a window later shows, and how often its 95 % interval holds them — seeded,
 * deterministic, through the same histograms and fits the service uses.
 *
 * World: one feature x; the truth P(y = 1 | x) = σ(1.5·x) (concept drift changes it). Two models, both
 * predicting 1 when their score ≥ 0.5:
 *   calibrated     score = σ(1.5·x)                   (the true probability)
 *   miscalibrated  score = σ(3·x + 0.4)               (overconfident and shifted, but ranked right)
 * Reference: REF rows with x ~ N(0, 1.5²), labelled. Windows: WINDOWS windows of N rows per case:
 *   no shift          x ~ N(0, 1.5²)
 *   covariate shift   x ~ N(0, 0.5²)       (scores crowd toward 0.5: accuracy falls; P(y|x) unchanged)
 *   prior shift       x ~ N(1.2, 1.5²)     (positives 50 % → ~75 % by moving x; P(y|x) unchanged)
 *   label shift       y ~ Bernoulli(0.8), x | y as in the reference (P(y|x) changes with the prior)
 *   concept drift     P(y = 1 | x) = σ(0.4·x)  (the score-to-outcome relation weakened: assumption broken)
 * Per case: the realized metric's mean, the estimate's mean absolute error and bias, and the share of
 * windows whose realized metric fell inside the interval (coverage; nominal 0.95).
 *
 * Usage: npm run bench -- estimation   (WINDOWS=… per case, default 200; N=… rows per window, default 1000;
 * REF=… reference rows, default 5000; DRAWS=… interval replicates, default 400)
 */
import { mulberry32 } from "../lambdas/core/stats/seeded.js";
import { realizedMetrics, scoreHistogram } from "../lambdas/core/performance/estimation-histogram.js";
import { defaultEstimationSettings, estimateWindow, estimationError, fitReference, type EstimatedMetric } from "../lambdas/core/performance/estimation.js";

const WINDOWS = Number(process.env.WINDOWS ?? 200);
const N = Number(process.env.N ?? 1000);
const REF = Number(process.env.REF ?? 5000);
const DRAWS = Number(process.env.DRAWS ?? 400);

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));

function normals(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

type Model = { name: string; score: (x: number) => number };
const models: Model[] = [
  { name: "calibrated", score: (x) => sigmoid(1.5 * x) },
  { name: "miscalibrated", score: (x) => sigmoid(3 * x + 0.4) },
];

/** Draws one row: x and y. */
type World = (u: () => number, z: () => number) => { x: number; y: number };
const truth = (x: number): number => sigmoid(1.5 * x);
const covariate = (mean: number, sd: number): World => (u, z) => {
  const x = mean + sd * z();
  return { x, y: u() < truth(x) ? 1 : 0 };
};
/** Label shift: draw y with the new prior, then x | y by rejection from the reference's joint distribution. */
const labelShift = (prior: number): World => (u, z) => {
  const want = u() < prior ? 1 : 0;
  for (;;) {
    const x = 1.5 * z();
    const y = u() < truth(x) ? 1 : 0;
    if (y === want) return { x, y };
  }
};
const conceptDrift: World = (u, z) => {
  const x = 1.5 * z();
  return { x, y: u() < sigmoid(0.4 * x) ? 1 : 0 };
};

const cases: Array<{ name: string; world: World; holds: boolean }> = [
  { name: "no shift", world: covariate(0, 1.5), holds: true },
  { name: "covariate shift", world: covariate(0, 0.5), holds: true },
  { name: "prior shift (P(y|x) kept)", world: covariate(1.2, 1.5), holds: true },
  { name: "label shift (P(x|y) kept)", world: labelShift(0.8), holds: false },
  { name: "concept drift", world: conceptDrift, holds: false },
];

function sample(world: World, model: Model, n: number, seed: number) {
  const u = mulberry32(seed);
  const z = normals(u);
  const scores = new Float64Array(n);
  const predicted: number[] = new Array(n);
  const actual: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const { x, y } = world(u, z);
    scores[i] = model.score(x);
    predicted[i] = scores[i] >= 0.5 ? 1 : 0;
    actual[i] = y;
  }
  return scoreHistogram(scores, predicted, actual);
}

const shown: EstimatedMetric[] = ["accuracy", "f1", "auc"];
const settings = { ...defaultEstimationSettings, draws: DRAWS };
const started = performance.now();
const rows: string[] = [];
rows.push(`| model | case | assumption | reference fit | ${shown.map((m) => `${m}: realized · MAE · bias · coverage`).join(" | ")} |`);
rows.push(`| --- | --- | --- | --- | ${shown.map(() => "---").join(" | ")} |`);
let seed = 1;
for (const model of models) {
  const fit = fitReference(sample(covariate(0, 1.5), model, REF, 7), settings);
  if (!fit.ok) throw new Error(`reference refused: ${fit.reason}`);
  const ref = fit.reference;
  for (const c of cases) {
    const acc: Record<EstimatedMetric, { realized: number; abs: number; bias: number; covered: number; n: number }> = {
      accuracy: { realized: 0, abs: 0, bias: 0, covered: 0, n: 0 },
      precision: { realized: 0, abs: 0, bias: 0, covered: 0, n: 0 },
      recall: { realized: 0, abs: 0, bias: 0, covered: 0, n: 0 },
      f1: { realized: 0, abs: 0, bias: 0, covered: 0, n: 0 },
      auc: { realized: 0, abs: 0, bias: 0, covered: 0, n: 0 },
    };
    for (let w = 0; w < WINDOWS; w++) {
      const window = sample(c.world, model, N, 1000 + seed++);
      const realized = realizedMetrics(window);
      const estimate = estimateWindow(ref, window, { ...settings, seed: seed });
      if (!estimate) continue;
      const { error, covered } = estimationError(estimate, realized);
      for (const m of shown) {
        const e = error[m];
        const r = realized[m];
        if (e === null || r === null) continue;
        acc[m].realized += r;
        acc[m].abs += Math.abs(e);
        acc[m].bias += e;
        acc[m].covered += covered[m] ? 1 : 0;
        acc[m].n++;
      }
    }
    const cells = shown.map((m) => {
      const a = acc[m];
      return `${(a.realized / a.n).toFixed(3)} · ${(a.abs / a.n).toFixed(3)} · ${a.bias / a.n >= 0 ? "+" : ""}${(a.bias / a.n).toFixed(3)} · **${(a.covered / a.n).toFixed(2)}**`;
    });
    rows.push(`| ${model.name} | ${c.name} | ${c.holds ? "holds" : "broken"} | ${ref.method}, ECE ${ref.calibrationError.toFixed(3)} (raw ${ref.rawCalibrationError.toFixed(3)}) | ${cells.join(" | ")} |`);
  }
}
console.log(`estimation: ${WINDOWS} windows of ${N} rows per case, reference ${REF} rows, ${DRAWS} replicates per interval, level 0.95`);
console.log(rows.join("\n"));
console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s`);
