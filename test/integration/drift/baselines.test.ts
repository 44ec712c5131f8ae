import { beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { createTestStack, type TestStack } from "../stack.js";
import { auditEntries } from "../observe.js";
import { captureKey, captureLine, makeRows, putObject, toCsv, toJsonLines, toParquet } from "./fixtures.js";
import { waitForBaseline } from "./helpers.js";

describe("drift baselines", () => {
  let stack: TestStack;
  const rows = makeRows(2000, 7);
  beforeAll(async () => {
    stack = await createTestStack("drift-bl");
  });

  it("builds a baseline from inline records at once, infers types, makes the first one active and stores a bounded profile", async () => {
    const res = await stack.call("POST", "/models/inline-m/baselines", { records: rows });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "ready", active: true, rows: 2000, features: { age: "numerical", income: "numerical", plan: "categorical" } });
    expect(res.body.baselineId).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    const one = await stack.call("GET", `/models/inline-m/baselines/${res.body.baselineId}?profile=true`);
    expect(one.status).toBe(200);
    const p = one.body.profile.profiles;
    expect(p.age.sketch.values).toHaveLength(2000);
    expect(p.age.psi.edges.length).toBeGreaterThan(5);
    expect(p.age.psi.shares.reduce((s: number, x: number) => s + x, 0)).toBeCloseTo(1, 10);
    expect(p.plan.counts.basic + p.plan.counts.pro + p.plan.counts.enterprise).toBe(2000);
    expect(one.body.profileUri).toBe(`s3://${stack.names.bucket}/baselines/inline-m/${res.body.baselineId}.json`);
  });

  it("honours categorical, features and exclude", async () => {
    const res = await stack.call("POST", "/models/opts-m/baselines", { records: rows.map((r, i) => ({ ...r, id: i, zip: 10000 + (i % 7) })), categorical: ["zip"], exclude: ["id"] });
    expect(res.status).toBe(201);
    expect(res.body.features).toEqual({ age: "numerical", income: "numerical", plan: "categorical", zip: "categorical" });
    const only = await stack.call("POST", "/models/opts-m/baselines", { records: rows, features: ["age"] });
    expect(only.body.features).toEqual({ age: "numerical" });
  });

  it.each([
    ["CSV", "train.csv", () => toCsv(rows)],
    ["gzip CSV", "train.csv.gz", () => gzipSync(toCsv(rows))],
    ["JSON Lines", "train.jsonl", () => toJsonLines(rows)],
    ["Parquet", "train.parquet", () => toParquet(rows)],
    ["CSV without an extension", "train-data", () => toCsv(rows)],
  ])("builds a baseline from an S3 %s object asynchronously", async (_label, name, body) => {
    const model = `s3-${name.replace(/[^a-z]/g, "")}`;
    const uri = await putObject(stack.names.bucket, `datasets/${model}/${name}`, body() as any);
    const res = await stack.call("POST", `/models/${model}/baselines`, { dataUri: uri });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe("building");
    const done = await waitForBaseline(stack, model, res.body.baselineId);
    expect(done.status, done.error).toBe("ready");
    expect(done.rows).toBe(2000);
    expect(done.features).toEqual({ age: "numerical", income: "numerical", plan: "categorical" });
    expect(done.active).toBe(true);
  });

  it("builds a baseline from every object under a prefix", async () => {
    await putObject(stack.names.bucket, "datasets/multi/part-0.csv", toCsv(rows.slice(0, 1000)));
    await putObject(stack.names.bucket, "datasets/multi/part-1.jsonl", toJsonLines(rows.slice(1000)));
    await putObject(stack.names.bucket, "datasets/multi/_SUCCESS", "");
    const res = await stack.call("POST", "/models/multi/baselines", { dataUri: `s3://${stack.names.bucket}/datasets/multi/` });
    const done = await waitForBaseline(stack, "multi", res.body.baselineId);
    expect(done.status, done.error).toBe("ready");
    expect(done.rows).toBe(2000);
  });

  it("builds a baseline from a SageMaker data-capture prefix, naming CSV columns by `features`", async () => {
    const when = new Date(Date.UTC(2025, 0, 2, 3));
    const lines = rows.slice(0, 500).map((r, i) => captureLine(`${r.age},${r.income},${r.plan}`, "text/csv", "CSV", i));
    await putObject(stack.names.bucket, captureKey("capture/bl", when, "a"), lines.join("\n"));
    const res = await stack.call("POST", "/models/capture-bl/baselines", { dataUri: `s3://${stack.names.bucket}/capture/bl`, features: ["age", "income", "plan"] });
    expect(res.status).toBe(202);
    const done = await waitForBaseline(stack, "capture-bl", res.body.baselineId);
    expect(done.status, done.error).toBe("ready");
    expect(done.rows).toBe(500);
    expect(done.features).toEqual({ age: "numerical", income: "numerical", plan: "categorical" });
  });

  it("marks a baseline failed when its data is missing or unreadable", async () => {
    const missing = await stack.call("POST", "/models/bad-bl/baselines", { dataUri: `s3://${stack.names.bucket}/datasets/none.csv` });
    expect(missing.status).toBe(202);
    const failed = await waitForBaseline(stack, "bad-bl", missing.body.baselineId);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/no object at s3:\/\//);
    const uri = await putObject(stack.names.bucket, "datasets/bad.jsonl", '{"a":1}\nnot json\n');
    const bad = await stack.call("POST", "/models/bad-bl/baselines", { dataUri: uri });
    const failed2 = await waitForBaseline(stack, "bad-bl", bad.body.baselineId);
    expect(failed2.status).toBe("failed");
    expect(failed2.error).toContain("bad.jsonl");
    const activate = await stack.call("POST", `/models/bad-bl/baselines/${bad.body.baselineId}/activate`);
    expect(activate.status).toBe(409);
  });

  it("lists baselines newest first and switches the active one", async () => {
    const a = await stack.call("POST", "/models/switch/baselines", { records: rows.slice(0, 100) });
    const b = await stack.call("POST", "/models/switch/baselines", { records: rows.slice(100, 200) });
    expect(b.body.active).toBe(false);
    const list = await stack.call("GET", "/models/switch/baselines");
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: any) => x.baselineId)).toEqual([b.body.baselineId, a.body.baselineId]);
    expect(list.body.activeBaselineId).toBe(a.body.baselineId);
    const act = await stack.call("POST", `/models/switch/baselines/${b.body.baselineId}/activate`);
    expect(act.status).toBe(200);
    expect(act.body).toMatchObject({ baselineId: b.body.baselineId, previousBaselineId: a.body.baselineId });
    const after = await stack.call("GET", "/models/switch/baselines");
    expect(after.body.items.find((x: any) => x.active).baselineId).toBe(b.body.baselineId);
    const audit = await auditEntries(stack.names.auditLogGroup);
    expect(audit.some((e) => e.type === "drift.baseline_activated" && e.after.activeBaselineId === b.body.baselineId)).toBe(true);
  });

  it("refuses bad requests with clear errors", async () => {
    expect((await stack.call("POST", "/models/x/baselines", {})).status).toBe(400);
    expect((await stack.call("POST", "/models/x/baselines", { records: rows, dataUri: "s3://b-b/k" })).status).toBe(400);
    expect((await stack.call("POST", "/models/x/baselines", { dataUri: "http://nope" })).status).toBe(400);
    expect((await stack.call("POST", "/models/x/baselines", { records: [{ "bad name": 1 }] })).status).toBe(422);
    expect((await stack.call("POST", "/models/x/baselines/20250101T000000000Z-abcdef/activate")).status).toBe(404);
    expect((await stack.call("GET", "/models/x/baselines/20250101T000000000Z-abcdef")).status).toBe(404);
  });
});
