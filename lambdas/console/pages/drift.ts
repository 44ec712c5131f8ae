/**
 * `/ui/models/{model}/drift` — the model's drift checks, newest first: verdict, drifted features, rows,
 * and a link to each check's HTML report, which the console serves with a bar leading back here.
 */
import type { ConsoleApi, DriftCheckView } from "../api.js";
import { lineChart } from "../charts.js";
import { badge, esc, frame, modelHeader, num, seg, severityBadge, table, time, type FrameOptions, type Html } from "../html.js";
import { verdictBadge } from "./home.js";

/** How many checks the page lists. */
export const driftCheckLimit = 50;

function featuresCell(c: DriftCheckView): Html {
  const drifted = c.driftedFeatures ?? [];
  if (c.status !== "completed") return c.error ? `<span class="small">${esc(c.error)}</span>` : `<span class="muted">—</span>`;
  if (!drifted.length) return `<span class="muted">none of ${esc(c.featureCount ?? "?")}</span>`;
  return `${drifted.map((f) => `<span class="tag" title="${esc(`PSI ${num(f.psi)} · p ${num(f.pValue)}`)}">${esc(f.name)} ${f.severity ? severityBadge(f.severity) : ""}</span>`).join("")}<div class="small muted">${drifted.length} of ${esc(c.featureCount ?? "?")} features</div>`;
}

/** Renders the drift page. */
export async function renderDrift(api: ConsoleApi, f: Omit<FrameOptions, "title" | "section">, model: string): Promise<Html> {
  const [m, checks] = await Promise.all([api.model(model), api.driftChecks(model, driftCheckLimit)]);
  const rows = checks.map((c) => {
    const report = c.status === "completed" ? `<a href="/ui/models/${seg(model)}/drift/${seg(c.checkId)}/report">report</a>` : `<span class="muted">—</span>`;
    return `<tr data-check="${esc(c.checkId)}"><td>${time(c.createdAt)}<div class="small muted mono">${esc(c.checkId)}</div></td><td>${verdictBadge(c)}</td><td class="num">${c.driftShare !== undefined ? `${esc(num(c.driftShare * 100, 3))}%` : "—"}</td><td>${featuresCell(c)}</td><td class="num">${esc(num(c.rows))}</td><td>${esc(c.source ?? "")}<div class="small muted">${esc(c.createdBy ?? "")}</div></td><td>${report}</td></tr>`;
  });
  const chronological = [...checks].filter((c) => c.status === "completed").reverse();
  const chart =
    chronological.length >= 2
      ? `<section class="card"><h2>Share of drifted features, check by check</h2>${lineChart({
          labels: chronological.map((c) => c.createdAt.slice(0, 16).replace("T", " ")),
          series: [{ name: "drifted share", values: chronological.map((c) => c.driftShare ?? null), primary: true }],
          marks: chronological.flatMap((c, index) => (c.driftDetected ? [{ index, text: `${c.createdAt}: drift (${c.severity ?? "?"})` }] : [])),
          height: 200,
          markLabel: "drift detected",
          id: "drift-chart",
        })}</section>`
      : "";
  const drifted = checks.filter((c) => c.driftDetected).length;
  const body = `${modelHeader(model, "drift", `${checks.length} recent checks · ${drifted} with drift`)}
${chart}
<section class="card" id="checks"><h2>Checks</h2>${table(["time (UTC)", "verdict", "drifted share", "drifted features", "rows", "source", "report"], rows, { numeric: [2, 4], empty: "No drift check yet: create a baseline, then check data (npx mlwatch drift check MODEL --data FILE)." })}</section>
<p class="small muted">${badge("drift · high", "bad")} ${badge("drift · moderate", "warn")} ${badge("no drift", "ok")} · the production version is ${esc(m.productionVersion ?? "none")}</p>`;
  return frame({ ...f, title: `${model} drift`, section: "models" }, body);
}

/** The stored HTML report of a check, with a bar leading back to the model's drift page. */
export async function renderDriftReport(api: ConsoleApi, model: string, checkId: string): Promise<{ status: number; html: Html }> {
  const { status, html } = await api.driftReportHtml(model, checkId);
  const bar = `<nav style="font:14px system-ui,sans-serif;background:#16202e;color:#c5d0de;padding:10px 24px;margin:0 0 8px"><a href="/ui/models/${seg(model)}/drift" style="color:#fff;text-decoration:none">← ${esc(model)}: drift checks</a> <span style="margin:0 8px">·</span> <a href="/ui/" style="color:#c5d0de;text-decoration:none">all models</a></nav>`;
  if (status !== 200) {
    let message = html.slice(0, 300);
    try {
      message = (JSON.parse(html) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON: shown as text
    }
    return { status: status >= 500 ? 502 : status, html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No report</title></head><body style="margin:0">${bar}<p style="font:15px system-ui,sans-serif;padding:0 24px">No report for this check: ${esc(message)}</p></body></html>` };
  }
  const at = html.search(/<body[^>]*>/i);
  if (at < 0) return { status, html: bar + html };
  const end = html.indexOf(">", at) + 1;
  return { status, html: html.slice(0, end) + bar + html.slice(end) };
}
