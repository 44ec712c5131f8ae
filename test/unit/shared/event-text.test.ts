/**
 * Every user string mlwatch puts in an EventBridge event is escaped and cut to 80 characters, as in alerts;
 * identifiers pass whole. Checked over every detail-type: through the publisher (the entry PutEvents
 * receives, captured on the client) and against the detail schemas (every string field is classified).
 */
import { afterEach, describe, expect, it } from "vitest";
import { eventBridgeClient, resetClients } from "../../../lambdas/shared/aws.js";
import { publishEvent } from "../../../lambdas/shared/events-bus.js";
import { MlwatchEventType, eventJsonSchemas, type EventDetail } from "../../../lambdas/shared/event-schemas.js";
import { capEventDetail, eventIdentifierFields, eventUserTextFields } from "../../../lambdas/shared/event-text.js";
import { maxValueChars } from "../../../lambdas/core/alerts/safe-text.js";

afterEach(() => resetClients());

const long = (label: string) => `${label}:\u202e\n${"x".repeat(600)}`;
const feature = (i: number) => `f${i}_${"a".repeat(120)}`; // a valid feature name of 124 characters

/** A detail of each type whose every free-text field is long and hostile; identifiers long but valid. */
const hostile: { [T in MlwatchEventType]: EventDetail<T> } = {
  [MlwatchEventType.driftDetected]: {
    model: `m${"1".repeat(120)}`,
    version: "1.0.0",
    checkId: "c1",
    baselineId: "b1",
    driftShare: 0.5,
    severity: "high",
    driftedFeatures: [0, 1, 2].map((i) => ({ name: i === 0 ? long("feature") : feature(i), psi: 0.3, pValue: null })),
    driftedFeatureCount: 3,
    reportUri: `s3://bucket/reports/${"r".repeat(200)}.json`,
  },
  [MlwatchEventType.performanceDegraded]: { model: "churn", version: "1.0.0", batchId: "b1", metric: long("metric"), value: 1, baseline: 2, degradationPercent: 50, severity: "high" },
  [MlwatchEventType.performanceEstimatedDrop]: {
    model: "churn",
    version: "1.0.0",
    date: "2026-12-06",
    count: 10,
    metric: long("metric"),
    estimate: 0.5,
    lower: 0.4,
    upper: 0.6,
    baseline: 0.8,
    limit: 0.7,
    degradationPercent: 30,
    method: "isotonic",
    severity: "high",
  },
  [MlwatchEventType.modelPromoted]: { model: "churn", version: "1.0.0", actor: long("actor"), reason: long("reason"), from: "staging", to: "production" },
  [MlwatchEventType.modelRolledBack]: { model: "churn", version: "1.0.0", actor: long("actor"), reason: long("reason"), from: "1.1.0", to: "1.0.0" },
  [MlwatchEventType.retrainingRequested]: {
    model: "churn",
    trigger: "manual",
    reason: long("reason"),
    requestedBy: long("requestedBy"),
    requestId: "rq-1",
    evidence: {},
    evidenceId: "rq-1",
  },
  [MlwatchEventType.retentionPending]: {
    table: `mlwatch-${"t".repeat(200)}`,
    model: "churn",
    keepLast: 3,
    caller: `arn:aws:sts::123456789012:assumed-role/${"r".repeat(64)}/${"s".repeat(64)}`,
    requestId: "rq-1",
  },
};

const get = (value: unknown, path: string): unknown[] => {
  let current: unknown[] = [value];
  for (const part of path.split(".")) {
    const key = part.endsWith("[]") ? part.slice(0, -2) : part;
    current = current.flatMap((v) => {
      const next = (v as Record<string, unknown> | undefined)?.[key];
      if (next === undefined) return [];
      return part.endsWith("[]") ? (next as unknown[]) : [next];
    });
  }
  return current;
};

const codePoints = (s: string) => [...s].length;
const hasRawControl = (s: string) => [...s].some((c) => c.codePointAt(0)! < 0x20 || c === "\u202e");

describe("event details: one cap on user strings", () => {
  it("classifies every string field of every detail schema as free text or identifier", () => {
    // Assess: walk each JSON schema's string properties (nested objects and arrays of objects).
    const stringPaths = (schema: any, prefix = ""): string[] => {
      const out: string[] = [];
      for (const [key, prop] of Object.entries<any>(schema.properties ?? {})) {
        const path = `${prefix}${key}`;
        if (prop.type === "string" || prop.enum) out.push(path);
        else if (prop.type === "object") out.push(...stringPaths(prop, `${path}.`));
        else if (prop.type === "array" && prop.items?.type === "object") out.push(...stringPaths(prop.items, `${path}[].`));
      }
      return out;
    };
    for (const [type, schema] of Object.entries(eventJsonSchemas()) as Array<[MlwatchEventType, unknown]>) {
      const classified = [...eventUserTextFields[type], ...eventIdentifierFields[type]].sort();
      expect(stringPaths(schema).sort(), type).toEqual(classified);
    }
  });

  for (const type of Object.values(MlwatchEventType)) {
    it(`${type}: the entry PutEvents receives has every free-text field escaped and within ${maxValueChars} characters, identifiers whole`, async () => {
      // Prepare: capture the entry instead of calling EventBridge
      process.env.AWS_REGION ??= "us-east-1";
      process.env.MLWATCH_METRICS_NAMESPACE ??= "mlwatch-test";
      let sent: any;
      eventBridgeClient().middlewareStack.add(
        () => async (args: any) => {
          sent = JSON.parse(args.input.Entries[0].Detail);
          return { output: { $metadata: { httpStatusCode: 200 }, FailedEntryCount: 0, Entries: [{ EventId: "e1" }] }, response: {} };
        },
        { step: "initialize", name: "captureEntry", priority: "high" },
      );
      // Act
      const outcome = await publishEvent(type, hostile[type] as never);
      // Assess
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ sent: true, eventId: "e1" });
      for (const path of eventUserTextFields[type]) {
        const values = get(sent, path);
        expect(values.length, path).toBeGreaterThan(0);
        for (const v of values) {
          expect(typeof v).toBe("string");
          expect(codePoints(v as string), `${path} = ${String(v)}`).toBeLessThanOrEqual(maxValueChars);
          expect(hasRawControl(v as string), path).toBe(false);
        }
      }
      // A type without free text (retention's follow-up) has its long identifiers passed whole below.
      if (eventUserTextFields[type].length > 0) {
        const longest = get(hostile[type], eventUserTextFields[type][0])[0] as string;
        expect(codePoints(longest)).toBeGreaterThan(maxValueChars);
      }
      for (const path of eventIdentifierFields[type]) expect(get(sent, path), path).toEqual(get(hostile[type], path));
    });
  }

  it("leaves the caller's detail unchanged and short text as it was", () => {
    const detail = { model: "churn", version: "1.0.0", actor: "alice", reason: "fine", from: "staging", to: "production" };
    const copy = structuredClone(detail);
    expect(capEventDetail(MlwatchEventType.modelPromoted, detail)).toEqual(detail);
    const hostileDetail = hostile[MlwatchEventType.modelPromoted];
    const before = structuredClone(hostileDetail);
    capEventDetail(MlwatchEventType.modelPromoted, hostileDetail);
    expect(hostileDetail).toEqual(before);
    expect(detail).toEqual(copy);
  });
});
