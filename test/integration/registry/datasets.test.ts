import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { writeParquet } from "../../unit/registry/parquet-fixture.js";
import { putObject, register } from "./helpers.js";

const csvV1 = 'id,age,income,signup,active,city\n1,34,52000.5,2024-01-03,true,"Paris, FR"\n2,,61000,2024-02-10,false,"Quoted ""name"""\n3,29,48000,2024-03-01T10:00:00Z,true,Berlin\n';
const csvV2 = "id,age,income,segment\n1,34,high,A\n2,40,low,B\n3,29,mid,A\n4,51,high,C\n";

describe("registry: dataset versions and lineage", () => {
  let stack: TestStack;
  let v1: any;
  let v2: any;
  beforeAll(async () => {
    stack = await createTestStack("reg-datasets");
  });

  it("registers a CSV version with its sha256, size, rows and inferred column types", async () => {
    // Prepare
    const obj = await putObject(stack, "data/train-v1.csv", csvV1);
    // Act
    const res = await stack.call("POST", "/datasets/train/versions", { dataUri: obj.uri, description: "first cut" });
    // Assess
    expect(res.status).toBe(201);
    v1 = res.body;
    expect(v1).toMatchObject({ name: "train", version: obj.sha256.slice(0, 16), ref: `train@${obj.sha256.slice(0, 16)}`, sha256: obj.sha256, sizeBytes: obj.size, rowCount: 3, format: "csv" });
    expect(v1.columns).toEqual([
      { name: "id", type: "integer", nullable: false },
      { name: "age", type: "integer", nullable: true },
      { name: "income", type: "number", nullable: false },
      { name: "signup", type: "timestamp", nullable: false },
      { name: "active", type: "boolean", nullable: false },
      { name: "city", type: "string", nullable: false },
    ]);
  });

  it("returns the existing version when the same content is registered again", async () => {
    // Prepare
    const copy = await putObject(stack, "data/copy-of-v1.csv", csvV1);
    // Act
    const res = await stack.call("POST", "/datasets/train/versions", { dataUri: copy.uri });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(v1.version);
    expect(res.body.dataUri).toBe(v1.dataUri);
    expect((await stack.call("GET", "/datasets/train/versions")).body.items).toHaveLength(1);
  });

  it("registers a child version and compares it with its parent", async () => {
    // Prepare
    const obj = await putObject(stack, "data/train-v2.csv", csvV2);
    // Act
    v2 = (await stack.call("POST", "/datasets/train/versions", { dataUri: obj.uri, parentVersion: v1.version })).body;
    const diff = await stack.call("GET", `/datasets/train/compare?from=${v1.version}&to=${v2.version}`);
    // Assess
    expect(v2.parentVersion).toBe(v1.ref);
    expect(diff.status).toBe(200);
    expect(diff.body.columnsAdded).toEqual([{ name: "segment", type: "string", nullable: false }]);
    expect(diff.body.columnsRemoved.map((c: any) => c.name)).toEqual(["signup", "active", "city"]);
    expect(diff.body.typeChanges).toEqual([{ name: "income", from: "number", to: "string" }]);
    expect(diff.body.nullabilityChanges).toEqual([{ name: "age", from: true, to: false }]);
    expect(diff.body.rowCount).toEqual({ from: 3, to: 4, delta: 1, relative: 1 / 3 });
  });

  it("follows the lineage chain across datasets, from a version to its root", async () => {
    // Prepare: gzip JSON Lines derived from train v2, in another dataset
    const jsonl = ['{"id":1,"score":0.5,"tags":["a"],"meta":{"k":1}}', '{"id":2,"score":1,"note":null}', '{"id":3,"score":"n/a"}'].join("\n");
    const obj = await putObject(stack, "data/features.jsonl.gz", gzipSync(Buffer.from(jsonl)));
    // Act
    const reg = await stack.call("POST", "/datasets/features/versions", { dataUri: obj.uri, parentVersion: v2.ref });
    const lineage = await stack.call("GET", `/datasets/features/versions/${reg.body.version}/lineage`);
    // Assess
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ format: "jsonl", compression: "gzip", rowCount: 3, sha256: obj.sha256 });
    expect(reg.body.columns).toEqual([
      { name: "id", type: "integer", nullable: false },
      { name: "score", type: "mixed", nullable: false },
      { name: "tags", type: "array", nullable: true },
      { name: "meta", type: "object", nullable: true },
      { name: "note", type: "unknown", nullable: true },
    ]);
    expect(lineage.body.chain.map((d: any) => d.ref)).toEqual([reg.body.ref, v2.ref, v1.ref]);
    expect(lineage.body).toMatchObject({ depth: 3, truncated: false });
  });

  it("registers a Parquet version from its footer (ranged reads) and its full-content sha256", async () => {
    // Prepare
    const bytes = writeParquet([
      { name: "id", kind: "int64", values: [1n, 2n, 3n, 4n] },
      { name: "age", kind: "double", values: [34, null, 29, 51] },
      { name: "segment", kind: "string", values: ["A", "B", "A", "C"] },
    ]);
    const obj = await putObject(stack, "data/train-v3.parquet", bytes);
    // Act
    const res = await stack.call("POST", "/datasets/train/versions", { dataUri: obj.uri, parentVersion: v2.version });
    const diff = await stack.call("GET", `/datasets/train/compare?from=${v2.version}&to=${res.body.version}`);
    // Assess
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: "parquet", rowCount: 4, sha256: obj.sha256, sizeBytes: bytes.length, parentVersion: v2.ref });
    expect(res.body.columns).toEqual([
      { name: "id", type: "integer", nullable: false },
      { name: "age", type: "number", nullable: true },
      { name: "segment", type: "string", nullable: false },
    ]);
    expect(diff.body).toMatchObject({ columnsRemoved: [{ name: "income" }], typeChanges: [{ name: "age", from: "integer", to: "number" }], rowCount: { delta: 0 } });
  });

  it("links a model version to an existing dataset version", async () => {
    // Act
    const res = await register(stack, "churn", { version: "1.0.0", datasetVersion: v2.ref });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.datasetVersion).toBe(v2.ref);
  });

  it("answers 422 for a missing object, an unknown parent, an unknown format or malformed content, writing nothing", async () => {
    // Prepare
    const txt = await putObject(stack, "data/readme.txt", "hello");
    const bad = await putObject(stack, "data/bad.jsonl", '{"a":1}\nnot json\n');
    // Act
    const missing = await stack.call("POST", "/datasets/other/versions", { dataUri: `s3://${stack.names.bucket}/data/none.csv` });
    const parent = await stack.call("POST", "/datasets/other/versions", { dataUri: txt.uri, format: "csv", parentVersion: "0000000000000000" });
    const format = await stack.call("POST", "/datasets/other/versions", { dataUri: txt.uri });
    const malformed = await stack.call("POST", "/datasets/other/versions", { dataUri: bad.uri });
    // Assess
    expect([missing.status, parent.status, format.status, malformed.status]).toEqual([422, 422, 422, 422]);
    expect(missing.body.error.message).toContain("does not exist");
    expect(parent.body.error.message).toBe("parentVersion other@0000000000000000 does not exist; register the parent first");
    expect(format.body.error.message).toContain("cannot tell the format");
    expect(malformed.body.error.message).toBe("JSON Lines line 2 is not valid JSON");
    expect((await stack.call("GET", "/datasets/other/versions")).body.items).toEqual([]);
  });

  it("answers 404 for an unknown dataset version in lineage and compare", async () => {
    // Act
    const lineage = await stack.call("GET", "/datasets/train/versions/ffffffffffffffff/lineage");
    const compare = await stack.call("GET", `/datasets/train/compare?from=${v1.version}&to=ffffffffffffffff`);
    // Assess
    expect(lineage.status).toBe(404);
    expect(compare.status).toBe(404);
    expect(compare.body.error.message).toBe("dataset version train@ffffffffffffffff does not exist");
  });
});
