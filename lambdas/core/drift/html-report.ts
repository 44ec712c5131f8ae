/**
 * The HTML drift report: one self-contained page (inline CSS and SVG; no script, no font, no external
 * resource) that a person opens from S3, the API or an alert. The summary comes first — verdict, drift
 * share, severity, and one row per feature (drifted first, highest PSI first) with PSI, the adjusted
 * p-value and the reason — then one section per feature with the baseline and current histograms
 * overlaid, coloured by severity. Pure: text in, text out. Every data value is HTML-escaped.
 */
import type { CheckCost } from "../cost/check-cost.js";
import type { FeatureHistogram } from "./histograms.js";
import type { DriftReport, FeatureDrift, Severity } from "./report.js";
import { escapeHtmlVisible } from "../alerts/safe-text.js";

/** What the page shows about the check. */
export interface DriftHtmlReportInput {
  readonly model: string;
  readonly checkId: string;
  readonly baselineId: string;
  readonly source: string;
  readonly dataUri?: string;
  readonly completedAt: string;
  readonly rows: number;
  readonly baselineRows: number;
  readonly severity: Severity;
  /** Where the JSON report is. */
  readonly reportUri?: string;
  readonly report: DriftReport;
  readonly histograms: Readonly<Record<string, FeatureHistogram>>;
  /** Model Monitor constraint violations of the check: the count per constraint_check_type and the list. */
  readonly violations?: {
    readonly counts: Readonly<Record<string, number>>;
    readonly list: readonly { readonly feature_name: string; readonly constraint_check_type: string; readonly description: string }[];
    /** Where constraint_violations.json is. */
    readonly uri?: string;
  };
  /** What the check cost (lambdas/core/cost/check-cost.ts). */
  readonly cost?: CheckCost;
}

/** Violations listed at most on the page (constraint_violations.json has them all). */
export const maxViolationRows = 100;

function violationsSection(v: NonNullable<DriftHtmlReportInput["violations"]>): string {
  const total = Object.values(v.counts).reduce((a, b) => a + b, 0);
  const counts = Object.entries(v.counts)
    .map(([type, n]) => `<tr><td>${escapeHtml(type)}</td><td class="num">${n}</td></tr>`)
    .join("");
  const rows = v.list
    .slice(0, maxViolationRows)
    .map((x) => `<tr><td>${escapeHtml(x.feature_name)}</td><td>${escapeHtml(x.constraint_check_type)}</td><td>${escapeHtml(x.description)}</td></tr>`)
    .join("\n");
  const more = v.list.length > maxViolationRows ? `<p class="note">${v.list.length - maxViolationRows} more violations are in constraint_violations.json.</p>` : "";
  return `<h2 id="violations">Constraint violations</h2>
<p class="note">Model Monitor's view of the same comparison: ${total === 0 ? "no violation" : `${total} violation${total === 1 ? "" : "s"}`}${v.uri ? ` (${escapeHtml(v.uri)})` : ""}.</p>
<table class="violation-counts"><thead><tr><th>Constraint check</th><th>Violations</th></tr></thead><tbody>${counts}</tbody></table>
${rows ? `<table class="violations"><thead><tr><th>Feature</th><th>Constraint check</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>` : ""}
${more}`;
}

const usd = (x: number): string => `$${x < 0.01 ? x.toPrecision(3) : x.toFixed(4)}`;

function costSection(c: CheckCost): string {
  return `<h2 id="cost">Cost of this check</h2>
<table class="cost"><thead><tr><th>Item</th><th>Used</th><th>Unit price (USD)</th></tr></thead><tbody>
<tr><td>Lambda compute</td><td class="num">${num(c.lambdaGbSeconds)} GB-s</td><td class="num">${c.prices.lambdaGbSecondUsd}</td></tr>
<tr><td>Step Functions state transitions</td><td class="num">${c.stepFunctionsTransitions}</td><td class="num">${c.prices.stepFunctionsTransitionUsd}</td></tr>
<tr><td>S3 requests (PUT, COPY, POST, LIST)</td><td class="num">${c.s3RequestsByTier.write}</td><td class="num">${c.prices.s3WriteRequestUsd}</td></tr>
<tr><td>S3 requests (GET and others)</td><td class="num">${c.s3RequestsByTier.read}</td><td class="num">${c.prices.s3ReadRequestUsd}</td></tr>
</tbody></table>
<p class="note">Estimated cost: <b>${usd(c.estimatedUsd)}</b> (${c.s3Requests} S3 requests; measured from this check's own run; free tiers and data transfer not counted).</p>`;
}

/** Feature sections drawn at most (the summary table lists every feature). */
export const maxFeatureSections = 200;

const severityColours: Record<Severity | "na", { fg: string; bg: string; label: string }> = {
  high: { fg: "#b71c1c", bg: "#fdecea", label: "high" },
  moderate: { fg: "#8a5300", bg: "#fff3dc", label: "moderate" },
  none: { fg: "#1b5e20", bg: "#e8f5e9", label: "none" },
  na: { fg: "#555", bg: "#eee", label: "not compared" },
};
const baselineColour = "#4c78a8";
const currentColour = "#f58518";

/** Escapes text for HTML content and attribute values; control and bidi characters made visible (safe-text.ts). */
export const escapeHtml = (s: string): string => escapeHtmlVisible(s);

const num = (x: number | null | undefined): string => {
  if (x === undefined || x === null || !Number.isFinite(x)) return "–";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
};
const pct = (x: number): string => `${(x * 100).toFixed(x > 0 && x < 0.01 ? 2 : 1)}%`;

function badge(f: FeatureDrift): string {
  const s = severityColours[f.comparable ? f.severity : "na"];
  return `<span class="badge" style="color:${s.fg};background:${s.bg};border-color:${s.fg}">${s.label}</span>`;
}

const pValueOf = (f: FeatureDrift): number | undefined => f.tests.ks?.adjustedPValue ?? f.tests.chiSquare?.adjustedPValue;

function order(report: DriftReport): string[] {
  return Object.keys(report.features).sort((a, b) => {
    const fa = report.features[a];
    const fb = report.features[b];
    return Number(fb.driftDetected) - Number(fa.driftDetected) || (fb.tests.psi?.value ?? -1) - (fa.tests.psi?.value ?? -1) || (a < b ? -1 : 1);
  });
}

function summaryRow(name: string, f: FeatureDrift): string {
  const t = f.tests;
  const statistic = t.ks ? `KS D ${num(t.ks.statistic)}` : t.chiSquare ? `χ² ${num(t.chiSquare.statistic)} (dof ${t.chiSquare.dof})` : "–";
  return `<tr class="${f.driftDetected ? "drifted" : ""}"><td><a href="#f-${escapeHtml(name)}">${escapeHtml(name)}</a></td><td>${f.type === "numerical" ? "num" : "cat"}</td><td>${badge(f)}</td>` +
    `<td class="n">${num(t.psi?.value)}</td><td class="n">${num(pValueOf(f))}</td><td class="n">${statistic}</td><td class="n">${num(t.wasserstein?.normalized)}</td>` +
    `<td class="n">${pct(f.baseline.missingShare)} → ${pct(f.current.missingShare)}</td><td class="reason">${escapeHtml(f.reason)}</td></tr>`;
}

/** An SVG of overlaid baseline and current bars (shares), one pair per bin or category. */
export function histogramSvg(h: FeatureHistogram, title: string): string {
  const width = 640;
  const height = 220;
  const left = 44;
  const right = 8;
  const top = 10;
  const bottom = h.type === "categorical" ? 58 : 34;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = h.baseline.length;
  const top1 = Math.max(...h.baseline, ...h.current, 0.01);
  const step = top1 > 0.5 ? 0.2 : top1 > 0.2 ? 0.1 : top1 > 0.1 ? 0.05 : top1 > 0.04 ? 0.02 : 0.01;
  const yMax = Math.ceil(top1 / step) * step;
  const y = (share: number): number => top + plotH - (share / yMax) * plotH;
  const slot = plotW / n;
  const parts: string[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${left - 4}" y="${(y(v) + 3).toFixed(1)}" class="tick" text-anchor="end">${Math.round(v * 100)}%</text>`);
  }
  const labelOf = (i: number): string => {
    if (h.type === "categorical") return h.categories[i];
    const lo = i === 0 ? num(h.min) : num(h.edges[i - 1]);
    const hi = i === n - 1 ? num(h.max) : num(h.edges[i]);
    return `${lo} – ${hi}`;
  };
  for (let i = 0; i < n; i++) {
    const x = left + i * slot + slot * 0.12;
    const w = slot * 0.76;
    const label = escapeHtml(labelOf(i));
    for (const [side, share, colour] of [["baseline", h.baseline[i], baselineColour], ["current", h.current[i], currentColour]] as const) {
      const yy = y(share);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${w.toFixed(1)}" height="${(top + plotH - yy).toFixed(1)}" fill="${colour}" fill-opacity="0.55" stroke="${colour}"><title>${label} — ${side} ${pct(share)}</title></rect>`,
      );
    }
    if (h.type === "categorical") {
      const text = label.length > 14 ? `${label.slice(0, 13)}…` : label;
      const cx = left + (i + 0.5) * slot;
      parts.push(`<text x="${cx.toFixed(1)}" y="${top + plotH + 12}" class="tick" text-anchor="end" transform="rotate(-30 ${cx.toFixed(1)} ${top + plotH + 12})">${text}</text>`);
    }
  }
  if (h.type === "numerical") {
    // Edge values at the bin boundaries, thinned so labels never overlap.
    const every = Math.max(1, Math.ceil(h.edges.length / Math.floor(plotW / 56)));
    h.edges.forEach((e, i) => {
      if (i % every !== 0) return;
      const x = left + (i + 1) * slot;
      parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top + plotH}" y2="${top + plotH + 4}" class="axis"/>`);
      parts.push(`<text x="${x.toFixed(1)}" y="${top + plotH + 16}" class="tick" text-anchor="middle">${escapeHtml(num(e))}</text>`);
    });
    parts.push(`<text x="${left}" y="${top + plotH + 30}" class="tick">min ${escapeHtml(num(h.min))}</text>`);
    parts.push(`<text x="${width - right}" y="${top + plotH + 30}" class="tick" text-anchor="end">max ${escapeHtml(num(h.max))}</text>`);
  }
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" class="axis"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">${parts.join("")}</svg>`;
}

function featureSection(name: string, f: FeatureDrift, h: FeatureHistogram | undefined): string {
  const t = f.tests;
  const facts = [
    `PSI <b>${num(t.psi?.value)}</b>${t.psi?.corrected !== undefined ? ` (noise-corrected ${num(t.psi.corrected)})` : ""}`,
    t.ks ? `KS D ${num(t.ks.statistic)}, p ${num(t.ks.pValue)} (adjusted <b>${num(t.ks.adjustedPValue)}</b>)` : "",
    t.chiSquare ? `χ² ${num(t.chiSquare.statistic)}, p ${num(t.chiSquare.pValue)} (adjusted <b>${num(t.chiSquare.adjustedPValue)}</b>)` : "",
    t.wasserstein ? `Wasserstein ${num(t.wasserstein.distance)} (${num(t.wasserstein.normalized)} × ${t.wasserstein.scaleMethod === "iqr" ? "IQR/1.349" : "σ"})` : "",
    t.ks?.sketch ? `baseline sketch: ${t.ks.baselineSize} values, rank error ε ${num(t.ks.sketch.rankError)}` : "",
    t.outOfRange && t.outOfRange.below + t.outOfRange.above > 0
      ? `outside the baseline range: ${t.outOfRange.below} below, ${t.outOfRange.above} above${t.outOfRange.expected !== undefined ? ` (${num(t.outOfRange.expected)} expected by chance, p ${num(t.outOfRange.pValue)})` : ""}`
      : "",
    t.discrete ? `compared on ${t.discrete.values} value cells${t.discrete.newValues > 0 ? `, ${t.discrete.newValues} current values none of them` : ""}` : "",
    t.shareShift
      ? `largest significant share move: ${escapeHtml(t.shareShift.category)} ${pct(t.shareShift.baseline)} → ${pct(t.shareShift.current)} (adjusted p <b>${num(t.shareShift.adjustedPValue)}</b>)`
      : "",
    t.jensenShannon ? `Jensen–Shannon ${num(t.jensenShannon.distance)}` : "",
    `values ${f.baseline.count} → ${f.current.count}, missing ${pct(f.baseline.missingShare)} → ${pct(f.current.missingShare)}`,
  ].filter((s) => s !== "");
  const changes: string[] = [];
  if (f.newCategories && f.newCategories.length > 0) changes.push(`<p class="cats">New categories: ${f.newCategories.slice(0, 20).map(escapeHtml).join(", ")}${f.newCategories.length > 20 ? ", …" : ""}</p>`);
  if (f.missingCategories && f.missingCategories.length > 0) {
    changes.push(`<p class="cats">Vanished categories: ${f.missingCategories.slice(0, 20).map(escapeHtml).join(", ")}${f.missingCategories.length > 20 ? ", …" : ""}</p>`);
  }
  const s = severityColours[f.comparable ? f.severity : "na"];
  const chart = h
    ? histogramSvg(h, `${name}: baseline and current distributions`) +
      (h.type === "numerical" ? `<p class="note">Bins are the baseline's deciles (the PSI bins): a stable feature puts about ${pct(1 / h.baseline.length)} of the current values in each.</p>` : "")
    : `<p class="note">No histogram: the feature has no values on one side.</p>`;
  return `<section class="feature" id="f-${escapeHtml(name)}" style="border-left-color:${s.fg}"><h3>${escapeHtml(name)} <small>${f.type}</small> ${badge(f)}</h3>` +
    `<p class="facts">${facts.join(" · ")}</p><p class="why">${escapeHtml(f.reason)}</p>${changes.join("")}${chart}</section>`;
}

const css = `
:root{color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1d1f;margin:0;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}h3{font-size:15px;margin:0 0 6px}
h3 small{color:#666;font-weight:normal}
.meta{color:#555;margin:0 0 16px;word-break:break-all}
.verdict{border-radius:8px;padding:14px 18px;border:1px solid;margin-bottom:14px}
.verdict strong{font-size:18px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:0 0 14px}
.card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:20px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e6}
th,td{padding:6px 8px;border-bottom:1px solid #eceff3;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600;white-space:nowrap}
td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.reason{color:#444;font-size:13px}
tr.drifted td:first-child{font-weight:600}
.badge{display:inline-block;border:1px solid;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
.feature{background:#fff;border:1px solid #dde1e6;border-left:5px solid;border-radius:6px;padding:12px 16px;margin:12px 0}
.facts{margin:0 0 4px;color:#333}.why{margin:0 0 8px;color:#555}.cats{margin:0 0 6px;color:#8a5300}
.note{color:#666;font-size:12px;margin:2px 0 0}
.legend span{display:inline-block;width:12px;height:12px;vertical-align:-1px;margin:0 4px 0 12px;opacity:.7}
svg{max-width:100%;height:auto;display:block}
svg .grid{stroke:#e6e9ee}svg .axis{stroke:#888}svg .tick{font-size:11px;fill:#555}
footer{color:#666;font-size:12px;margin-top:24px;word-break:break-all}
`;

/** Renders the report page. */
export function renderDriftReportHtml(input: DriftHtmlReportInput): string {
  const { report } = input;
  const names = order(report);
  const comparable = names.filter((n) => report.features[n].comparable);
  const drifted = names.filter((n) => report.features[n].driftDetected);
  const verdict = severityColours[report.driftDetected ? input.severity : "none"];
  const title = `Drift report: ${input.model}`;
  const thresholds = Object.entries(report.thresholds).map(([k, v]) => `${escapeHtml(k)} ${num(v)}`).join(", ");
  const sections = names.slice(0, maxFeatureSections).map((n) => featureSection(n, report.features[n], input.histograms[n]));
  const omitted = names.length - sections.length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} — ${escapeHtml(input.checkId)}</title><style>${css}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Check ${escapeHtml(input.checkId)} (${escapeHtml(input.source)}) completed ${escapeHtml(input.completedAt)} · baseline ${escapeHtml(input.baselineId)} (${input.baselineRows} rows) · current data ${input.rows} rows${input.dataUri ? ` from ${escapeHtml(input.dataUri)}` : ""}</p>
<section class="verdict" style="color:${verdict.fg};background:${verdict.bg};border-color:${verdict.fg}"><strong>${report.driftDetected ? `Drift detected — severity ${escapeHtml(input.severity.toUpperCase())}` : "No drift detected"}</strong><br>${drifted.length} of ${comparable.length} compared features drifted (drift share ${pct(report.driftShare)}).${drifted.length > 0 ? ` Drifted: ${drifted.slice(0, 10).map(escapeHtml).join(", ")}${drifted.length > 10 ? ", …" : ""}.` : ""}</section>
<div class="cards"><div class="card">Drift share<b>${pct(report.driftShare)}</b></div><div class="card">Drifted features<b>${drifted.length} / ${comparable.length}</b></div><div class="card">Highest PSI<b>${num(Math.max(...names.map((n) => report.features[n].tests.psi?.value ?? 0), 0))}</b></div><div class="card">Rows<b>${input.baselineRows} → ${input.rows}</b></div></div>
<h2>Summary</h2>
<table><thead><tr><th>Feature</th><th>Type</th><th>Severity</th><th>PSI</th><th>p (adjusted)</th><th>Statistic</th><th>W/σ</th><th>Missing</th><th>Why</th></tr></thead>
<tbody>${names.map((n) => summaryRow(n, report.features[n])).join("\n")}</tbody></table>
<h2>Features</h2>
<p class="legend"><span style="background:${baselineColour}"></span>baseline<span style="background:${currentColour}"></span>current (shares of non-missing values, overlaid)</p>
${sections.join("\n")}
${omitted > 0 ? `<p class="note">${omitted} more features are in the summary table and the JSON report.</p>` : ""}
${input.violations ? violationsSection(input.violations) : ""}
${input.cost ? costSection(input.cost) : ""}
<footer>Thresholds: ${thresholds}.${input.reportUri ? ` JSON report: ${escapeHtml(input.reportUri)}.` : ""} Generated by mlwatch.</footer>
</main></body></html>
`;
}
