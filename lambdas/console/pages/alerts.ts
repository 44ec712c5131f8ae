/**
 * `/ui/alerts` — the inbox, filtered by state, model and type, with acknowledge and resolve (a reason
 * asked) on each alert; `/ui/alerts/{id}` — one alert, what it links to, who handled it.
 */
// the plain constants (no zod): the console also runs in the packaged CLI
import { AlertState, AlertType } from "../../alerts/contract/alert-types.js";
import type { AlertView, ConsoleApi } from "../api.js";
import { backField, badge, csrfField, esc, frame, query, seg, severityBadge, table, time, type FrameOptions, type Html, type Tone } from "../html.js";

const stateTone: Record<string, Tone> = { open: "bad", acknowledged: "warn", resolved: "ok" };

/** An alert's state as a badge. */
export const stateBadge = (state: string): Html => badge(state, stateTone[state] ?? "muted");

/** The acknowledge and resolve forms an alert in this state offers. */
function actions(a: AlertView, csrf: string, back: string | undefined): Html {
  const form = (verb: "acknowledge" | "resolve", label: string, cls: string): Html =>
    `<form class="inline" method="post" action="/ui/alerts/${seg(a.alertId)}/${verb}">${csrfField(csrf)}${backField(back)}<input class="reason" type="text" name="reason" required maxlength="1000" placeholder="reason" aria-label="reason to ${verb} ${esc(a.alertId)}"><button class="${cls}" type="submit">${label}</button></form>`;
  if (a.state === AlertState.open) return form("acknowledge", "Acknowledge", "primary") + form("resolve", "Resolve", "");
  if (a.state === AlertState.acknowledged) return form("resolve", "Resolve", "primary");
  return `<span class="muted small">resolved</span>`;
}

/** Where an alert leads in the console. */
function linkOf(a: AlertView): Html {
  if (!a.model) return "";
  const m = seg(a.model);
  const checkId = typeof a.link?.checkId === "string" ? a.link.checkId : undefined;
  if (checkId) return `<a href="/ui/models/${m}/drift/${seg(checkId)}/report">drift report</a>`;
  if (/^performance/.test(a.type)) return `<a href="/ui/models/${m}/performance">performance</a>`;
  return `<a href="/ui/models/${m}">model</a>`;
}

/** The filter asked for. */
export interface AlertFilter {
  readonly state?: string | undefined;
  readonly model?: string | undefined;
  readonly type?: string | undefined;
  readonly nextToken?: string | undefined;
}

/** Renders the inbox. */
export async function renderAlerts(api: ConsoleApi, f: Omit<FrameOptions, "title" | "section">, filter: AlertFilter): Promise<Html> {
  const clean = (v: string | undefined): string | undefined => (v ? v : undefined);
  const asked = { state: clean(filter.state), model: clean(filter.model), type: clean(filter.type), nextToken: clean(filter.nextToken) };
  const [page, models] = await Promise.all([api.alerts({ ...asked, limit: 50 }), api.models().catch(() => [])]);
  const select = (name: string, values: readonly string[], current: string | undefined, all: string): Html =>
    `<select name="${name}" aria-label="${name}"><option value="">${all}</option>${values.map((v) => `<option value="${esc(v)}"${v === current ? " selected" : ""}>${esc(v)}</option>`).join("")}</select>`;
  const filterForm = `<form class="inline" method="get" action="/ui/alerts" id="filter">${select("state", Object.values(AlertState), asked.state, "any state")}${select("model", models.map((m) => m.model), asked.model, "any model")}${select("type", Object.values(AlertType), asked.type, "any type")}<button type="submit">Filter</button>${asked.state || asked.model || asked.type ? ` <a href="/ui/alerts">clear</a>` : ""}</form>`;
  const rows = page.items.map(
    (a) => `<tr data-alert="${esc(a.alertId)}"><td>${time(a.lastSeen)}<div class="small muted">${a.occurrences > 1 ? `${esc(a.occurrences)}× since ${time(a.firstSeen)}` : ""}</div></td><td>${severityBadge(a.severity)}</td><td><code>${esc(a.type)}</code></td>
<td>${a.model ? `<a href="/ui/models/${seg(a.model)}">${esc(a.model)}</a>${a.version ? ` <span class="muted">${esc(a.version)}</span>` : ""}` : "—"}</td><td><a href="/ui/alerts/${seg(a.alertId)}">${esc(a.summary)}</a><div class="small">${linkOf(a)}</div></td><td>${stateBadge(a.state)}${handled(a)}</td><td>${actions(a, f.csrf, f.back)}</td></tr>`,
  );
  const next = page.nextToken ? `<p><a href="/ui/alerts${query({ ...asked, nextToken: page.nextToken })}">next page →</a></p>` : "";
  const body = `<h1>Alerts <small>${page.items.length}${page.nextToken ? "+" : ""} shown</small></h1>
<section class="card">${filterForm}</section>
<section class="card" id="alerts">${table(["last seen (UTC)", "severity", "type", "model", "summary", "state", "act"], rows, { empty: "no alert matches" })}${next}</section>`;
  return frame({ ...f, title: "Alerts", section: "alerts" }, body);
}

/** Who acknowledged or resolved an alert, and why. */
function handled(a: AlertView): Html {
  const parts = [a.acknowledged ? ["acknowledged", a.acknowledged] : undefined, a.resolved ? ["resolved", a.resolved] : undefined].filter((p): p is [string, { by: string; at: string; reason: string }] => p !== undefined);
  return parts.map(([what, x]) => `<div class="small muted">${what} by ${esc(x.by)}: “${esc(x.reason)}”</div>`).join("");
}

/** Renders one alert. */
export async function renderAlert(api: ConsoleApi, f: Omit<FrameOptions, "title" | "section">, alertId: string): Promise<Html> {
  const a = await api.alert(alertId);
  const rows: [string, Html][] = [
    ["state", `${stateBadge(a.state)}${handled(a)}`],
    ["severity", severityBadge(a.severity)],
    ["type", `<code>${esc(a.type)}</code>`],
    ["model", a.model ? `<a href="/ui/models/${seg(a.model)}">${esc(a.model)}</a>${a.version ? ` ${esc(a.version)}` : ""}` : "—"],
    ["subject", esc(a.subject ?? "")],
    ["summary", esc(a.summary)],
    ["seen", `${esc(a.occurrences)}× · first ${time(a.firstSeen)} · last ${time(a.lastSeen)}`],
    ["delivery", esc(a.delivery?.status ?? "—")],
    ["leads to", linkOf(a) || "—"],
  ];
  const body = `<div class="crumbs"><a href="/ui/alerts">Alerts</a> / ${esc(a.alertId)}</div><h1>${esc(a.subject ?? a.summary)}</h1>
<section class="card" id="alert"><table><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join("")}</tbody></table></section>
<section class="card" id="act"><h2>Act</h2>${actions(a, f.csrf, f.back)}</section>`;
  return frame({ ...f, title: `Alert ${a.alertId}`, section: "alerts" }, body);
}
