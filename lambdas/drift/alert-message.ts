/**
 * The data-drift alert a person reads: subject `[MLWatch] Data drift: {model} ({n} features)` and a plain
 * text body with the severity, each drifted feature's PSI, p-values and the rule that fired, the
 * baseline-vs-current summary (rows, missing shares, top category shares), and where the full report is.
 *
 * Category values, feature names and the data URI come from the team's data (scheduled checks read
 * endpoint data capture, which is end-user input): each goes through the safe-text rules of
 * lambdas/core/alerts/safe-text.ts (escaped, cut to 80 characters, lists capped), so a value can never
 * forge a line of the message, and the whole body is cut to fit SNS's 256 KB with the report linked.
 */
import type { DriftReport, FeatureDrift } from "../core/drift/index.js";
import { cappedList, composedText, fitMessage, subjectLine, userText } from "../core/alerts/safe-text.js";

/** What the message needs to know about the check. */
export interface DriftAlertContext {
  readonly model: string;
  readonly checkId: string;
  readonly baselineId: string;
  readonly source: string;
  readonly dataUri?: string;
  readonly rows: number;
  readonly baselineRows: number;
  readonly reportUri: string;
  /** The HTML page of the report. */
  readonly reportHtmlUri?: string;
  readonly severity: string;
  readonly completedAt: string;
}

/** Most drifted features listed in one alert; the rest are counted ("… and 37 more"). */
export const maxFeaturesListed = 25;
/** Most new or vanished categories listed per feature. */
export const maxCategoriesListed = 5;

const fmt = (x: number | undefined | null): string => {
  if (x === undefined || x === null || !Number.isFinite(x)) return "n/a";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
};
const pct = (x: number): string => `${(x * 100).toFixed(x < 0.01 && x > 0 ? 2 : 1)}%`;

/** The alert's subject line (SNS rules: printable ASCII, under 100 characters). */
export function driftAlertSubject(model: string, driftedCount: number): string {
  return subjectLine(`[MLWatch] Data drift: ${model} (${driftedCount} feature${driftedCount === 1 ? "" : "s"})`);
}

/** One line for the inbox: what drifted, capped. */
export function driftAlertSummary(model: string, driftedFeatures: readonly string[], severity: string): string {
  return `${driftedFeatures.length} feature${driftedFeatures.length === 1 ? "" : "s"} of ${userText(model)} drifted (${userText(severity, 20)}): ${cappedList(driftedFeatures, 5, 40)}`;
}

function featureLines(name: string, f: FeatureDrift): string[] {
  const t = f.tests;
  const parts: string[] = [`PSI ${fmt(t.psi?.value)}`];
  if (t.ks) parts.push(`KS D ${fmt(t.ks.statistic)}, p ${fmt(t.ks.pValue)} (adjusted ${fmt(t.ks.adjustedPValue)})`);
  if (t.chiSquare) parts.push(`chi-square ${fmt(t.chiSquare.statistic)}, p ${fmt(t.chiSquare.pValue)} (adjusted ${fmt(t.chiSquare.adjustedPValue)})`);
  if (t.wasserstein?.normalized !== undefined && t.wasserstein.normalized !== null) parts.push(`Wasserstein/σ ${fmt(t.wasserstein.normalized)}`);
  const lines = [`- ${userText(name)} [${userText(f.type, 20)}, ${userText(f.severity, 20)}]: ${parts.join("; ")}`];
  lines.push(`    missing share ${pct(f.baseline.missingShare)} → ${pct(f.current.missingShare)}; values ${f.baseline.count} baseline vs ${f.current.count} current`);
  if (f.newCategories && f.newCategories.length > 0) lines.push(`    new categories: ${cappedList(f.newCategories, maxCategoriesListed)}`);
  if (f.missingCategories && f.missingCategories.length > 0) lines.push(`    vanished categories: ${cappedList(f.missingCategories, maxCategoriesListed)}`);
  lines.push(`    why: ${composedText(f.reason, 300)}`);
  return lines;
}

/** The alert's body, always within SNS's size limit. */
export function driftAlertBody(ctx: DriftAlertContext, report: DriftReport): string {
  const drifted = Object.entries(report.features)
    .filter(([, f]) => f.driftDetected)
    .sort((a, b) => (b[1].tests.psi?.value ?? 0) - (a[1].tests.psi?.value ?? 0));
  const comparable = Object.values(report.features).filter((f) => f.comparable).length;
  const model = userText(ctx.model);
  const lines = [
    `Data drift detected for model ${model}. Severity: ${userText(ctx.severity, 20).toUpperCase()}.`,
    "",
    `${drifted.length} of ${comparable} features drifted (drift share ${pct(report.driftShare)}), ${userText(ctx.source, 20)} check ${userText(ctx.checkId)} at ${userText(ctx.completedAt, 40)}.`,
    `Baseline ${userText(ctx.baselineId)}: ${ctx.baselineRows} rows. Current data: ${ctx.rows} rows${ctx.dataUri ? ` from ${userText(ctx.dataUri)}` : ""}.`,
    "",
    "Drifted features (highest PSI first):",
    ...drifted.slice(0, maxFeaturesListed).flatMap(([name, f]) => featureLines(name, f)),
    ...(drifted.length > maxFeaturesListed ? [`… and ${drifted.length - maxFeaturesListed} more in the full report.`] : []),
    "",
    `Full report: ${composedText(ctx.reportUri, 400)}`,
    ...(ctx.reportHtmlUri ? [`HTML report (histograms): ${composedText(ctx.reportHtmlUri, 400)}`] : []),
    `API: GET /models/${model}/drift-checks/${userText(ctx.checkId)}${ctx.reportHtmlUri ? ` (page: …/drift-checks/${userText(ctx.checkId)}/report.html)` : ""}`,
    "",
    "What to do: check the upstream data pipeline for the drifted features (schema changes, new sources, missing values);",
    "if the change is expected, create a new baseline from recent data and activate it; if it affects quality, consider retraining.",
    `A repeat of the same drifted features of ${model} is counted on this alert (mlwatch alerts show) and not sent again while the alert is open or within the suppression window.`,
  ];
  return fitMessage(lines.join("\n"), undefined, ctx.reportUri);
}
