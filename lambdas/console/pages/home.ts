/**
 * `/ui/` — every model at a glance: production version, aliases, the latest drift verdict, a quality
 * sparkline (the primary metric day by day over two weeks) and open alerts; then the open alerts.
 */
import type { AlertView, ConsoleApi, DriftCheckView, ModelSummary, PerformanceView, VersionView } from "../api.js";
import { sparkline } from "../charts.js";
import { badge, esc, frame, num, seg, severityBadge, stageBadge, table, time, type FrameOptions, type Html } from "../html.js";

/** How many models the home page summarises (each costs three reads). */
export const homeModelLimit = 60;
/** The sparkline's window in days. */
export const trendDays = 14;

/** A drift check's verdict as a badge. */
export function verdictBadge(check: DriftCheckView | undefined): Html {
  if (!check) return badge("no checks", "muted");
  if (check.status !== "completed") return badge(check.status, check.status === "failed" ? "bad" : "info");
  if (!check.driftDetected) return badge("no drift", "ok");
  return badge(`drift · ${check.severity ?? "?"}`, check.severity === "high" ? "bad" : "warn");
}

/** One row of the models table. */
interface ModelRow {
  readonly m: ModelSummary;
  readonly versions: VersionView[] | undefined;
  readonly check: DriftCheckView | undefined;
  readonly perf: PerformanceView | undefined;
  readonly alerts: AlertView[];
}

/** Primary-metric values of the report's days, one per day of the window (null: no batch that day). */
export function dailySeries(perf: PerformanceView, metric: string): { labels: string[]; values: (number | null)[] } {
  const byDate = new Map(perf.daily.map((d) => [d.date, d.metrics[metric]]));
  const labels: string[] = [];
  const end = Date.parse(perf.to);
  for (let t = Date.parse(perf.from) + 86_400_000; t <= end + 1; t += 86_400_000) labels.push(new Date(t).toISOString().slice(0, 10));
  if (labels.length === 0 || labels[labels.length - 1] !== new Date(end).toISOString().slice(0, 10)) labels.push(new Date(end).toISOString().slice(0, 10));
  const first = perf.daily[0]?.date;
  // start at the first day with data, so a short history is not drawn as a long empty line
  const from = first ? Math.max(0, labels.indexOf(first)) : labels.length;
  const used = labels.slice(from);
  return { labels: used, values: used.map((d) => (typeof byDate.get(d) === "number" ? (byDate.get(d) as number) : null)) };
}

/** Renders `/ui/`. */
export async function renderHome(api: ConsoleApi, f: Omit<FrameOptions, "title" | "section">): Promise<Html> {
  const [models, open] = await Promise.all([api.models(), api.alerts({ state: "open", limit: 100 })]);
  const shown = models.slice(0, homeModelLimit);
  const quiet = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);
  const rows: ModelRow[] = await Promise.all(
    shown.map(async (m) => {
      const [versions, checks, perf] = await Promise.all([quiet(api.versions(m.model)), quiet(api.driftChecks(m.model, 1)), quiet(api.performance(m.model, trendDays))]);
      return { m, versions, check: checks?.[0], perf, alerts: open.items.filter((a) => a.model === m.model) };
    }),
  );
  const modelRows = rows.map(({ m, versions, check, perf, alerts }) => {
    const link = `/ui/models/${seg(m.model)}`;
    const aliases = (versions ?? []).flatMap((v) => (v.aliases ?? []).map((a) => `<span class="tag">${esc(a)} → ${esc(v.version)}</span>`)).join("");
    const metric = perf?.primaryMetric ?? m.primaryMetric ?? undefined;
    const series = perf && metric ? dailySeries(perf, metric).values : [];
    const degrading = perf?.trend?.direction === "degrading";
    // A single day is no line (sparkline would draw its value): it stands once, as the window's value beside the metric.
    const line = metric && series.filter((v) => v !== null).length !== 1 ? sparkline(series, { label: `${metric} over ${trendDays} days`, bad: degrading }) : "";
    const trend = perf && metric ? `${line}<span class="small muted">${esc(metric)} ${esc(num(perf.overall?.[metric]))}${degrading ? ` <span class="b b-bad">degrading</span>` : ""}</span>` : `<span class="muted small">no batches</span>`;
    const staging = (m.stagingVersions ?? []).map((v) => `<span class="tag">${esc(v)}</span>`).join("");
    const worst = alerts.reduce<string | undefined>((w, a) => (a.severity === "high" ? "high" : w ?? a.severity), undefined);
    return `<tr data-model="${esc(m.model)}"><td><a href="${link}"><b>${esc(m.model)}</b></a><div class="small muted">${esc(m.versionCount ?? "?")} versions</div></td>
<td>${m.productionVersion ? `${stageBadge("production")} <b>${esc(m.productionVersion)}</b>` : `<span class="muted">none</span>`}${staging ? `<div class="small">staging ${staging}</div>` : ""}</td>
<td>${aliases || `<span class="muted">—</span>`}</td>
<td><a href="${link}/drift">${verdictBadge(check)}</a><div class="small muted">${check ? time(check.createdAt) : ""}</div></td>
<td><a href="${link}/performance" class="nowrap" style="display:flex;gap:8px;align-items:center">${trend}</a></td>
<td>${alerts.length ? `<a href="/ui/alerts?state=open&amp;model=${seg(m.model)}">${severityBadge(worst)} ${alerts.length} open</a>` : `<span class="muted">none</span>`}</td></tr>`;
  });
  const alertRows = open.items.slice(0, 15).map((a) => `<tr><td>${time(a.lastSeen)}</td><td>${severityBadge(a.severity)}</td><td><code>${esc(a.type)}</code></td><td>${a.model ? `<a href="/ui/models/${seg(a.model)}">${esc(a.model)}</a>` : "—"}</td><td><a href="/ui/alerts/${seg(a.alertId)}">${esc(a.summary)}</a></td></tr>`);
  const more = models.length > shown.length ? `<p class="muted small">showing the first ${shown.length} of ${models.length} models</p>` : "";
  const body = `<h1>Models <small>${models.length} registered · ${open.items.length}${open.nextToken ? "+" : ""} open alerts</small></h1>
<section class="card" id="models">${table(["model", "production", "aliases", "latest drift check", `quality (${trendDays} days)`, "open alerts"], modelRows, { empty: "No model registered yet. Register one with the client or the CLI (npx mlwatch models register), or fill this with npx mlwatch demo." })}${more}</section>
<section class="card" id="open-alerts"><h2>Open alerts</h2>${table(["last seen (UTC)", "severity", "type", "model", "summary"], alertRows, { empty: "no open alerts" })}${open.items.length > 15 ? `<p><a href="/ui/alerts?state=open">all ${open.items.length} open alerts</a></p>` : ""}</section>`;
  return frame({ ...f, title: "Models", section: "models" }, body);
}
