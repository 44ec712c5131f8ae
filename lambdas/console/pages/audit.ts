/**
 * `/ui/audit` — who changed what: the audit log, newest first, filtered by model and entry type.
 */
import type { ConsoleApi } from "../api.js";
import { esc, frame, query, seg, table, time, type FrameOptions, type Html } from "../html.js";

/** A compact view of an entry's details (escaped JSON, cut). */
function detailsOf(details: unknown): Html {
  if (details === undefined || details === null) return "";
  const text = JSON.stringify(details);
  return `<span class="mono small" title="${esc(text.slice(0, 2000))}">${esc(text.length > 160 ? `${text.slice(0, 157)}…` : text)}</span>`;
}

/** Renders the audit page. */
export async function renderAudit(api: ConsoleApi, f: Omit<FrameOptions, "title" | "section">, filter: { model?: string | undefined; type?: string | undefined; nextToken?: string | undefined }): Promise<Html> {
  const asked = { model: filter.model || undefined, type: filter.type || undefined, nextToken: filter.nextToken || undefined };
  const [page, models] = await Promise.all([api.audit({ ...asked, limit: 50 }), api.models().catch(() => [])]);
  const rows = page.items.map(
    (e) => `<tr><td>${time(e.time)}</td><td><code>${esc(e.type)}</code></td><td>${esc(e.actor ?? "—")}</td><td>${e.model ? `<a href="/ui/models/${seg(e.model)}">${esc(e.model)}</a>` : "—"}</td><td class="mono small wrap">${esc(e.target ?? "")}</td><td class="wrap">${detailsOf(e.details)}</td></tr>`,
  );
  const form = `<form class="inline" method="get" action="/ui/audit" id="filter"><select name="model" aria-label="model"><option value="">any model</option>${models.map((m) => `<option value="${esc(m.model)}"${m.model === asked.model ? " selected" : ""}>${esc(m.model)}</option>`).join("")}</select><input type="text" name="type" value="${esc(asked.type ?? "")}" style="width:260px" placeholder="type, e.g. model.* or api.request" aria-label="entry type" pattern="[a-z_]+(\\.[a-z_]+)*(\\.\\*)?"><button type="submit">Filter</button>${asked.model || asked.type ? ` <a href="/ui/audit">clear</a>` : ""}</form>`;
  const next = page.nextToken ? `<p><a href="/ui/audit${query({ ...asked, nextToken: page.nextToken })}">older →</a></p>` : "";
  const body = `<h1>Audit <small>who changed what, newest first</small></h1><section class="card">${form}</section>
<section class="card" id="audit">${table(["time (UTC)", "type", "actor", "model", "target", "details"], rows, { empty: "no entries" })}${next}</section>`;
  return frame({ ...f, title: "Audit", section: "audit" }, body);
}
