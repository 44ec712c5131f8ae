/**
 * `/ui/models/{model}/performance` — the primary metric (and the others) day by day as a chart with the
 * baseline, the threshold and degradation marked; the window's summary and trend; per-day and worst-batch
 * tables; fairness and latency; the estimate where labels have not arrived. `…/performance/report` is
 * the same as one self-contained HTML document to keep or send (like the drift report).
 */
import type { AlertView, ConsoleApi, PerformanceView, ThresholdsView } from "../api.js";
import { lineChart, type Series } from "../charts.js";
import { badge, esc, frame, modelHeader, num, pageStyle, query, seg, table, time, type FrameOptions, type Html } from "../html.js";
import { dailySeries } from "./home.js";

/** Window lengths offered, in days. */
export const windows = [7, 30, 90] as const;

/** The metrics worth a line: numbers other than counts. */
function metricNames(perf: PerformanceView): string[] {
  const names = new Set<string>();
  for (const d of perf.daily) for (const [k, v] of Object.entries(d.metrics)) if (typeof v === "number" && k !== "count") names.add(k);
  return [...names].sort((a, b) => (a === perf.primaryMetric ? -1 : b === perf.primaryMetric ? 1 : a.localeCompare(b)));
}

/** The degradation threshold of the primary metric, when the baseline and a threshold give one. */
export function primaryThreshold(perf: PerformanceView, thresholds: ThresholdsView | undefined): { value: number; label: string } | undefined {
  const metric = perf.primaryMetric;
  const base = perf.baseline?.metrics[metric];
  const t = thresholds?.thresholds ?? {};
  if (metric === "r2" && typeof t.r2Min === "number") return { value: t.r2Min, label: `r2 minimum ${num(t.r2Min)}` };
  if (typeof base !== "number") return undefined;
  const drop = t[`${metric}DropPoints`];
  if (typeof drop === "number") return { value: base - drop / 100, label: `threshold: baseline ${num(base)} − ${num(drop)} points` };
  const rise = t[`${metric}IncreasePct`];
  if (typeof rise === "number") return { value: base * (1 + rise / 100), label: `threshold: baseline ${num(base)} + ${num(rise)}%` };
  return undefined;
}

/** Days to mark: the primary metric beyond the threshold, or a performance alert seen that day. */
export function degradationMarks(labels: readonly string[], values: readonly (number | null)[], perf: PerformanceView, threshold: { value: number } | undefined, alerts: readonly AlertView[]): { index: number; text: string }[] {
  const lowerIsBetter = perf.trend?.better === "lower" || ["rmse", "mae", "mape", "logLoss", "mse"].includes(perf.primaryMetric);
  const marks = new Map<number, string>();
  values.forEach((v, i) => {
    if (threshold && v !== null && (lowerIsBetter ? v > threshold.value : v < threshold.value)) marks.set(i, `${labels[i]}: ${perf.primaryMetric} ${num(v)} beyond the threshold ${num(threshold.value)}`);
  });
  const batchDay = new Map(perf.worstBatches.map((b) => [b.batchId, b.timestamp.slice(0, 10)]));
  for (const a of alerts) {
    const days = new Set([a.lastSeen.slice(0, 10)]);
    const batch = typeof a.link?.batchId === "string" ? batchDay.get(a.link.batchId) : undefined;
    if (batch) days.add(batch);
    for (const day of days) {
      const i = labels.indexOf(day);
      if (i >= 0) marks.set(i, `${marks.get(i) ? `${marks.get(i)}; ` : ""}${a.summary}`);
    }
  }
  return [...marks].map(([index, text]) => ({ index, text }));
}

/** The sections both the page and the report show. */
async function sections(api: ConsoleApi, model: string, days: number, version: string | undefined): Promise<{ perf: PerformanceView; html: Html }> {
  const [perf, thresholds, alerts] = await Promise.all([
    api.performance(model, days, version),
    api.thresholds(model).catch(() => undefined),
    api.alerts({ model, limit: 100 }).catch(() => ({ items: [] as AlertView[], nextToken: null })),
  ]);
  const quality = alerts.items.filter((a) => /^performance/.test(a.type));
  const metric = perf.primaryMetric;
  const { labels, values } = dailySeries(perf, metric);
  const threshold = primaryThreshold(perf, thresholds);
  const marks = degradationMarks(labels, values, perf, threshold, quality);
  const others = metricNames(perf).filter((n) => n !== metric);
  const byDate = new Map(perf.daily.map((d) => [d.date, d]));
  const otherSeries: Series[] = others.map((n) => ({ name: n, values: labels.map((l) => { const v = byDate.get(l)?.metrics[n]; return typeof v === "number" ? v : null; }) }));
  const baseValue = perf.baseline?.metrics[metric];
  const trend = perf.trend
    ? badge(perf.trend.direction, perf.trend.direction === "degrading" ? "bad" : perf.trend.direction === "improving" ? "ok" : "muted")
    : `<span class="muted small">${esc(perf.trendReason ?? "no trend yet")}</span>`;
  const stats = `<div class="stat"><div><b>${esc(num(perf.overall?.[metric]))}</b><span>${esc(metric)} over the window</span></div><div><b>${esc(num(baseValue))}</b><span>baseline ${esc(metric)}${perf.baseline ? ` (${esc(perf.baseline.source)})` : ""}</span></div><div><b>${esc(num(perf.batchCount))}</b><span>batches</span></div><div><b>${esc(num(perf.count))}</b><span>rows</span></div><div><b>${esc(perf.task ?? "—")}</b><span>task</span></div><div><b>${trend}</b><span>trend of ${esc(metric)}${perf.trend ? ` · ${esc(num(perf.trend.slopePerDay))} a day, p = ${esc(num(perf.trend.pValue))}, ${esc(perf.trend.n)} days` : ""}</span></div></div>`;
  const primaryChart = lineChart({ labels, series: [{ name: metric, values, primary: true }], marks, threshold, id: "primary-chart" });
  const otherChart = otherSeries.length ? `<h3>Other metrics</h3>${lineChart({ labels, series: otherSeries, height: 220, id: "other-chart" })}` : "";
  const metricCols = metricNames(perf);
  const dailyRows = [...perf.daily].reverse().map((d) => `<tr><td>${esc(d.date)}${marks.some((m) => labels[m.index] === d.date) ? ` ${badge("degraded", "bad")}` : ""}</td><td class="num">${esc(d.batchCount)}</td><td class="num">${esc(num(d.count))}</td>${metricCols.map((n) => `<td class="num">${esc(num(d.metrics[n]))}</td>`).join("")}</tr>`);
  const worstRows = perf.worstBatches.map((b) => `<tr><td class="mono small">${esc(b.batchId)}</td><td>${esc(b.version)}</td><td>${esc(b.source)}</td><td>${time(b.timestamp)}</td><td class="num">${esc(num(b.count))}</td><td class="num"><b>${esc(num(b.value))}</b></td></tr>`);
  const fairness = perf.fairness
    ? `${table(["group", "rows", "selection rate", "true-positive rate"], Object.keys(perf.fairness.counts).map((g) => `<tr><td>${esc(g)}</td><td class="num">${esc(num(perf.fairness!.counts[g]))}</td><td class="num">${esc(num(perf.fairness!.selectionRates[g]))}</td><td class="num">${esc(num(perf.fairness!.truePositiveRates[g]))}</td></tr>`), { numeric: [1, 2, 3] })}<p>disparate impact <b>${esc(num(perf.fairness.disparateImpact))}</b>${typeof perf.fairness.disparateImpact === "number" && perf.fairness.disparateImpact < 0.8 ? ` ${badge("below 0.8", "bad")}` : ""} · true-positive-rate gap <b>${esc(num(perf.fairness.tprGap))}</b></p>`
    : `<p class="muted">No groups recorded: send a <code>groups</code> column with classification batches to see fairness.</p>`;
  const latency = perf.latency
    ? `<div class="stat"><div><b>${esc(num(perf.latency.p50))} ms</b><span>p50</span></div><div><b>${esc(num(perf.latency.p95))} ms</b><span>p95</span></div><div><b>${esc(num(perf.latency.meanMs))} ms</b><span>mean</span></div><div><b>${esc(num(perf.latency.maxMs))} ms</b><span>max</span></div><div><b>${esc(num(perf.latency.count))}</b><span>predictions</span></div></div>`
    : `<p class="muted">No latencies recorded with the predictions.</p>`;
  const est = perf.estimated;
  const estimated = est
    ? est.available
      ? `<p>Estimated from scores (${esc(est.method ?? "?")}) for ${esc(num(est.unlabelledCount))} predictions without labels yet.</p>${table(["date", "rows", ...Object.keys(est.overall?.metrics ?? {})], est.daily.map((d) => `<tr><td>${esc(d.date)}</td><td class="num">${esc(num(d.count))}</td>${Object.keys(est.overall?.metrics ?? {}).map((k) => `<td class="num">${esc(num(d.metrics?.[k]))}</td>`).join("")}</tr>`), { empty: "no unlabelled days" })}`
      : `<p class="muted">No estimate: ${esc(est.reason ?? "not available")}</p>`
    : "";
  const track = est?.trackRecord;
  const trackRecord = track
    ? track.windows > 0
      ? `<h3>Track record</h3><p class="small">${esc(num(track.windows))} windows (${esc(num(track.count))} rows) whose labels arrived, each checked against its estimate when they did.</p>${table(["metric", "mean absolute error", "mean error (bias)", "interval coverage"], Object.keys(track.meanAbsoluteError).map((m) => `<tr><td>${esc(m)}</td><td class="num">${esc(num(track.meanAbsoluteError[m]))}</td><td class="num">${esc(num(track.meanError[m]))}</td><td class="num">${esc(num(track.coverage[m]))}</td></tr>`), { numeric: [1, 2, 3] })}`
      : `<h3>Track record</h3><p class="muted">No labels have arrived yet for estimated predictions.</p>`
    : "";
  const html = `<section class="card" id="summary">${stats}${perf.truncated ? `<p class="small">${badge("truncated", "warn")} the window holds more batches than one report reads; shorten it for exact figures.</p>` : ""}</section>
<section class="card" id="chart"><h2>${esc(metric)} day by day</h2>${primaryChart}${otherChart}</section>
<section class="card" id="daily"><h2>Per day</h2>${table(["date", "batches", "rows", ...metricCols], dailyRows, { numeric: metricCols.map((_, i) => i + 3).concat([1, 2]), empty: "no batches in this window" })}</section>
<section class="card" id="batches"><h2>Worst batches on ${esc(metric)}</h2>${table(["batch", "version", "source", "time (UTC)", "rows", metric], worstRows, { numeric: [4, 5], empty: "no batches" })}</section>
<div class="grid"><section class="card" id="fairness"><h2>Fairness</h2>${fairness}</section><section class="card" id="latency"><h2>Latency</h2>${latency}</section></div>
${estimated ? `<section class="card" id="estimated"><h2>Estimated performance (no labels yet)</h2>${estimated}${trackRecord}</section>` : ""}`;
  return { perf, html };
}

/** The window in days asked for (default 30, 1-365). */
export function daysOf(raw: string | undefined): number {
  const n = Number(raw ?? "30");
  return Number.isInteger(n) && n >= 1 && n <= 365 ? n : 30;
}

/** Renders the performance page. */
export async function renderPerformance(api: ConsoleApi, f: Omit<FrameOptions, "title" | "section">, model: string, rawDays: string | undefined, version: string | undefined): Promise<Html> {
  const days = daysOf(rawDays);
  const [{ perf, html }, versions] = await Promise.all([sections(api, model, days, version || undefined), api.versions(model)]);
  const base = `/ui/models/${seg(model)}/performance`;
  const windowLinks = windows.map((d) => (d === days ? `<b>${d} days</b>` : `<a href="${base}${query({ days: d, version })}">${d} days</a>`)).join(" · ");
  const versionForm = `<form class="inline" method="get" action="${base}"><input type="hidden" name="days" value="${days}"><select name="version" aria-label="version"><option value="">all versions</option>${versions.map((v) => `<option value="${esc(v.version)}"${v.version === version ? " selected" : ""}>${esc(v.version)} (${esc(v.stage)})</option>`).join("")}</select><button type="submit">Show</button></form>`;
  const body = `${modelHeader(model, "performance", `${esc(perf.from.slice(0, 10))} – ${esc(perf.to.slice(0, 10))}${version ? ` · version ${esc(version)}` : ""}`)}
<div class="toolbar"><span>${windowLinks}</span>${versionForm}<a href="${base}/report${query({ days, version })}">HTML performance report</a></div>
${html}`;
  return frame({ ...f, title: `${model} performance`, section: "models" }, body);
}

/** Renders the self-contained HTML performance report. */
export async function renderPerformanceReport(api: ConsoleApi, model: string, rawDays: string | undefined, version: string | undefined): Promise<Html> {
  const days = daysOf(rawDays);
  const { perf, html } = await sections(api, model, days, version || undefined);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Performance report — ${esc(model)} — ${esc(perf.to.slice(0, 10))}</title><style>${pageStyle}</style></head>
<body><main><p class="crumbs"><a href="/ui/models/${seg(model)}/performance${query({ days, version })}">← ${esc(model)}: performance</a></p>
<h1>Performance report: ${esc(model)}<small>${version ? `version ${esc(version)} · ` : ""}${esc(perf.from.slice(0, 16).replace("T", " "))} – ${esc(perf.to.slice(0, 16).replace("T", " "))} UTC · ${days} days · primary metric ${esc(perf.primaryMetric)}</small></h1>
${html}
<footer>generated ${esc(new Date().toISOString().slice(0, 19).replace("T", " "))} UTC from GET /models/${esc(model)}/performance?days=${days}${version ? `&amp;version=${esc(version)}` : ""}</footer></main></body></html>
`;
}
