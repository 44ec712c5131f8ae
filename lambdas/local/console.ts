/**
 * The local server's console: one line per request (method, path, status, time), and alerts and relayed
 * events as they happen. Text for a person at a terminal; JSON lines (one object a line) for a machine —
 * the default when stdout is not a terminal, or with `mlwatch serve --log-format json`. Paths are printed
 * without their query (a query may carry tokens); user strings are printed as data (control characters
 * escaped, so a model name cannot move the cursor or forge a line).
 */
import type { Notice } from "../shared/notices.js";

export type LogFormat = "text" | "json";

/** One answered request. */
export interface RequestLine {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
}

/** Where the console writes. */
export interface LocalConsole {
  request(line: RequestLine): void;
  notice(notice: Notice): void;
  /** A structured log line (Powertools JSON, one object): one line on a readable console, whole in the JSON log. */
  log?(line: string): void;
}

// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** A user string for a terminal line: control characters as \u escapes. */
const safe = (s: string | undefined): string => (s ?? "-").replace(controls, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);

const clock = (now: Date): string => now.toISOString().slice(11, 23);

/** Formats one request as the console prints it. */
export function formatRequest(line: RequestLine, format: LogFormat, now = new Date()): string {
  const ms = Math.round(line.ms * 10) / 10;
  if (format === "json") return JSON.stringify({ time: now.toISOString(), type: "request", method: line.method, path: line.path, status: line.status, durationMs: ms });
  return `${clock(now)} ${line.method.padEnd(6)} ${safe(line.path)} ${line.status} ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** Formats one notice as the console prints it. */
export function formatNotice(notice: Notice, format: LogFormat, now = new Date()): string {
  if (format === "json") {
    // `type` says what the line is; an alert's own type is `alertType`
    if (notice.kind === "alert") {
      const { kind: _kind, type, ...rest } = notice;
      return JSON.stringify({ time: now.toISOString(), type: "alert", alertType: type, ...rest });
    }
    const { kind: _kind, ...rest } = notice;
    return JSON.stringify({ time: now.toISOString(), type: "event", ...rest });
  }
  if (notice.kind === "alert") {
    return `${clock(now)} ALERT  ${notice.repeat ? "repeat " : ""}${notice.type} ${notice.severity} ${safe(notice.model)}: ${safe(notice.summary)} (${safe(notice.delivery)}; ${notice.alertId})`;
  }
  return `${clock(now)} EVENT  ${safe(notice.source)} "${safe(notice.detailType)}"${notice.model !== undefined ? ` ${safe(notice.model)}` : ""}${notice.rule !== undefined ? ` → ${safe(notice.rule)}` : ""}`;
}

const firstLine = (s: unknown, max = 240): string => {
  const text = String(s ?? "").split("\n")[0] ?? "";
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

/**
 * Formats one structured log line (a Powertools JSON object) for the readable console: level, service, message
 * and the error's name and first message line, on one line — never the stack or the rest of the object, which
 * stay in the JSON log. A line that is not such an object is cut to its first line.
 */
export function formatLog(line: string, now = new Date()): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
    if (entry === null || typeof entry !== "object") throw new Error("not an object");
  } catch {
    return `${clock(now)} LOG    ${safe(firstLine(line))}`;
  }
  const time = typeof entry.timestamp === "string" && !Number.isNaN(Date.parse(entry.timestamp)) ? new Date(entry.timestamp) : now;
  const level = String(entry.level ?? "LOG").toUpperCase().padEnd(6);
  const service = String(entry.service ?? "mlwatch").replace(/^mlwatch-/, "");
  const error = entry.error as { name?: unknown; message?: unknown } | undefined;
  const cause = error && typeof error === "object" ? `: ${error.name ? `${String(error.name)}: ` : ""}${firstLine(error.message)}` : "";
  const context = ["model", "version", "requestId"].filter((k) => typeof entry[k] === "string").map((k) => `${k} ${String(entry[k])}`);
  return `${clock(time)} ${level} ${safe(service)}: ${safe(firstLine(entry.message))}${safe(cause)}${context.length > 0 ? ` (${safe(context.join(", "))})` : ""}`;
}

/**
 * A console writing to `out` in `format`. Log lines: in `json`, written as they are; in `text`, one line
 * each, and written whole to `jsonLog` when given.
 */
export function createConsole(out: { write(text: string): unknown }, format: LogFormat, jsonLog?: { write(text: string): unknown }): LocalConsole {
  return {
    request: (line) => out.write(`${formatRequest(line, format)}\n`),
    notice: (notice) => out.write(`${formatNotice(notice, format)}\n`),
    log: (line) => {
      const whole = line.endsWith("\n") ? line : `${line}\n`;
      if (format === "json") {
        out.write(whole);
        return;
      }
      jsonLog?.write(whole);
      out.write(`${formatLog(line.trimEnd())}\n`);
    },
  };
}
