/**
 * The data-drift alert a person reads: subject `[MLWatch] Data drift: {model} ({n} features)` and a plain
 * text body with the severity, each drifted feature's PSI, p-values and the rule that fired, the
 * baseline-vs-current summary (rows, missing shares, top category shares), and where the full report is.
 */
import type { DriftReport, FeatureDrift } from "../core/drift/index.js";

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

const fmt = (x: number | undefined | null): string => {
  if (x === undefined || x === null || !Number.isFinite(x)) return "n/a";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
};
const pct = (x: number): string => `${(x * 100).toFixed(x < 0.01 && x > 0 ? 2 : 1)}%`;

/** The alert's subject line. */
export function driftAlertSubject(model: string, driftedCount: number): string {
  return `[MLWatch] Data drift: ${model} (${driftedCount} feature${driftedCount === 1 ? "" : "s"})`;
}

function featureLines(name: string, f: FeatureDrift): string[] {
  const t = f.tests;
  const parts: string[] = [`PSI ${fmt(t.psi?.value)}`];
  if (t.ks) parts.push(`KS D ${fmt(t.ks.statistic)}, p ${fmt(t.ks.pValue)} (adjusted ${fmt(t.ks.adjustedPValue)})`);
  if (t.chiSquare) parts.push(`chi-square ${fmt(t.chiSquare.statistic)}, p ${fmt(t.chiSquare.pValue)} (adjusted ${fmt(t.chiSquare.adjustedPValue)})`);
  if (t.wasserstein?.normalized !== undefined && t.wasserstein.normalized !== null) parts.push(`Wasserstein/σ ${fmt(t.wasserstein.normalized)}`);
  const lines = [`- ${name} [${f.type}, ${f.severity}]: ${parts.join("; ")}`];
  lines.push(`    missing share ${pct(f.baseline.missingShare)} → ${pct(f.current.missingShare)}; values ${f.baseline.count} baseline vs ${f.current.count} current`);
  if (f.newCategories && f.newCategories.length > 0) lines.push(`    new categories: ${f.newCategories.slice(0, 5).join(", ")}${f.newCategories.length > 5 ? ", …" : ""}`);
  if (f.missingCategories && f.missingCategories.length > 0) lines.push(`    vanished categories: ${f.missingCategories.slice(0, 5).join(", ")}${f.missingCategories.length > 5 ? ", …" : ""}`);
  lines.push(`    why: ${f.reason}`);
  return lines;
}

/** The alert's body. */
export function driftAlertBody(ctx: DriftAlertContext, report: DriftReport): string {
  const drifted = Object.entries(report.features)
    .filter(([, f]) => f.driftDetected)
    .sort((a, b) => (b[1].tests.psi?.value ?? 0) - (a[1].tests.psi?.value ?? 0));
  const comparable = Object.values(report.features).filter((f) => f.comparable).length;
  const lines = [
    `Data drift detected for model ${ctx.model}. Severity: ${ctx.severity.toUpperCase()}.`,
    "",
    `${drifted.length} of ${comparable} features drifted (drift share ${pct(report.driftShare)}), ${ctx.source} check ${ctx.checkId} at ${ctx.completedAt}.`,
    `Baseline ${ctx.baselineId}: ${ctx.baselineRows} rows. Current data: ${ctx.rows} rows${ctx.dataUri ? ` from ${ctx.dataUri}` : ""}.`,
    "",
    "Drifted features (highest PSI first):",
    ...drifted.slice(0, 25).flatMap(([name, f]) => featureLines(name, f)),
    ...(drifted.length > 25 ? [`… and ${drifted.length - 25} more in the full report.`] : []),
    "",
    `Full report: ${ctx.reportUri}`,
    ...(ctx.reportHtmlUri ? [`HTML report (histograms): ${ctx.reportHtmlUri}`] : []),
    `API: GET /models/${ctx.model}/drift-checks/${ctx.checkId}${ctx.reportHtmlUri ? ` (page: …/drift-checks/${ctx.checkId}/report.html)` : ""}`,
    "",
    "What to do: check the upstream data pipeline for the drifted features (schema changes, new sources, missing values);",
    "if the change is expected, create a new baseline from recent data and activate it; if it affects quality, consider retraining.",
    `The same drifted features of ${ctx.model} are not alerted again within the suppression window.`,
  ];
  return lines.join("\n");
}
