/**
 * The smaller boundary rules, each through the routes against the emulator: one 80-character cap on user
 * text in alerts (the test-alert note as delivered through the topic), the actor header's documented
 * length (1–64), control and bidi characters shown escaped in the HTML drift report, fairness groups of
 * different types merged with a warning, and a request body the client aborted answered 400 (not 500).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { settleJobs } from "../../../lambdas/drift/dispatch.js";
import { maxValueChars } from "../../../lambdas/core/alerts/safe-text.js";
import { createTestStack, type TestStack } from "../stack.js";
import { listenToTopic, type TopicListener } from "../observe.js";
import { snapshotData } from "../snapshot.js";
import { putObject } from "../registry/helpers.js";

describe("boundary details", () => {
  let stack: TestStack;
  let topic: TopicListener;
  beforeAll(async () => {
    stack = await createTestStack("details");
    topic = await listenToTopic(stack.names.topicArn);
  });

  it("cuts the test-alert note to the one 80-character cap in the delivered message", async () => {
    // Prepare
    const note = `${"n".repeat(150)}TAIL`;
    // Act
    const res = await stack.call("POST", "/alerts/test", { note });
    const messages = await topic.receive(1, 10_000);
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const body = messages.map((m) => m.message).find((m) => m.includes("nnnn")) as string;
    expect(body).toBeDefined();
    expect(body).not.toContain("TAIL");
    const shown = /Note: (n+…)/.exec(body)?.[1] as string;
    expect(Array.from(shown)).toHaveLength(maxValueChars);
  });

  it("accepts an actor of 64 characters and refuses 65 with a 400, as docs/alerts.md says", async () => {
    const ok = await stack.call("POST", "/alerts/test", {}, { "x-mlwatch-actor": "a".repeat(64) });
    const long = await stack.call("POST", "/alerts/test", {}, { "x-mlwatch-actor": "a".repeat(65) });
    expect(ok.status).toBe(202);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/^header\.x-mlwatch-actor: must be 1-64 characters/);
  });

  it("shows U+202E, NUL, ESC and C1 characters of category values escaped in the HTML drift report", async () => {
    // Prepare: a baseline of one category, current data full of spoofing categories
    const spoof = ["exe.\u202etxt", "nul\u0000x", "esc\u001b[2J", "c1\u0085y"];
    const base = Array.from({ length: 400 }, () => ({ plan: "basic" }));
    const current = Array.from({ length: 400 }, (_, i) => ({ plan: spoof[i % spoof.length] }));
    expect((await stack.call("POST", "/models/spoof/baselines", { records: base })).status).toBe(201);
    const check = await stack.call("POST", "/models/spoof/drift-checks", { records: current });
    await settleJobs();
    // Act
    const html = await stack.call("GET", `/models/spoof/drift-checks/${check.body.checkId}/report.html`);
    // Assess
    expect(html.status).toBe(200);
    const text = html.body as string;
    // eslint-disable-next-line no-control-regex -- the point: none of these may appear raw
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    for (const shown of ["exe.\\u202etxt", "nul\\u0000x", "esc\\u001b[2J", "c1\\u0085y"]) expect(text).toContain(shown);
  });

  it("counts groups 1, \"1\" and true as one group and says so in the batch's warnings", async () => {
    // Prepare
    const artifact = await putObject(stack, "external/fair.bin", "weights");
    expect((await stack.call("POST", "/models/fair/versions", { version: "1.0.0", artifactUri: artifact.uri, primaryMetric: "accuracy", direction: "higher" })).status).toBe(201);
    // Act
    const res = await stack.call("POST", "/models/fair/versions/1.0.0/batches", {
      task: "classification",
      predictions: [1, 0, 1, 1, 0, 1],
      actuals: [1, 0, 0, 1, 1, 1],
      groups: [1, "1", true, "b", "b", "b"],
    });
    const plain = await stack.call("POST", "/models/fair/versions/1.0.0/batches", { task: "classification", predictions: [1, 0], actuals: [1, 0], groups: ["a", "b"] });
    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body.fairness.selectionRates).sort()).toEqual(["1", "b"]);
    expect(res.body.warnings.join("\n")).toContain('body.groups: values of different types were counted as one group, as groups are compared as text: "1" (from boolean and number and string values)');
    expect(plain.body.warnings.join("\n")).not.toContain("counted as one group");
  });

  it("answers a body the client aborted with a 400 and writes nothing", async () => {
    // Prepare: a body stream that fails half-way, as a closed connection does
    const before = await snapshotData(stack.names);
    const aborted = (withLength: boolean) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"reason":"half'));
          controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
        },
      });
      const headers: Record<string, string> = { "content-type": "application/json", ...(withLength ? { "content-length": "400" } : {}) };
      return stack.app.request("/models/none/retraining", { method: "POST", body, headers, duplex: "half" } as RequestInit);
    };
    // Act
    const answers = [await aborted(true), await aborted(false)];
    // Assess
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/client closed the connection/);
    }
    expect(await snapshotData(stack.names)).toEqual(before);
  });
});
