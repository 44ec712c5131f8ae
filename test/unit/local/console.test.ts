/**
 * The local console's lines: one per request (method, path, status, time), alerts and events as they
 * happen, text for a terminal and JSON lines for a machine; user strings cannot forge a line.
 */
import { describe, expect, it } from "vitest";
import { createConsole, formatLog, formatNotice, formatRequest } from "../../../lambdas/local/console.js";

const at = new Date("2026-12-01T09:30:05.123Z");

describe("formatRequest", () => {
  it("prints method, path, status and time on one line of text", () => {
    expect(formatRequest({ method: "POST", path: "/models/churn/versions", status: 201, ms: 34.26 }, "text", at)).toBe("09:30:05.123 POST   /models/churn/versions 201 34 ms");
    expect(formatRequest({ method: "GET", path: "/health", status: 200, ms: 3.14 }, "text", at)).toBe("09:30:05.123 GET    /health 200 3.1 ms");
  });

  it("prints one JSON object as a line in json format", () => {
    const line = formatRequest({ method: "GET", path: "/models/x", status: 404, ms: 2.04 }, "json", at);
    expect(JSON.parse(line)).toEqual({ time: "2026-12-01T09:30:05.123Z", type: "request", method: "GET", path: "/models/x", status: 404, durationMs: 2 });
    expect(line).not.toContain("\n");
  });

  it("escapes control characters of a path, so a request cannot write a second line", () => {
    const line = formatRequest({ method: "GET", path: "/models/a\n09:00:00.000 ALERT forged", status: 400, ms: 1 }, "text", at);
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toContain("/models/a\\u000a09:00:00.000 ALERT forged");
  });
});

describe("formatNotice", () => {
  it("prints an alert with its type, severity, model, summary and what happened to its message", () => {
    const line = formatNotice({ kind: "alert", alertId: "A1", type: "data_drift", model: "churn", severity: "high", summary: "2 features of churn drifted (high): age, plan", repeat: false, delivery: "sent" }, "text", at);
    expect(line).toBe("09:30:05.123 ALERT  data_drift high churn: 2 features of churn drifted (high): age, plan (sent; A1)");
  });

  it("prints a repeat and an event, and JSON lines in json format", () => {
    expect(formatNotice({ kind: "alert", alertId: "A1", type: "performance_drift", model: "m", severity: "moderate", summary: "s", repeat: true, delivery: "suppressed, seen 2 times" }, "text", at)).toContain("ALERT  repeat performance_drift moderate m: s");
    expect(formatNotice({ kind: "event", source: "aws.cloudwatch", detailType: "CloudWatch Alarm State Change", rule: "local-alarm-state" }, "text", at)).toBe('09:30:05.123 EVENT  aws.cloudwatch "CloudWatch Alarm State Change" → local-alarm-state');
    expect(formatNotice({ kind: "event", source: "pipeline", detailType: "training_started", model: "churn" }, "text", at)).toBe('09:30:05.123 EVENT  pipeline "training_started" churn');
    expect(JSON.parse(formatNotice({ kind: "event", source: "pipeline", detailType: "custom" }, "json", at))).toEqual({ time: "2026-12-01T09:30:05.123Z", type: "event", source: "pipeline", detailType: "custom" });
    expect(JSON.parse(formatNotice({ kind: "alert", alertId: "A1", type: "data_drift", model: "m", severity: "high", summary: "s", repeat: false, delivery: "sent" }, "json", at))).toEqual({
      time: "2026-12-01T09:30:05.123Z",
      type: "alert",
      alertType: "data_drift",
      alertId: "A1",
      model: "m",
      severity: "high",
      summary: "s",
      repeat: false,
      delivery: "sent",
    });
  });
});

describe("createConsole", () => {
  it("writes one line per call", () => {
    const out: string[] = [];
    const c = createConsole({ write: (t: string) => out.push(t) }, "json");
    c.request({ method: "GET", path: "/", status: 200, ms: 1 });
    c.notice({ kind: "event", source: "pipeline", detailType: "custom" });
    expect(out.map((l) => [l.endsWith("\n"), JSON.parse(l).type])).toEqual([
      [true, "request"],
      [true, "event"],
    ]);
  });
});

describe("log lines on the readable console", () => {
  const logged = JSON.stringify({
    level: "ERROR",
    message: "baseline build failed",
    timestamp: "2026-12-06T07:28:09.763Z",
    service: "mlwatch-drift-worker",
    model: "m1",
    error: { name: "NotFoundError", location: "/x/s3-source.ts:60", message: "s3://no-such-bucket/data.csv does not exist\nsecond line", stack: `NotFoundError: …\n${"    at frame (/x/y.ts:1:1)\n".repeat(80)}` },
  });

  it("prints an error as one line (level, service, message, error name and first line, context), the whole JSON in the JSON log", () => {
    // Prepare
    const out: string[] = [];
    const jsonLog: string[] = [];
    const c = createConsole({ write: (t: string) => out.push(t) }, "text", { write: (t: string) => jsonLog.push(t) });
    // Act
    c.log?.(`${logged}\n`);
    // Assess
    expect(logged.length).toBeGreaterThan(2000);
    expect(out).toEqual(["07:28:09.763 ERROR  drift-worker: baseline build failed: NotFoundError: s3://no-such-bucket/data.csv does not exist (model m1)\n"]);
    expect(jsonLog).toEqual([`${logged}\n`]);
  });

  it("cuts a line that is not a log object to its first line, with control characters escaped", () => {
    // Act
    const line = formatLog("Error: boom\n    at x\n    at y", new Date("2026-01-01T10:00:00.000Z"));
    const hostile = formatLog(JSON.stringify({ level: "WARN", message: "a\u001b[2Jb", service: "mlwatch-x" }));
    // Assess
    expect(line).toBe("10:00:00.000 LOG    Error: boom");
    expect(hostile.endsWith("WARN   x: a\\u001b[2Jb")).toBe(true);
    expect(hostile.split("\n")).toHaveLength(1);
  });

  it("writes log lines as they are in json format", () => {
    // Prepare
    const out: string[] = [];
    const c = createConsole({ write: (t: string) => out.push(t) }, "json");
    // Act
    c.log?.(logged);
    // Assess
    expect(out).toEqual([`${logged}\n`]);
  });
});
