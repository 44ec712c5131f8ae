/**
 * Local mode's API reference: `GET /api`, rendered from the OpenAPI document. Self-contained: inline styles
 * only, no script, no external resource — served under the same content security policy as the HTML drift
 * report. (`GET /` is the console's home page: lambdas/console.)
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
main{padding:16px 32px;max-width:1300px}section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px 18px;margin:14px 0}
h2{font-size:17px;margin:4px 0 10px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff3;vertical-align:top}
th{font-weight:600;color:#4a5566}code{font:13px ui-monospace,Menlo,monospace;background:#eef1f5;padding:1px 4px;border-radius:3px}
.ok{color:#17803d}.bad{color:#b42318}.muted{color:#6b7585}a{color:#1f5fbf}.method{font:600 12px ui-monospace,monospace;padding:2px 6px;border-radius:3px;background:#e6eefc}
table.fields{margin:4px 0 6px;font-size:13px}table.fields th,table.fields td{padding:2px 6px}.req{font-size:11px;color:#b42318}
section>table>tbody>tr>td:nth-child(-n+2){width:1%;white-space:nowrap}table.fields td:first-child{white-space:nowrap}table.fields code{overflow-wrap:anywhere}
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
  const body = `<section><h2>Servers</h2><ul>${servers}</ul><p>${escapeHtml(doc.info?.description ?? "")}</p><p><a href="/ui/running">← back</a> · <a href="/openapi.json">the OpenAPI document</a> (${count} operations)</p></section>\n${sections}`;
  // The document's title is "mlwatch API": the page is "mlwatch API reference", not "… API API reference".
  const title = `${(doc.info?.title ?? "mlwatch").replace(/\s+API$/i, "")} API reference`;
  return page(title, title, `version ${escapeHtml(doc.info?.version ?? "")} · ${count} operations`, body);
}
