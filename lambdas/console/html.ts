/**
 * The console's page frame and small pieces: one stylesheet, the navigation, tables, badges, times and
 * numbers. Every user string goes through {@link esc} (control and bidi characters made visible), every
 * URL segment through {@link seg}; nothing here loads a script, a font or anything external.
 */
import { escapeHtmlVisible } from "../core/alerts/safe-text.js";

/** Escapes text for element content and attribute values. */
export const esc = (value: unknown): string => escapeHtmlVisible(value);

/** A path segment for a link. */
export const seg = (value: string): string => encodeURIComponent(value);

/** Markup already escaped: what the helpers below return and accept. */
export type Html = string;

/**
 * The policy every console page is served with: nothing external, no script, forms post only to the
 * console itself, no framing. The favicon is a data: URI, so `img-src data:` is enough.
 */
export const consoleSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const pageStyle = `
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;margin:0;color:#1b2330;background:#f4f6f9}
a{color:#1b5fc1;text-decoration:none}a:hover{text-decoration:underline}
header.top{background:#16202e;color:#e8edf4;display:flex;align-items:center;gap:28px;padding:0 28px;height:52px}
header.top .brand{font-weight:700;font-size:17px;color:#fff;letter-spacing:.2px}
header.top nav a{color:#c5d0de;margin-right:18px;font-weight:500}header.top nav a.on{color:#fff;border-bottom:2px solid #5ea1ff;padding-bottom:14px}
header.top .who{margin-left:auto;display:flex;align-items:center;gap:8px;color:#aab6c6;font-size:13px}
header.top .who input{width:120px;padding:3px 6px;border:1px solid #3a4a60;background:#223047;color:#fff;border-radius:4px;font:inherit}
header.top .who button{padding:3px 9px;border-radius:4px;border:1px solid #3a4a60;background:#2b3c57;color:#fff;font:inherit;cursor:pointer}
main{max-width:1360px;margin:0 auto;padding:20px 28px 48px}
h1{font-size:22px;margin:4px 0 2px}h1 small{font-size:14px;color:#6a7587;font-weight:400;margin-left:8px}
h2{font-size:16px;margin:0 0 10px}h3{font-size:14px;margin:14px 0 6px}
.crumbs{color:#6a7587;font-size:13px}.crumbs a{color:#6a7587}
.tabs{display:flex;gap:4px;margin:14px 0 4px;border-bottom:1px solid #d9dee6}
.tabs a{padding:7px 14px;color:#4a5567;border:1px solid transparent;border-bottom:none;border-radius:6px 6px 0 0;font-weight:500}
.tabs a.on{background:#fff;border-color:#d9dee6;color:#16202e;margin-bottom:-1px}
section.card{background:#fff;border:1px solid #dfe4eb;border-radius:8px;padding:14px 18px;margin:16px 0;overflow-x:auto}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px;margin:16px 0}.grid section.card{margin:0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #edf0f4;vertical-align:top}
th{font-weight:600;color:#5a6577;font-size:12px;text-transform:uppercase;letter-spacing:.4px;background:#fafbfc}
tbody tr:hover{background:#f8fafc}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}code{background:#eef1f5;padding:1px 5px;border-radius:3px}
.muted{color:#6a7587}.small{font-size:12.5px}.nowrap{white-space:nowrap}
.b{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;border:1px solid transparent}
.b-ok{background:#e3f5e9;color:#14703a;border-color:#bfe6cc}.b-warn{background:#fff3dc;color:#8a5300;border-color:#f5d9a3}
.b-bad{background:#fde7e7;color:#a61b1b;border-color:#f6c3c3}.b-info{background:#e5efff;color:#1b4fa0;border-color:#c4d8fb}
.b-muted{background:#eef0f3;color:#566173;border-color:#dde1e7}
.tag{display:inline-block;background:#f0f2f6;border:1px solid #e0e4ea;border-radius:4px;padding:0 6px;margin:1px 3px 1px 0;font-size:12px}
.stat{display:flex;gap:28px;flex-wrap:wrap}.stat div{min-width:110px}.stat b{display:block;font-size:20px}.stat span{color:#6a7587;font-size:12px}
form.inline{display:inline-flex;flex-wrap:wrap;gap:6px;align-items:center;margin:2px 0}
input[type=text],select{font:inherit;padding:4px 7px;border:1px solid #c9d0da;border-radius:4px;background:#fff}
input.reason{width:200px}td input.reason{width:150px}
.toolbar{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:center;margin:12px 0}
button{font:inherit;padding:4px 11px;border-radius:4px;border:1px solid #b9c3d1;background:#fff;cursor:pointer}
button.primary{background:#1b5fc1;border-color:#1b5fc1;color:#fff}button.danger{background:#fff;border-color:#d99;color:#a61b1b}
.flash{padding:10px 14px;border-radius:6px;margin:12px 0}.flash.ok{background:#e3f5e9;border:1px solid #bfe6cc}.flash.bad{background:#fde7e7;border:1px solid #f6c3c3}
ol.timeline{list-style:none;margin:0;padding:0 0 0 16px;border-left:2px solid #dfe4eb}
ol.timeline li{position:relative;padding:4px 0 10px 12px}ol.timeline li:before{content:"";position:absolute;left:-23px;top:9px;width:10px;height:10px;border-radius:50%;background:#9fb2cc;border:2px solid #fff}
ol.timeline li.promote:before,ol.timeline li.approve:before{background:#2f9e5a}ol.timeline li.rollback:before,ol.timeline li.reject:before{background:#d04a4a}ol.timeline li.deployment:before{background:#5e7fd6}
svg{display:block}svg text{font:11px system-ui,sans-serif;fill:#5a6577}
.legend span{display:inline-flex;align-items:center;gap:5px;margin-right:14px;font-size:12.5px}.legend i{display:inline-block;width:14px;height:3px;border-radius:2px}
.empty{color:#6a7587;padding:6px 0}
.wrap{overflow-wrap:anywhere;max-width:460px}
footer{color:#8a94a3;font-size:12px;text-align:center;padding:20px}
`;

/** A 32×32 favicon (an SVG data: URI, allowed by `img-src data:`): a rising line on the brand colour. */
export const faviconSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#16202e"/><polyline points="5,22 12,15 18,19 27,8" fill="none" stroke="#5ea1ff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/** Where the page sits in the navigation. */
export type Section = "models" | "alerts" | "audit" | "running";

/** The frame's options. */
export interface FrameOptions {
  readonly title: string;
  readonly section: Section;
  /** The actor locally (a form to change it), or the signing principal's description against a deployed API. */
  readonly identity: Identity;
  /** The CSRF token every form carries. */
  readonly csrf: string;
  readonly flash?: { readonly ok: boolean; readonly text: string } | undefined;
  /** Whether the server offers `/ui/running` (the local server does; `mlwatch console` does not). */
  readonly running?: boolean | undefined;
  /** The page's own path and query: where a form sends the browser back to. */
  readonly back?: string | undefined;
}

/** Who the console acts as. */
export type Identity = { readonly kind: "local"; readonly actor: string } | { readonly kind: "signed"; readonly endpoint: string };

/** The whole document around a page's body. */
export function frame(options: FrameOptions, body: Html): Html {
  const on = (s: Section): string => (options.section === s ? ' class="on"' : "");
  const who =
    options.identity.kind === "local"
      ? `<form class="inline" method="post" action="/ui/actor">${csrfField(options.csrf)}${backField(options.back)}<label for="actor">acting as</label><input id="actor" name="actor" type="text" value="${esc(options.identity.actor)}" maxlength="64" pattern="[A-Za-z0-9][A-Za-z0-9._@:\\-]{0,63}" title="letters, digits and . _ @ : -"><button type="submit">switch</button></form>`
      : `<span title="every action is signed with your AWS credentials (SigV4): it is made as your IAM principal">signed with your AWS credentials · <code>${esc(options.identity.endpoint)}</code></span>`;
  const flash = options.flash ? `<div class="flash ${options.flash.ok ? "ok" : "bad"}" role="status">${esc(options.flash.text)}</div>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(options.title)} · mlwatch</title><link rel="icon" href="data:image/svg+xml,${encodeURIComponent(faviconSvg)}"><style>${pageStyle}</style></head>
<body><header class="top"><span class="brand">mlwatch</span><nav><a href="/ui/"${on("models")}>Models</a><a href="/ui/alerts"${on("alerts")}>Alerts</a><a href="/ui/audit"${on("audit")}>Audit</a>${options.running ? `<a href="/ui/running"${on("running")}>What is running</a>` : ""}</nav><div class="who">${who}</div></header>
<main>${flash}
${body}
</main><footer>mlwatch console · pages rendered on the server from the API's answers</footer></body></html>
`;
}

/** The hidden field every form carries. */
export const csrfField = (token: string): Html => `<input type="hidden" name="csrf" value="${esc(token)}">`;

/** The hidden field naming the page to come back to. */
export const backField = (path: string | undefined): Html => (path ? `<input type="hidden" name="back" value="${esc(path)}">` : "");

/** A table; `rows` already escaped. */
export function table(headers: readonly string[], rows: readonly Html[], options: { numeric?: readonly number[]; empty?: string; id?: string } = {}): Html {
  if (rows.length === 0) return `<p class="empty">${esc(options.empty ?? "nothing yet")}</p>`;
  const head = headers.map((h, i) => `<th${options.numeric?.includes(i) ? ' class="num"' : ""}>${esc(h)}</th>`).join("");
  return `<table${options.id ? ` id="${esc(options.id)}"` : ""}><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** Badge colours. */
export type Tone = "ok" | "warn" | "bad" | "info" | "muted";
export const badge = (text: string, tone: Tone): Html => `<span class="b b-${tone}">${esc(text)}</span>`;

/** A stage as a coloured badge. */
export function stageBadge(stage: string | undefined | null): Html {
  const tone: Tone = stage === "production" ? "ok" : stage === "staging" ? "info" : stage === "archived" ? "muted" : "warn";
  return stage ? badge(stage, tone) : badge("—", "muted");
}

/** A severity as a coloured badge. */
export function severityBadge(severity: string | undefined | null): Html {
  const tone: Tone = severity === "high" || severity === "critical" ? "bad" : severity === "moderate" || severity === "medium" ? "warn" : severity === "low" ? "info" : "muted";
  return badge(severity ?? "—", tone);
}

/** An ISO time as `YYYY-MM-DD HH:MM` (UTC), the full value in the title. */
export function time(iso: string | undefined | null): Html {
  if (!iso) return `<span class="muted">—</span>`;
  return `<span class="nowrap" title="${esc(iso)}">${esc(iso.slice(0, 16).replace("T", " "))}</span>`;
}

/** A number shown with a sensible precision. */
export function num(value: unknown, digits = 4): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2);
  return String(Number(value.toPrecision(digits)));
}

/** Bytes in B, KB, MB, GB. */
export function bytes(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = value;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** A query string from defined values. */
export function query(params: Readonly<Record<string, string | number | undefined | null>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The model pages' heading and tabs. */
export function modelHeader(model: string, tab: "overview" | "drift" | "performance", sub: Html = ""): Html {
  const m = seg(model);
  const on = (t: string): string => (t === tab ? ' class="on"' : "");
  return `<div class="crumbs"><a href="/ui/">Models</a> / ${esc(model)}</div><h1>${esc(model)}${sub ? ` <small>${sub}</small>` : ""}</h1>
<nav class="tabs"><a href="/ui/models/${m}"${on("overview")}>Versions &amp; lifecycle</a><a href="/ui/models/${m}/drift"${on("drift")}>Drift</a><a href="/ui/models/${m}/performance"${on("performance")}>Performance</a></nav>`;
}
