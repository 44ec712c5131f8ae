/**
 * Text that is not well-formed UTF-16 (a lone surrogate, `"\ud800"` in JSON) is refused at the JSON
 * boundary with 400 `INVALID_TEXT` naming the field, on every route family, before anything is written —
 * in values and in keys, at any depth. Before, tag values and reasons answered 500, and an acknowledge with
 * reason "x\ud800" answered 409 yet left the alert acknowledged with no record of who did it or why.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createTestStack, type TestStack } from "../stack.js";
import { snapshotData } from "../snapshot.js";
import { auditEntries } from "../observe.js";
import { putObject } from "../registry/helpers.js";

const lone = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdbff }).map((u) => String.fromCharCode(u)),
  fc.integer({ min: 0xdc00, max: 0xdfff }).map((u) => String.fromCharCode(u)),
);
/** A string with one lone surrogate somewhere in ordinary text. */
const illFormed = fc.tuple(fc.string({ maxLength: 8 }), lone, fc.string({ maxLength: 8 })).map(([a, s, b]) => `${a}${s}${s < "\udc00" ? "." : ""}${b}`);

describe("well-formed text at the boundary", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("text");
    const artifact = await putObject(stack, "external/txt.bin", "weights");
    expect((await stack.call("POST", "/models/txt/versions", { version: "1.0.0", artifactUri: artifact.uri, primaryMetric: "auc", direction: "higher", metrics: { auc: 0.8 } })).status).toBe(201);
  });

  it("refuses a lone surrogate in a value or key on every route family, naming the field, writing nothing", async () => {
    const artifact = await putObject(stack, "external/txt-2.bin", "weights 2");
    const alert = await stack.call("POST", "/alerts/test", {});
    expect(alert.status).toBe(202);
    const alertId = alert.body.alertId as string;
    await fc.assert(
      fc.asyncProperty(illFormed, async (bad) => {
        // Prepare
        const before = await snapshotData(stack.names);
        const cases: Array<[string, string, unknown, string]> = [
          ["POST", "/models/txt/versions", { version: "1.1.0", artifactUri: artifact.uri, tags: { team: bad } }, "body.tags.team"],
          ["POST", "/models/txt/versions", { version: "1.1.0", artifactUri: artifact.uri, tags: { [`k${bad}`]: "v" } }, "body.tags.k"],
          ["POST", "/models/txt/versions/1.0.0/promote", { stage: "staging", reason: bad }, "body.reason"],
          ["POST", "/models/txt/versions/1.0.0/batches", { task: "classification", predictions: ["a", bad], actuals: ["a", "b"] }, "body.predictions.1"],
          ["POST", "/models/txt/versions/1.0.0/predictions", { records: [{ id: bad, prediction: 1 }] }, "body.records.0.id"],
          ["POST", "/models/txt/baselines", { records: [{ plan: bad }, { plan: "b" }] }, "body.records.0.plan"],
          ["POST", `/alerts/${alertId}/acknowledge`, { reason: bad }, "body.reason"],
          ["POST", `/alerts/${alertId}/resolve`, { reason: bad }, "body.reason"],
          ["POST", "/alerts/test", { note: bad }, "body.note"],
          ["POST", "/models/txt/retraining", { reason: bad }, "body.reason"],
          ["POST", "/events", { type: "training_completed", model: "txt", details: { a: [{ b: bad }] } }, "body.details.a.0.b"],
        ];
        // Act / Assess
        for (const [method, path, body, field] of cases) {
          const res = await stack.call(method, path, body);
          expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(400);
          expect(res.body.error.code).toBe("INVALID_TEXT");
          expect(res.body.error.message.startsWith(field), res.body.error.message).toBe(true);
        }
        expect(await snapshotData(stack.names)).toEqual(before);
      }),
      { numRuns: 4 },
    );
  });

  it("the acknowledge reproduction: 400, the alert stays open, and a proper acknowledge afterwards works and is audited", async () => {
    // Prepare
    const created = await stack.call("POST", "/alerts/test", {});
    const alertId = created.body.alertId as string;
    // Act
    const bad = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "x\ud800" }, { "x-mlwatch-actor": "alice" });
    const afterBad = await stack.call("GET", `/alerts/${alertId}`);
    const good = await stack.call("POST", `/alerts/${alertId}/acknowledge`, { reason: "looking" }, { "x-mlwatch-actor": "alice" });
    // Assess
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "INVALID_TEXT" });
    expect(afterBad.body.state).toBe("open");
    expect(afterBad.body.acknowledged ?? null).toBeNull();
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(good.body).toMatchObject({ state: "acknowledged", acknowledged: { by: "alice", reason: "looking" } });
    const audit = (await auditEntries(stack.names.auditLogGroup, '{ $.type = "alert.*" }')).filter((e) => e.target === `alerts/${alertId}`);
    expect(audit.map((e) => [e.type, e.actor, e.details.reason])).toEqual([["alert.acknowledged", "alice", "looking"]]);
  });

  it("accepts well-formed text of every kind: surrogate pairs, emoji, bidi and control characters", async () => {
    const text = "😀 \u202eevil\u202c \u0000\u001b[31m \uffff \ud83d\udca5";
    const artifact = await putObject(stack, "external/txt-3.bin", "weights 3");
    const res = await stack.call("POST", "/models/txt/versions", { version: "1.2.0", artifactUri: artifact.uri, tags: { note: text, [text.slice(0, 2)]: "emoji key" } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.tags).toEqual({ note: text, "😀": "emoji key" });
  });
});
