/**
 * Reading the audit trail back from CloudWatch Logs, newest first.
 *
 * FilterLogEvents answers oldest first, so the reader scans backwards in time windows that double
 * (1 h, 2 h, 4 h, …) from `until` until it has a page or reaches `since`. The JSON filter pattern narrows
 * the scan server-side; every entry is checked again here, so the result is exact either way.
 * The page token carries the time of the last entry returned and the ids already returned at that time,
 * signed for this listing and its filters (lambdas/shared/page-token.ts).
 */
import { decodePageToken, encodePageToken } from "../../shared/page-token.js";
import type { StoredAuditEntry } from "../../shared/audit.js";
import { loadLogs } from "../../shared/sdk/logs.js";

/** A query of the audit trail. */
export interface AuditQuery {
  readonly model?: string;
  /** Exact type, or a prefix ending in `.*` (e.g. `event.*`). */
  readonly type?: string;
  /** Epoch milliseconds, inclusive. */
  readonly since: number;
  /** Epoch milliseconds, inclusive. */
  readonly until: number;
  readonly limit: number;
  readonly nextToken?: string;
}

/** One page of entries, shaped like every other listing: `items` and `nextToken` (null on the last page). */
export interface AuditPage {
  readonly items: StoredAuditEntry[];
  readonly nextToken: string | null;
}

interface Cursor {
  until: number;
  seen: string[];
}

// Signed for the audit listing and its filters (model, type): a cursor of one query never continues another.
const bindingOf = (q: AuditQuery) => ({ listing: "events.audit", scope: { model: q.model, type: q.type } });

async function decodeToken(token: string, q: AuditQuery): Promise<Cursor> {
  const c = await decodePageToken<Record<string, unknown>>(token, bindingOf(q), (p) => typeof p.until === "number" && Array.isArray(p.seen));
  return c as unknown as Cursor;
}

const encodeToken = async (c: Cursor, q: AuditQuery): Promise<string> => (await encodePageToken({ ...c }, bindingOf(q))) as string;

function filterPattern(q: AuditQuery): string | undefined {
  const terms: string[] = [];
  if (q.model) terms.push(`$.model = "${q.model}"`);
  if (q.type && !q.type.endsWith(".*")) terms.push(`$.type = "${q.type}"`);
  return terms.length ? `{ ${terms.join(" && ")} }` : undefined;
}

function matches(e: StoredAuditEntry, q: AuditQuery): boolean {
  if (q.model && e.model !== q.model) return false;
  if (q.type) {
    if (q.type.endsWith(".*")) {
      if (!e.type.startsWith(q.type.slice(0, -1))) return false;
    } else if (e.type !== q.type) return false;
  }
  return true;
}

async function scan(group: string, start: number, end: number, q: AuditQuery): Promise<Array<StoredAuditEntry & { ts: number }>> {
  const { FilterLogEventsCommand, logsClient } = await loadLogs();
  const found: Array<StoredAuditEntry & { ts: number }> = [];
  let nextToken: string | undefined;
  do {
    const out = await logsClient().send(
      new FilterLogEventsCommand({ logGroupName: group, startTime: start, endTime: end, filterPattern: filterPattern(q), nextToken }),
    );
    for (const ev of out.events ?? []) {
      try {
        const entry = JSON.parse(ev.message ?? "") as StoredAuditEntry;
        if (entry && typeof entry.type === "string" && matches(entry, q)) found.push({ ...entry, ts: ev.timestamp ?? 0 });
      } catch {
        // not one of ours: the group holds only audit JSON, but a stray line must not break reading
      }
    }
    nextToken = out.nextToken;
  } while (nextToken);
  return found;
}

/** Reads one page of the audit trail, newest first. */
export async function readAudit(group: string, q: AuditQuery): Promise<AuditPage> {
  const cursor = q.nextToken ? await decodeToken(q.nextToken, q) : { until: q.until, seen: [] };
  const seen = new Set(cursor.seen);
  let windowMs = 3600_000;
  let end = cursor.until;
  const collected: Array<StoredAuditEntry & { ts: number }> = [];
  while (end >= q.since && collected.length <= q.limit) {
    const start = Math.max(q.since, end - windowMs + 1);
    const batch = (await scan(group, start, end, q)).filter((e) => !(e.ts === cursor.until && seen.has(e.id)));
    collected.push(...batch);
    end = start - 1;
    windowMs *= 2;
  }
  collected.sort((a, b) => b.ts - a.ts || (a.id < b.id ? 1 : -1));
  const page = collected.slice(0, q.limit);
  const more = collected.length > q.limit;
  let nextToken: string | undefined;
  if (more && page.length > 0) {
    const lastTs = page[page.length - 1].ts;
    const sameTs = page.filter((e) => e.ts === lastTs).map((e) => e.id);
    nextToken = await encodeToken({ until: lastTs, seen: lastTs === cursor.until ? [...cursor.seen, ...sameTs] : sameTs }, q);
  }
  return { items: page.map(({ ts: _ts, ...e }) => e), nextToken: nextToken ?? null };
}
