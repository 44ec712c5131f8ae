import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { createTestStack, type TestStack } from "../stack.js";
import { promote, putObject, register } from "./helpers.js";

async function exists(stack: TestStack, key: string): Promise<boolean> {
  try {
    await s3Client().send(new HeadObjectCommand({ Bucket: stack.names.bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

describe("registry: deployments, compare, delete, history and failure cleanup", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("reg-ops");
    await register(stack, "ranker", { version: "1.0.0", metrics: { auc: 0.8, latencyMs: 20 }, stage: "staging" });
    await promote(stack, "ranker", "1.0.0", "production");
    await register(stack, "ranker", { version: "1.1.0", metrics: { auc: 0.84, latencyMs: 25 } });
    await register(stack, "ranker", { version: "1.2.0", metrics: { auc: 0.82, recall: 0.5 } });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("records deployments and lists them newest first, filtered by version", async () => {
    // Act
    const a = await stack.call("POST", "/models/ranker/versions/1.0.0/deployments", { endpointName: "ranker-prod", environment: "prod", region: "eu-west-1" });
    const b = await stack.call("POST", "/models/ranker/versions/1.1.0/deployments", { endpointName: "ranker-shadow", environment: "staging" });
    const all = await stack.call("GET", "/models/ranker/deployments");
    const one = await stack.call("GET", "/models/ranker/deployments?version=1.0.0");
    // Assess
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ model: "ranker", version: "1.0.0", endpointName: "ranker-prod", environment: "prod", region: "eu-west-1", deployedBy: "local", stageAtDeployment: "production" });
    expect(b.body.region).toBe(process.env.AWS_REGION);
    expect(all.body.items.map((d: any) => d.endpointName)).toEqual(["ranker-shadow", "ranker-prod"]);
    expect(one.body.items.map((d: any) => d.version)).toEqual(["1.0.0"]);
    expect((await stack.call("GET", "/models/ranker/versions/1.0.0")).body.lastDeployment).toMatchObject({ endpointName: "ranker-prod" });
  });

  it("answers 404 for a deployment of an unknown version and 400 for a bad region", async () => {
    // Act
    const missing = await stack.call("POST", "/models/ranker/versions/9.0.0/deployments", { endpointName: "x", environment: "prod" });
    const region = await stack.call("POST", "/models/ranker/versions/1.0.0/deployments", { endpointName: "x", environment: "prod", region: "mars" });
    // Assess
    expect(missing.status).toBe(404);
    expect(region.status).toBe(400);
    expect(region.body.error.message).toContain("body.region");
  });

  it("compares versions side by side with absolute and relative deltas and the best on the primary metric", async () => {
    // Act
    const res = await stack.call("GET", "/models/ranker/compare?versions=1.0.0,1.1.0,1.2.0");
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model: "ranker", baseline: "1.0.0", primaryMetric: "auc", direction: "higher", best: { version: "1.1.0", value: 0.84 } });
    const auc = res.body.metrics.find((m: any) => m.name === "auc");
    expect(auc.values).toEqual({ "1.0.0": 0.8, "1.1.0": 0.84, "1.2.0": 0.82 });
    expect(auc.deltas["1.1.0"].absolute).toBeCloseTo(0.04, 12);
    expect(auc.deltas["1.1.0"].relative).toBeCloseTo(0.05, 12);
    expect(auc.best).toBe("1.1.0");
    const recall = res.body.metrics.find((m: any) => m.name === "recall");
    expect(recall.values).toEqual({ "1.0.0": null, "1.1.0": null, "1.2.0": 0.5 });
    expect(recall.deltas["1.2.0"]).toEqual({ absolute: null, relative: null });
    expect(res.body.metrics[0].name).toBe("auc");
  });

  it("answers 400 for a bad versions list and 404 naming a missing version", async () => {
    // Act
    const one = await stack.call("GET", "/models/ranker/compare?versions=1.0.0");
    const bad = await stack.call("GET", "/models/ranker/compare?versions=1.0.0,v2");
    const missing = await stack.call("GET", "/models/ranker/compare?versions=1.0.0,7.7.7");
    // Assess
    expect(one.status).toBe(400);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"v2" is not a semantic version');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe("model ranker has no version 7.7.7");
  });

  it("refuses to delete the production version", async () => {
    // Act
    const res = await stack.call("DELETE", "/models/ranker/versions/1.0.0");
    // Assess
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain("is in production and cannot be deleted");
    expect((await stack.call("GET", "/models/ranker/versions/1.0.0")).status).toBe(200);
  });

  it("deletes a version with an external artifact but leaves that object in place", async () => {
    // Prepare
    const before = await stack.call("GET", "/models/ranker/versions/1.2.0");
    const key = before.body.artifact.uri.replace(`s3://${stack.names.bucket}/`, "");
    // Act
    const res = await stack.call("DELETE", "/models/ranker/versions/1.2.0");
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ model: "ranker", version: "1.2.0", artifact: { uri: before.body.artifact.uri, owned: false, deleted: false } });
    expect((await stack.call("GET", "/models/ranker/versions/1.2.0")).status).toBe(404);
    expect(await exists(stack, key)).toBe(true);
    expect((await stack.call("DELETE", "/models/ranker/versions/1.2.0")).status).toBe(404);
  });

  it("deletes a version's uploaded artifact with its record", async () => {
    // Prepare
    const reg = await stack.call("POST", "/models/ranker/versions", { requestUpload: true, version: "3.0.0" });
    await fetch(reg.body.upload.url, { method: "PUT", body: "owned weights" });
    // the upload URL writes a key of its own (the verification moves the bytes to the artifact's key)
    const uploads = async () => (await s3Client().send(new ListObjectsV2Command({ Bucket: stack.names.bucket, Prefix: "artifact-uploads/ranker/3.0.0/" }))).KeyCount ?? 0;
    expect(await uploads()).toBe(1);
    expect(await exists(stack, "artifacts/ranker/3.0.0/model.tar.gz")).toBe(false);
    // Act
    const res = await stack.call("DELETE", "/models/ranker/versions/3.0.0");
    // Assess
    expect(res.body.artifact).toMatchObject({ owned: true, deleted: true });
    expect(await uploads()).toBe(0);
  });

  it("never reuses a deleted version number for an automatic version", async () => {
    // Act
    const res = await register(stack, "ranker");
    // Assess
    expect(res.body.version).toBe("3.1.0");
  });

  it("records every change in the history, newest first, with who and why", async () => {
    // Act
    const page1 = await stack.call("GET", "/models/ranker/history?limit=3");
    const page2 = await stack.call("GET", `/models/ranker/history?limit=100&nextToken=${page1.body.nextToken}`);
    // Assess
    const events = [...page1.body.items, ...page2.body.items];
    expect(events.map((e: any) => e.event)).toEqual([
      "register", // 3.1.0
      "delete", // 3.0.0
      "register", // 3.0.0
      "delete", // 1.2.0
      "deploy",
      "deploy",
      "register", // 1.2.0
      "register", // 1.1.0
      "promote", // 1.0.0 → production
      "register", // 1.0.0
    ]);
    expect(events.every((e: any) => e.actor === "local" && typeof e.time === "string")).toBe(true);
    const times = events.map((e: any) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
    expect(events[8]).toMatchObject({ version: "1.0.0", from: "staging", to: "production", reason: "to production" });
    expect(events[1]).toMatchObject({ version: "3.0.0", from: "development", to: null });
  });

  it("leaves no version when the artifact does not exist", async () => {
    // Act
    const res = await stack.call("POST", "/models/ghostly/versions", { artifactUri: `s3://${stack.names.bucket}/nope/model.tar.gz`, primaryMetric: "auc", direction: "higher" });
    // Assess
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe(`artifact s3://${stack.names.bucket}/nope/model.tar.gz does not exist`);
    expect((await stack.call("GET", "/models/ghostly")).status).toBe(404);
  });

  it("leaves no version record when the checksum read fails half-way", async () => {
    // Prepare: the artifact exists, but reading its bytes fails (fault injection on one S3 command)
    const artifact = await putObject(stack, "external/broken/model.tar.gz", "bytes");
    const send = s3Client().send.bind(s3Client());
    vi.spyOn(s3Client(), "send").mockImplementation(((command: unknown, ...rest: unknown[]) => {
      if (command instanceof GetObjectCommand) return Promise.reject(Object.assign(new Error("connection reset"), { name: "NetworkingError" }));
      return (send as any)(command, ...rest);
    }) as any);
    // Act
    const res = await stack.call("POST", "/models/ranker/versions", { version: "4.0.0", artifactUri: artifact.uri });
    // Assess
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain(`could not read artifact ${artifact.uri}`);
    vi.restoreAllMocks();
    expect((await stack.call("GET", "/models/ranker/versions/4.0.0")).status).toBe(404);
    const history = await stack.call("GET", "/models/ranker/history?limit=1");
    expect(history.body.items[0].version).not.toBe("4.0.0");
  });

  it("leaves no version when the dataset version does not exist", async () => {
    // Act
    const res = await register(stack, "ranker", { version: "5.0.0", datasetVersion: "train@0123456789abcdef" });
    // Assess
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain("datasetVersion train@0123456789abcdef does not exist");
    expect((await stack.call("GET", "/models/ranker/versions/5.0.0")).status).toBe(404);
  });
});
