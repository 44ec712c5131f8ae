/**
 * Local mode's front door: `GET /` (what is running, health, recent drift checks, open alerts, where to go
 * next) and `GET /api` (an API reference rendered from the OpenAPI document). Both pages are
 * self-contained: inline styles only, no script, no external resource — served under the same content
 * security policy as the HTML drift report. The landing page reads the product through the same routes a
 * client calls (in-process `app.request`), so it shows exactly what the API answers.
 */
import { escapeHtmlVisible } from "../core/alerts/safe-text.js";
import { renderRequestBody, type JsonSchema, type RequestBodyLike } from "./api-schema.js";

/** The policy both pages are served with: nothing external, no script. */
export const pageSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Escapes text for HTML element content and attribute values; control and bidi characters made visible. */
export function escapeHtml(value: unknown): string {
  return escapeHtmlVisible(value);
}

const style = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c9d1dc}
main{padding:16px 32px;max-width:1100px}section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px 18px;margin:14px 0}
h2{font-size:17px;margin:4px 0 10px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff3;vertical-align:top}
th{font-weight:600;color:#4a5566}code{font:13px ui-monospace,Menlo,monospace;background:#eef1f5;padding:1px 4px;border-radius:3px}
.ok{color:#17803d}.bad{color:#b42318}.muted{color:#6b7585}a{color:#1f5fbf}.method{font:600 12px ui-monospace,monospace;padding:2px 6px;border-radius:3px;background:#e6eefc}
table.fields{margin:4px 0 6px;font-size:13px}table.fields th,table.fields td{padding:2px 6px}.req{font-size:11px;color:#b42318}
`;

function page(title: string, heading: string, sub: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><header><h1>${escapeHtml(heading)}</h1><p>${sub}</p></header><main>
${body}
</main></body></html>
`;
}

/** What the landing page shows; every field as the API answered it. */
export interface LandingData {
  readonly url: string;
  readonly awsEndpoint: string;
  readonly startedEmulator: boolean;
  readonly resources: Readonly<Record<string, string>>;
  readonly health: { status?: string; dependencies?: Record<string, { ok: boolean; latencyMs?: number; error?: string }> } | undefined;
  readonly models: { model: string; productionVersion?: string | null; versionCount?: number }[];
  readonly checks: { model: string; checkId: string; status: string; createdAt: string; driftDetected?: boolean; severity?: string; rows?: number; error?: string }[];
  readonly alerts: { alertId: string; type: string; model?: string; severity: string; summary: string; lastSeen: string; occurrences: number }[];
}

/** Renders `GET /`. */
export function renderLandingPage(d: LandingData): string {
  const deps = Object.entries(d.health?.dependencies ?? {});
  const healthRows = deps
    .map(([name, dep]) => `<tr><td>${escapeHtml(name)}</td><td class="${dep.ok ? "ok" : "bad"}">${dep.ok ? "ok" : "failing"}</td><td>${dep.latencyMs ?? "-"} ms</td><td class="muted">${escapeHtml(dep.error ?? "")}</td></tr>`)
    .join("");
  const checkRows = d.checks
    .map((c) => {
      const verdict = c.status !== "completed" ? `${escapeHtml(c.status)}${c.error ? `: ${escapeHtml(c.error)}` : ""}` : c.driftDetected ? `<span class="bad">drift (${escapeHtml(c.severity ?? "")})</span>` : `<span class="ok">no drift</span>`;
      const report = c.status === "completed" ? `<a href="/models/${encodeURIComponent(c.model)}/drift-checks/${encodeURIComponent(c.checkId)}/report.html">report</a>` : "";
      return `<tr><td>${escapeHtml(c.createdAt.slice(0, 19).replace("T", " "))}</td><td>${escapeHtml(c.model)}</td><td>${verdict}</td><td>${c.rows ?? "-"}</td><td>${report}</td></tr>`;
    })
    .join("");
  const alertRows = d.alerts
    .map((a) => `<tr><td>${escapeHtml(a.lastSeen.slice(0, 19).replace("T", " "))}</td><td>${escapeHtml(a.type)}</td><td>${escapeHtml(a.severity)}</td><td>${escapeHtml(a.summary)}</td><td>${a.occurrences}</td><td><a href="/alerts/${encodeURIComponent(a.alertId)}">json</a></td></tr>`)
    .join("");
  const modelRows = d.models
    .map((m) => `<tr><td><a href="/models/${encodeURIComponent(m.model)}">${escapeHtml(m.model)}</a></td><td>${escapeHtml(m.productionVersion ?? "-")}</td><td>${m.versionCount ?? "-"}</td><td><a href="/models/${encodeURIComponent(m.model)}/history">history</a> · <a href="/models/${encodeURIComponent(m.model)}/performance?days=30">performance</a></td></tr>`)
    .join("");
  const status = d.health?.status ?? "unknown";
  const body = `
<section id="running"><h2>What is running</h2><table>
<tr><th>API</th><td><code>${escapeHtml(d.url)}</code> — every route of the deployed API, no authentication (actor <code>local</code>)</td></tr>
<tr><th>AWS</th><td><code>${escapeHtml(d.awsEndpoint)}</code> — ${d.startedEmulator ? "embedded emulator (moto_server), data kept in memory until it stops" : "an existing endpoint (AWS_ENDPOINT_URL)"}</td></tr>
${Object.entries(d.resources).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(v)}</code></td></tr>`).join("")}
</table></section>
<section id="next"><h2>Where to go</h2><ul>
<li><a href="/api">API reference</a> (rendered from <a href="/openapi.json">/openapi.json</a>, the OpenAPI document)</li>
<li><a href="/health">/health</a> · <a href="/models">/models</a> · <a href="/alerts?state=open">/alerts?state=open</a> · <a href="/audit?limit=20">/audit</a></li>
<li>Empty? <code>npx mlwatch demo</code> fills it with a seeded history; <code>npx mlwatch help</code> lists the commands.</li>
</ul></section>
<section id="health"><h2>Health: <span class="${status === "ok" ? "ok" : "bad"}">${escapeHtml(status)}</span></h2>
<table><thead><tr><th>dependency</th><th>state</th><th>latency</th><th></th></tr></thead><tbody>${healthRows}</tbody></table></section>
<section id="models"><h2>Models (${d.models.length})</h2>${d.models.length ? `<table><thead><tr><th>model</th><th>production</th><th>versions</th><th></th></tr></thead><tbody>${modelRows}</tbody></table>` : `<p class="muted">none registered yet</p>`}</section>
<section id="checks"><h2>Recent drift checks</h2>${d.checks.length ? `<table><thead><tr><th>time (UTC)</th><th>model</th><th>verdict</th><th>rows</th><th></th></tr></thead><tbody>${checkRows}</tbody></table>` : `<p class="muted">no drift checks yet</p>`}</section>
<section id="alerts"><h2>Open alerts (${d.alerts.length})</h2>${d.alerts.length ? `<table><thead><tr><th>last seen (UTC)</th><th>type</th><th>severity</th><th>summary</th><th>seen</th><th></th></tr></thead><tbody>${alertRows}</tbody></table>` : `<p class="muted">no open alerts</p>`}</section>`;
  return page("mlwatch (local)", "mlwatch — local mode", `model monitoring and versioning, running on this machine at ${escapeHtml(d.url)}`, body);
}

type OpenApiLike = {
  info?: { title?: string; version?: string; description?: string };
  servers?: { url: string; description?: string }[];
  paths?: Record<string, Record<string, { summary?: string; parameters?: { name: string; in: string; required?: boolean; description?: string }[]; requestBody?: RequestBodyLike; responses?: Record<string, { description?: string }> }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/**
 * Renders `GET /api`: every operation of the OpenAPI document, grouped by its first path segment.
 * @param clientMethods `METHOD /path` → the TypeScript client's method (client/operations.json)
 */
export function renderApiReference(doc: OpenApiLike, clientMethods: ReadonlyMap<string, string> = new Map()): string {
  const methods = ["get", "post", "put", "patch", "delete"];
  const groups = new Map<string, string[]>();
  let count = 0;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of methods) {
      const op = item[method];
      if (!op) continue;
      count++;
      const group = path.split("/")[1] || "/";
      const params = (op.parameters ?? []).map((p) => `<code>${escapeHtml(p.name)}</code> <span class="muted">(${escapeHtml(p.in)}${p.required ? ", required" : ""})</span>`).join(", ");
      const responses = Object.entries(op.responses ?? {}).map(([code, r]) => `<code>${escapeHtml(code)}</code> ${escapeHtml(r.description ?? "")}`).join("; ");
      const clientMethod = clientMethods.get(`${method.toUpperCase()} ${path}`);
      const row = `<tr><td><span class="method">${method.toUpperCase()}</span></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? "")}${clientMethod ? ` <span class="muted">· client: <code>${escapeHtml(clientMethod)}</code></span>` : ""}${params ? `<br>parameters: ${params}` : ""}${op.requestBody ? `<br>${renderRequestBody(op.requestBody, doc.components?.schemas ?? {})}` : ""}<br><span class="muted">${responses}</span></td></tr>`;
      groups.set(group, [...(groups.get(group) ?? []), row]);
    }
  }
  const servers = (doc.servers ?? []).map((s) => `<li><code>${escapeHtml(s.url)}</code> ${escapeHtml(s.description ?? "")}</li>`).join("");
  const sections = [...groups].map(([g, rows]) => `<section><h2>/${escapeHtml(g)}</h2><table><tbody>${rows.join("")}</tbody></table></section>`).join("\n");
  const body = `<section><h2>Servers</h2><ul>${servers}</ul><p>${escapeHtml(doc.info?.description ?? "")}</p><p><a href="/">← back</a> · <a href="/openapi.json">the OpenAPI document</a> (${count} operations)</p></section>\n${sections}`;
  // The document's title is "mlwatch API": the page is "mlwatch API reference", not "… API API reference".
  const title = `${(doc.info?.title ?? "mlwatch").replace(/\s+API$/i, "")} API reference`;
  return page(title, title, `version ${escapeHtml(doc.info?.version ?? "")} · ${count} operations`, body);
}
