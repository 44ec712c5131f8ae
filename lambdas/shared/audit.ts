/**
 * The compliance audit trail: one JSON event per change or pipeline event, written to the audit log group
 * in CloudWatch Logs. A failed write never loses the entry: it is logged in full to the structured log.
 */
import { randomUUID } from "node:crypto";
import { EnvName, requireEnv } from "./env.js";
import { serviceLogger } from "./logger.js";
import { loadLogs } from "./sdk/logs.js";

/** One audit entry. */
export interface AuditEntry {
  /** What happened: `model.registered`, `model.promoted`, `drift.checked`, `event.training_started`, … */
  readonly type: string;
  /** The IAM principal (or `local`). */
  readonly actor: string;
  readonly model?: string;
  readonly version?: string;
  /** The resource acted on, e.g. `models/churn/versions/1.2.0`. */
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly details?: unknown;
  readonly requestId?: string;
}

/** An audit entry as stored. */
export interface StoredAuditEntry extends AuditEntry {
  readonly id: string;
  readonly time: string;
}

const instance = randomUUID();
const streams = new Set<string>();

async function ensureStream(group: string, stream: string): Promise<void> {
  const { CreateLogStreamCommand, ResourceAlreadyExistsException, logsClient } = await loadLogs();
  const id = `${group}|${stream}`;
  if (streams.has(id)) return;
  try {
    await logsClient().send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  } catch (err) {
    if (!(err instanceof ResourceAlreadyExistsException)) throw err;
  }
  streams.add(id);
}

/**
 * Writes audit entries (one log event each) and throws when CloudWatch Logs refuses them.
 * For a route whose whole purpose is the audit entry (`POST /events`).
 * @returns the stored entries (with id and time)
 */
export async function writeAudit(...entries: AuditEntry[]): Promise<StoredAuditEntry[]> {
  const { PutLogEventsCommand, logsClient } = await loadLogs();
  const now = new Date();
  const stored = entries.map((e) => ({ id: randomUUID(), time: now.toISOString(), ...e }));
  if (stored.length === 0) return stored;
  const group = requireEnv(EnvName.auditLogGroup);
  const stream = `${now.toISOString().slice(0, 10)}/${instance}`;
  await ensureStream(group, stream);
  await logsClient().send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: stored.map((e) => ({ timestamp: now.getTime(), message: JSON.stringify(e) })),
    }),
  );
  return stored;
}

/**
 * Writes audit entries after a change has been made. Never throws: when CloudWatch Logs refuses them the
 * entries go, in full, to the structured error log, so the change is never undone by its own audit and the
 * entry is never lost.
 */
export async function recordAudit(...entries: AuditEntry[]): Promise<StoredAuditEntry[]> {
  try {
    return await writeAudit(...entries);
  } catch (err) {
    const fallback = entries.map((e) => ({ id: randomUUID(), time: new Date().toISOString(), ...e }));
    serviceLogger("audit").error("audit write failed; entries follow", { error: err as Error, auditEntries: fallback });
    return fallback;
  }
}
