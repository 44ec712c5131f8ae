/**
 * `/ui/running` (local mode) — what is running: the API's address, the AWS endpoint (embedded emulator or
 * not), the resources, the health of each dependency, and where to go next.
 */
import { esc, table, type Html } from "../html.js";

/** What the page shows. */
export interface RunningInfo {
  readonly url: string;
  readonly awsEndpoint: string;
  readonly startedEmulator: boolean;
  readonly resources: Readonly<Record<string, string>>;
  readonly health: { status?: string; dependencies?: Record<string, { ok: boolean; latencyMs?: number; error?: string }> } | undefined;
}

/** The page's body. */
export function renderRunning(d: RunningInfo): Html {
  const status = d.health?.status ?? "unknown";
  const deps = Object.entries(d.health?.dependencies ?? {}).map(
    ([name, dep]) => `<tr><td>${esc(name)}</td><td><span class="b b-${dep.ok ? "ok" : "bad"}">${dep.ok ? "ok" : "failing"}</span></td><td class="num">${esc(dep.latencyMs ?? "—")} ms</td><td class="muted">${esc(dep.error ?? "")}</td></tr>`,
  );
  return `<h1>What is running</h1>
<section class="card" id="running"><table><tbody>
<tr><th>API</th><td><code>${esc(d.url)}</code> — every route of the deployed API, no authentication (the actor is <code>local</code>, or the name picked at the top right)</td></tr>
<tr><th>AWS</th><td><code>${esc(d.awsEndpoint)}</code> — ${d.startedEmulator ? "embedded emulator (moto_server), data kept in memory until it stops" : "an existing endpoint (AWS_ENDPOINT_URL)"}</td></tr>
${Object.entries(d.resources).map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`).join("")}
</tbody></table></section>
<section class="card" id="health"><h2>Health: <span class="b b-${status === "ok" ? "ok" : "bad"}">${esc(status)}</span></h2>${table(["dependency", "state", "latency", ""], deps, { numeric: [2] })}</section>
<section class="card" id="next"><h2>Where to go</h2><ul>
<li><a href="/api">API reference</a> (rendered from <a href="/openapi.json">/openapi.json</a>, the OpenAPI document)</li>
<li><a href="/health">/health</a> · <a href="/models">/models</a> · <a href="/alerts?state=open">/alerts?state=open</a> · <a href="/audit?limit=20">/audit</a> (the API's JSON)</li>
<li>Empty? <code>npx mlwatch demo</code> fills it with a seeded history; <code>npx mlwatch help</code> lists the commands.</li>
</ul></section>`;
}
