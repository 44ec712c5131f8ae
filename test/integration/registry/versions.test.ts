import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { putObject, register } from "./helpers.js";

describe("registry: registering and reading model versions", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("reg-versions");
  });

  it("registers a version with an existing artifact and records its size, ETag and sha256", async () => {
    // Prepare
    const artifact = await putObject(stack, "external/churn/model.tar.gz", "model weights v1");
    // Act
    const res = await stack.call("POST", "/models/churn/versions", {
      version: "1.0.0",
      artifactUri: artifact.uri,
      trainingJobName: "churn-train-001",
      metrics: { auc: 0.91, logloss: 0.3 },
      parameters: { maxDepth: 6, eta: 0.3, objective: "binary:logistic" },
      tags: { team: "growth" },
      description: "first model",
      primaryMetric: "auc",
      direction: "higher",
    });
    // Assess
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/models/churn/versions/1.0.0");
    expect(res.body).toMatchObject({
      model: "churn",
      version: "1.0.0",
      stage: "development",
      artifact: { uri: artifact.uri, owned: false, status: "available", sizeBytes: artifact.size, sha256: artifact.sha256 },
      metrics: { auc: 0.91, logloss: 0.3 },
      parameters: { maxDepth: 6 },
      createdBy: "local",
    });
    expect(res.body.artifact.etag).toMatch(/^[a-f0-9-]+$/);
    const read = await stack.call("GET", "/models/churn/versions/1.0.0");
    expect(read.status).toBe(200);
    expect(read.body.artifact.sha256).toBe(artifact.sha256);
  });

  it("answers 409 when the version already exists, and keeps the first record", async () => {
    // Act
    const res = await register(stack, "churn", { version: "1.0.0", metrics: { auc: 0.5 } });
    // Assess
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe("version 1.0.0 of model churn already exists");
    expect((await stack.call("GET", "/models/churn/versions/1.0.0")).body.metrics.auc).toBe(0.91);
  });

  it("takes the next minor after the highest version when none is given", async () => {
    // Prepare
    await register(stack, "churn", { version: "1.3.7" });
    // Act
    const res = await register(stack, "churn");
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.version).toBe("1.4.0");
  });

  it("starts a new model at 0.1.0 and requires primaryMetric and direction on its first registration", async () => {
    // Prepare
    const artifact = await putObject(stack, "external/fresh/m.bin", "x");
    // Act
    const missing = await stack.call("POST", "/models/fresh/versions", { artifactUri: artifact.uri });
    const ok = await stack.call("POST", "/models/fresh/versions", { artifactUri: artifact.uri, primaryMetric: "rmse", direction: "lower" });
    // Assess
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain("primaryMetric and body.direction are required on the first registration");
    expect(ok.status).toBe(201);
    expect(ok.body.version).toBe("0.1.0");
    expect((await stack.call("GET", "/models/fresh/versions")).body.items).toHaveLength(1);
  });

  it("gives twenty parallel registrations without versions twenty distinct versions, none lost", async () => {
    // Prepare
    await register(stack, "parallel", { version: "2.0.0" });
    // Act
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => register(stack, "parallel", { metrics: { auc: i / 100 } })));
    // Assess
    expect(results.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([]);
    const versions = results.map((r) => r.body.version as string);
    expect(new Set(versions).size).toBe(20);
    expect(versions.sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]))).toEqual(Array.from({ length: 20 }, (_, i) => `2.${i + 1}.0`));
    const listed = await stack.call("GET", "/models/parallel/versions?limit=100");
    expect(listed.body.items).toHaveLength(21);
    const model = await stack.call("GET", "/models/parallel");
    expect(model.body).toMatchObject({ versionCount: 21, highestVersion: "2.20.0" });
  });

  it("lists versions highest first, page by page, and by stage", async () => {
    // Prepare
    for (const v of ["0.9.0", "0.10.0", "0.2.0"]) await register(stack, "paged", { version: v });
    await register(stack, "paged", { version: "0.11.0", stage: "staging" });
    // Act
    const first = await stack.call("GET", "/models/paged/versions?limit=3");
    const second = await stack.call("GET", `/models/paged/versions?limit=3&nextToken=${first.body.nextToken}`);
    const staging = await stack.call("GET", "/models/paged/versions?stage=staging");
    // Assess
    expect(first.body.items.map((v: any) => v.version)).toEqual(["0.11.0", "0.10.0", "0.9.0"]);
    expect(second.body.items.map((v: any) => v.version)).toEqual(["0.2.0"]);
    expect(second.body.nextToken).toBeNull();
    expect(staging.body.items.map((v: any) => v.version)).toEqual(["0.11.0"]);
  });

  it("refuses a page token from another listing", async () => {
    // Prepare
    const first = await stack.call("GET", "/models/paged/versions?limit=1");
    // Act
    const res = await stack.call("GET", `/models/churn/versions?nextToken=${first.body.nextToken}`);
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("query.nextToken");
  });

  it("lists models with their production and staging versions", async () => {
    // Act
    const res = await stack.call("GET", "/models?limit=100");
    // Assess
    expect(res.status).toBe(200);
    const paged = res.body.items.find((m: any) => m.model === "paged");
    expect(paged).toMatchObject({ primaryMetric: "auc", direction: "higher", productionVersion: null, stagingVersions: ["0.11.0"] });
    expect(res.body.items.map((m: any) => m.model)).toEqual(expect.arrayContaining(["churn", "fresh", "parallel", "paged"]));
  });

  it("answers 404 naming an unknown model or version", async () => {
    // Act
    const model = await stack.call("GET", "/models/nope");
    const version = await stack.call("GET", "/models/churn/versions/9.9.9");
    const versions = await stack.call("GET", "/models/nope/versions");
    // Assess
    expect(model.status).toBe(404);
    expect(model.body.error.message).toBe("model nope does not exist");
    expect(version.status).toBe(404);
    expect(version.body.error.message).toBe("version 9.9.9 of model churn does not exist");
    expect(versions.status).toBe(404);
  });

  it("hands out a presigned upload URL for requestUpload and records where the artifact will be", async () => {
    // Act
    const res = await stack.call("POST", "/models/uploaded/versions", { requestUpload: true, primaryMetric: "auc", direction: "higher", metrics: { auc: 0.8 } });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.artifact).toEqual({ uri: `s3://${stack.names.bucket}/artifacts/uploaded/0.1.0/model.tar.gz`, owned: true, status: "pending_upload" });
    expect(res.body.upload.method).toBe("PUT");
    // No checksum of an empty body baked into the URL: real S3 would reject the upload (the emulator does not check)
    expect(new URL(res.body.upload.url).searchParams.has("x-amz-checksum-crc32")).toBe(false);
    expect(new URL(res.body.upload.url).searchParams.get("X-Amz-SignedHeaders")).toBe("host");
    const put = await fetch(res.body.upload.url, { method: "PUT", body: "uploaded weights" });
    expect(put.status).toBe(200);
    const verify = await stack.call("POST", "/models/uploaded/versions/0.1.0/artifact/verify");
    expect(verify.status).toBe(200);
    expect(verify.body.artifact).toMatchObject({ status: "available", sizeBytes: 16 });
    expect(verify.body.artifact.sha256).toBe(verify.body.currentSha256);
    const stored = await stack.call("GET", "/models/uploaded/versions/0.1.0");
    expect(stored.body.artifact.status).toBe("available");
    expect(stored.body.upload).toBeUndefined();
  });

  it("refuses a 0-byte artifact (422 EMPTY_ARTIFACT) unless the registration allowed one", async () => {
    // Prepare: an upload that sent no bytes, an external empty object, and a registration that allows one
    const pending = await stack.call("POST", "/models/empty-art/versions", { requestUpload: true, primaryMetric: "auc", direction: "higher", metrics: { auc: 0.8 } });
    expect(pending.status).toBe(201);
    expect((await fetch(pending.body.upload.url, { method: "PUT", body: "" })).status).toBe(200);
    const empty = await putObject(stack, "external/empty-art/m.bin", "");
    const allowed = await stack.call("POST", "/models/empty-ok/versions", { requestUpload: true, allowEmptyArtifact: true, primaryMetric: "auc", direction: "higher" });
    expect(allowed.status).toBe(201);
    await fetch(allowed.body.upload.url, { method: "PUT", body: "" });
    // Act
    const verify = await stack.call("POST", "/models/empty-art/versions/0.1.0/artifact/verify");
    const external = await stack.call("POST", "/models/empty-art/versions", { artifactUri: empty.uri, version: "0.2.0" });
    const verifyAllowed = await stack.call("POST", "/models/empty-ok/versions/0.1.0/artifact/verify");
    // Assess: nothing recorded as available; the allowed one is
    expect(verify.status).toBe(422);
    expect(verify.body.error.code).toBe("EMPTY_ARTIFACT");
    expect((await stack.call("GET", "/models/empty-art/versions/0.1.0")).body.artifact.status).toBe("pending_upload");
    expect(external.status).toBe(422);
    expect(external.body.error.code).toBe("EMPTY_ARTIFACT");
    expect(verifyAllowed.status).toBe(200);
    expect(verifyAllowed.body.artifact).toMatchObject({ status: "available", sizeBytes: 0, allowEmpty: true });
  });

  it("answers a retried registration with the same Idempotency-Key with the first answer, registering once", async () => {
    // Prepare
    const artifact = await putObject(stack, "external/idem/m.bin", "w");
    const body = { artifactUri: artifact.uri, primaryMetric: "auc", direction: "higher" };
    // Act
    const first = await stack.call("POST", "/models/idem/versions", body, { "idempotency-key": "train-job-42" });
    const retry = await stack.call("POST", "/models/idem/versions", body, { "idempotency-key": "train-job-42" });
    // Assess
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body.version).toBe(first.body.version);
    expect((await stack.call("GET", "/models/idem/versions")).body.items).toHaveLength(1);
  });
});
