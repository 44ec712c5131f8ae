/**
 * `/ui/models/{model}` — the model's versions (stage, metrics, tags, aliases, artifact, created), its
 * promotion policy, pending approvals (approve or reject with a reason), a promotion request, two versions
 * compared, and the history and deployments as one timeline.
 */
import type { ApprovalView, ConsoleApi, DeploymentView, HistoryEntry, VersionView } from "../api.js";
import { badge, bytes, csrfField, esc, frame, modelHeader, num, seg, stageBadge, table, time, type FrameOptions, type Html } from "../html.js";

const stageOrder: Record<string, number> = { production: 0, staging: 1, development: 2, archived: 3 };

/** Metrics of a version, the primary metric first. */
function metricsCell(v: VersionView, primary: string | null | undefined): Html {
  const entries = Object.entries(v.metrics ?? {}).sort(([a], [b]) => (a === primary ? -1 : b === primary ? 1 : a.localeCompare(b)));
  if (!entries.length) return `<span class="muted">—</span>`;
  return entries.map(([k, val]) => `<span class="nowrap${k === primary ? "" : " muted"}">${k === primary ? "<b>" : ""}${esc(k)} ${esc(num(val))}${k === primary ? "</b>" : ""}</span>`).join("<br>");
}

function artifactCell(v: VersionView): Html {
  const a = v.artifact;
  if (!a) return `<span class="muted">—</span>`;
  const tone = a.status === "available" ? "ok" : a.status === "missing" || a.status === "mismatch" ? "bad" : "warn";
  return `${badge(a.status ?? "unknown", tone)} <span class="small">${esc(bytes(a.sizeBytes))}</span>${a.uri ? `<div class="small muted mono" title="${esc(a.uri)}">${esc(a.uri.length > 40 ? `…${a.uri.slice(-39)}` : a.uri)}</div>` : ""}`;
}

function approvalRow(model: string, a: ApprovalView, csrf: string): Html {
  const base = `/ui/models/${seg(model)}/versions/${seg(a.version)}`;
  return `<tr data-approval="${esc(a.approvalId)}"><td><b>${esc(a.version)}</b></td><td>${stageBadge(a.from)} → ${stageBadge(a.to)}</td><td>${esc(a.requestedBy)}<div class="small muted">${time(a.requestedAt)}</div></td><td>${esc(a.reason)}</td>
<td><form class="inline" method="post" action="${base}/approve">${csrfField(csrf)}<input class="reason" type="text" name="reason" required maxlength="1000" placeholder="reason for approving" aria-label="reason for approving ${esc(a.version)}"><button class="primary" type="submit">Approve</button></form>
<form class="inline" method="post" action="${base}/reject">${csrfField(csrf)}<input class="reason" type="text" name="reason" required maxlength="1000" placeholder="reason for rejecting" aria-label="reason for rejecting ${esc(a.version)}"><button class="danger" type="submit">Reject</button></form></td></tr>`;
}

const stages = new Set(["development", "staging", "production", "archived"]);
/** A stage as a badge, anything else (a deployment target) as code. */
const stageOrText = (s: string): Html => (stages.has(s) ? stageBadge(s) : `<code>${esc(s)}</code>`);

/** History entries and deployments (those the history does not already hold), newest first. */
function timeline(history: readonly HistoryEntry[], allDeployments: readonly DeploymentView[]): Html {
  const near = (a: string, b: string): boolean => Math.abs(Date.parse(a) - Date.parse(b)) < 5_000;
  const deployments = allDeployments.filter((d) => !history.some((h) => h.event === "deploy" && h.version === d.version && near(h.time, d.deployedAt)));
  const items = [
    ...history.map((h) => ({
      time: h.time,
      kind: h.event,
      html: `<b>${esc(h.event)}</b>${h.version ? ` ${esc(h.version)}` : ""}${h.from || h.to ? ` ${h.from ? stageOrText(h.from) : ""} → ${h.to ? stageOrText(h.to) : ""}` : ""} <span class="muted">by ${esc(h.actor ?? "?")}</span>${h.reason ? `<div class="small">“${esc(h.reason)}”</div>` : ""}`,
    })),
    ...deployments.map((d) => ({
      time: d.deployedAt,
      kind: "deployment",
      html: `<b>deployed</b> ${esc(d.version)} to <code>${esc(d.endpointName ?? "?")}</code> ${d.environment ? badge(d.environment, "info") : ""} <span class="muted">${esc(d.region ?? "")} by ${esc(d.deployedBy ?? d.source ?? "?")}</span>`,
    })),
  ].sort((a, b) => b.time.localeCompare(a.time));
  if (!items.length) return `<p class="empty">no history yet</p>`;
  return `<ol class="timeline">${items.map((i) => `<li class="${esc(i.kind)}"><span class="small muted">${time(i.time)}</span> ${i.html}</li>`).join("")}</ol>`;
}

/** The comparison of two versions (GET /models/{model}/compare). */
function comparison(answer: Record<string, unknown>): Html {
  const versions = (answer.versions as string[] | undefined) ?? [];
  const metrics = (answer.metrics as { name: string; values: Record<string, number>; deltas?: Record<string, { absolute: number; relative: number | null }>; best?: string }[] | undefined) ?? [];
  const rows = metrics.map((m) => {
    const cells = versions.map((v, i) => {
      const d = i > 0 ? m.deltas?.[v] : undefined;
      const delta = d ? ` <span class="small ${d.absolute > 0 ? "" : "muted"}">(${d.absolute >= 0 ? "+" : ""}${esc(num(d.absolute))})</span>` : "";
      return `<td class="num">${m.best === v ? "<b>" : ""}${esc(num(m.values[v]))}${m.best === v ? "</b>" : ""}${delta}</td>`;
    });
    return `<tr><td>${esc(m.name)}${m.name === answer.primaryMetric ? ` ${badge("primary", "info")}` : ""}</td>${cells.join("")}</tr>`;
  });
  return table(["metric", ...versions], rows, { numeric: versions.map((_, i) => i + 1), empty: "no metrics to compare", id: "comparison" });
}

/** Renders `/ui/models/{model}`; `compare` = two versions to compare. */
export async function renderModel(api: ConsoleApi, f: Omit<FrameOptions, "title" | "section">, model: string, compare: readonly string[]): Promise<Html> {
  const [m, versions, history, deployments, pending, policy] = await Promise.all([
    api.model(model),
    api.versions(model),
    api.history(model, 100),
    api.deployments(model),
    api.approvals(model, "pending"),
    api.policy(model),
  ]);
  let compared: Html = "";
  if (compare.length === 2) {
    try {
      compared = comparison(await api.compare(model, compare));
    } catch (err) {
      compared = `<div class="flash bad">${esc((err as Error).message)}</div>`;
    }
  }
  const sorted = [...versions].sort((a, b) => (stageOrder[a.stage] ?? 9) - (stageOrder[b.stage] ?? 9) || (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
  const versionRows = sorted.map(
    (v) => `<tr data-version="${esc(v.version)}"><td><b>${esc(v.version)}</b>${v.description ? `<div class="small muted">${esc(v.description)}</div>` : ""}</td><td>${stageBadge(v.stage)}</td><td>${metricsCell(v, m.primaryMetric)}</td>
<td>${Object.entries(v.tags ?? {}).map(([k, val]) => `<span class="tag">${esc(k)}=${esc(val)}</span>`).join("") || `<span class="muted">—</span>`}</td><td>${(v.aliases ?? []).map((a) => `<span class="tag">${esc(a)}</span>`).join("") || `<span class="muted">—</span>`}</td>
<td>${artifactCell(v)}</td><td>${time(v.createdAt)}<div class="small muted">${esc(v.createdBy ?? "")}</div></td></tr>`,
  );
  const aliases = versions.flatMap((v) => (v.aliases ?? []).map((a) => `<tr><td><b>${esc(a)}</b></td><td>${esc(v.version)}</td><td>${stageBadge(v.stage)}</td></tr>`));
  const policyHtml = policy
    ? `<table><tbody><tr><th>gates</th><td>${policy.gates.map((g) => `<span class="tag">${esc(g.metric)}${g.min !== undefined ? ` ≥ ${esc(num(g.min))}` : ""}${g.max !== undefined ? ` ≤ ${esc(num(g.max))}` : ""}${g.notWorseThanProduction ? " no worse than production" : ""}</span>`).join("") || "none"}</td></tr>
<tr><th>approval needed for</th><td>${policy.requireApproval.length ? policy.requireApproval.map((s) => stageBadge(s)).join(" ") : "no stage"}</td></tr><tr><th>retention</th><td>${policy.retention ? `keep the last ${esc(policy.retention.keepLast)}` : "keep all"}</td></tr>
<tr><th>updated</th><td>${time(policy.updatedAt)} <span class="muted">by ${esc(policy.updatedBy ?? "?")}</span></td></tr></tbody></table>`
    : `<p class="muted">No promotion policy: a promotion to production needs the primary metric${m.primaryMetric ? ` (<b>${esc(m.primaryMetric)}</b>, ${esc(m.direction ?? "?")} is better)` : ""} no worse than production's; no stage needs approval.</p>`;
  const options = sorted.map((v) => `<option value="${esc(v.version)}">${esc(v.version)} (${esc(v.stage)})</option>`).join("");
  const selected = (v: string | undefined): string => (v ? sorted.map((x) => `<option value="${esc(x.version)}"${x.version === v ? " selected" : ""}>${esc(x.version)} (${esc(x.stage)})</option>`).join("") : options);
  const compareForm = `<form class="inline" method="get" action="/ui/models/${seg(model)}"><select name="a" aria-label="first version">${selected(compare[0] ?? sorted[1]?.version)}</select> vs <select name="b" aria-label="second version">${selected(compare[1] ?? sorted[0]?.version)}</select><button type="submit">Compare</button></form>`;
  const promoteForm = `<form class="inline" method="post" action="/ui/models/${seg(model)}/promote">${csrfField(f.csrf)}<select name="version" aria-label="version to promote">${options}</select> to <select name="stage" aria-label="target stage"><option>staging</option><option>production</option><option>archived</option></select><input class="reason" type="text" name="reason" required maxlength="1000" placeholder="reason" aria-label="reason for the promotion"><button type="submit">Request promotion</button></form><p class="small muted">Gates are checked by the API; a stage that needs approval waits for another person.</p>`;
  const sub = `${m.productionVersion ? `production ${esc(m.productionVersion)}` : "no production version"} · primary metric ${esc(m.primaryMetric ?? "—")}${m.direction ? ` (${esc(m.direction)} is better)` : ""}`;
  const body = `${modelHeader(model, "overview", sub)}
${pending.length ? `<section class="card" id="approvals"><h2>Pending approvals (${pending.length})</h2>${table(["version", "promotion", "requested by", "reason", "decision"], pending.map((a) => approvalRow(model, a, f.csrf)))}<p class="small muted">The person who requested a promotion cannot approve it.</p></section>` : ""}
<section class="card" id="versions"><h2>Versions (${versions.length})</h2>${table(["version", "stage", "metrics", "tags", "aliases", "artifact", "created (UTC)"], versionRows, { empty: "no versions" })}</section>
<div class="grid">
<section class="card" id="compare"><h2>Compare two versions</h2>${versions.length >= 2 ? compareForm : `<p class="muted">needs two versions</p>`}${compared}</section>
<section class="card" id="promote"><h2>Promote</h2>${versions.length ? promoteForm : `<p class="muted">no version</p>`}</section>
</div>
<div class="grid">
<section class="card" id="aliases"><h2>Aliases</h2>${table(["alias", "version", "stage"], aliases, { empty: "no aliases" })}</section>
<section class="card" id="policy"><h2>Promotion policy</h2>${policyHtml}</section>
</div>
<section class="card" id="timeline"><h2>History and deployments</h2>${timeline(history, deployments)}</section>`;
  return frame({ ...f, title: model, section: "models" }, body);
}
