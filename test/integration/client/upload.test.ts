/**
 * Artifact uploads through the typed client against the local server and the emulator: a file (streamed)
 * and a buffer arrive whole (the stored object's bytes and sha256 are the local ones), the verified version
 * is answered, an expired upload is replaced by a fresh URL (`createArtifactUploadUrl`), an available
 * artifact gets no new URL, and an upload URL used again after verification changes nothing.
 */
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlwatchApiError, MlwatchClient, MlwatchUploadError } from "mlwatch";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { emulatorEndpoint } from "../emulator.js";

let server: LocalServer;
let client: MlwatchClient;
let dir: string;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `upload-${randomBytes(4).toString("hex")}` });
  client = new MlwatchClient({ endpoint: server.url, retryBaseMs: 10 });
  dir = mkdtempSync(join(tmpdir(), "mlwatch-upload-"));
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

async function stored(uri: string): Promise<Buffer> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri)!;
  const out = await s3Client().send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
  return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

describe("MlwatchClient.uploadArtifact", () => {
  it("uploads a file with the registration's URL, verifies it and answers the verified version; the stored bytes are the file's", async () => {
    // Prepare
    const model = `up${randomBytes(3).toString("hex")}`;
    const bytes = randomBytes(300_000);
    const file = join(dir, "model.tar.gz");
    writeFileSync(file, bytes);
    const registered = await client.registerVersion(model, { requestUpload: true, primaryMetric: "auc", direction: "higher", metrics: { auc: 0.8 } });
    // Act
    const verified = await client.uploadArtifact(model, registered.version, file, { upload: registered.upload });
    // Assess
    expect(verified.artifact).toMatchObject({ status: "available", sizeBytes: bytes.length, sha256: sha256(bytes), owned: true });
    const object = await stored(verified.artifact.uri);
    expect(object.length).toBe(bytes.length);
    expect(sha256(object)).toBe(sha256(bytes));
  });

  it("uploads bytes after asking for a fresh URL when the registration's has expired, audited", async () => {
    // Prepare
    const model = `up${randomBytes(3).toString("hex")}`;
    const bytes = new TextEncoder().encode("weights of a small model");
    const registered = await client.registerVersion(model, { requestUpload: true, primaryMetric: "auc", direction: "higher" });
    const expired = { ...registered.upload!, url: registered.upload!.url.replace(/X-Amz-Signature=[0-9a-f]+/, "X-Amz-Signature=00"), expiresAt: new Date(Date.now() - 1000).toISOString() };
    // Act
    const verified = await client.uploadArtifact(model, registered.version, bytes, { upload: expired });
    const audit = await client.listAudit({ model, limit: 20 });
    // Assess
    expect(verified.artifact).toMatchObject({ status: "available", sizeBytes: bytes.length, sha256: sha256(bytes) });
    expect(sha256(await stored(verified.artifact.uri))).toBe(sha256(bytes));
    expect(audit.items.map((e) => e.type)).toContain("model.artifact_upload_issued");
  });

  it("issues a fresh upload URL for a pending artifact, and refuses one (409) once the artifact is available or when it is external", async () => {
    // Prepare
    const model = `up${randomBytes(3).toString("hex")}`;
    const registered = await client.registerVersion(model, { requestUpload: true, primaryMetric: "auc", direction: "higher", artifactFileName: "weights.bin" });
    // Act
    const fresh = await client.createArtifactUploadUrl(model, registered.version);
    await client.uploadArtifact(model, registered.version, new Uint8Array([1, 2, 3]), { upload: fresh.upload });
    const again = await client.createArtifactUploadUrl(model, registered.version).catch((err: unknown) => err);
    const missing = await client.createArtifactUploadUrl(model, "9.9.9").catch((err: unknown) => err);
    const uploadedAgain = await client.uploadArtifact(model, registered.version, new Uint8Array([4])).catch((err: unknown) => err);
    const external = await client.registerVersion(model, { artifactUri: registered.artifact.uri });
    const forExternal = await client.createArtifactUploadUrl(model, external.version).catch((err: unknown) => err);
    // Assess
    expect(fresh).toMatchObject({ model, version: registered.version, artifactUri: registered.artifact.uri, upload: { method: "PUT" } });
    expect(fresh.artifactUri).toMatch(/\/weights\.bin$/);
    expect(Date.parse(fresh.upload.expiresAt)).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(again).toBeInstanceOf(MlwatchApiError);
    expect(again).toMatchObject({ status: 409, code: "CONFLICT" });
    expect((again as Error).message).toContain("already available");
    expect(missing).toMatchObject({ status: 404 });
    expect(uploadedAgain).toMatchObject({ status: 409 });
    expect(Array.from(await stored(registered.artifact.uri))).toEqual([1, 2, 3]);
    expect(forExternal).toMatchObject({ status: 409, code: "CONFLICT" });
    expect((forExternal as Error).message).toContain("external artifact");
  });

  it("a registration's upload URL, still valid after verification, cannot change the verified artifact", async () => {
    // Prepare: an artifact uploaded with the registration's URL and verified
    const model = `up${randomBytes(3).toString("hex")}`;
    const bytes = randomBytes(1000);
    const registered = await client.registerVersion(model, { requestUpload: true, primaryMetric: "auc", direction: "higher" });
    const verified = await client.uploadArtifact(model, registered.version, bytes, { upload: registered.upload });
    const uploads = async () => (await s3Client().send(new ListObjectsV2Command({ Bucket: server.resources.bucket, Prefix: `artifact-uploads/${model}/` }))).Contents ?? [];
    const leftAfterVerify = await uploads();
    // Act: the same URL again (S3 honours a presigned URL until it expires), with other bytes
    const stale = await fetch(registered.upload!.url, { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: randomBytes(1000) });
    const again = await client.verifyArtifact(model, registered.version);
    // Assess: the URL names a key of its own; the artifact's bytes, checksum and record are the verified ones
    expect(new URL(registered.upload!.url).pathname).not.toContain(new URL(registered.artifact.uri.replace("s3://", "http://")).pathname);
    expect(leftAfterVerify).toEqual([]);
    expect(stale.status).toBe(200);
    const object = await stored(verified.artifact.uri);
    expect(sha256(object)).toBe(sha256(bytes));
    expect(again).toMatchObject({ matches: true, currentSha256: sha256(bytes), artifact: { status: "available", sha256: sha256(bytes), sizeBytes: 1000 } });
  });

  it("names the storage's refusal when the PUT is refused", async () => {
    // Prepare
    const model = `up${randomBytes(3).toString("hex")}`;
    const registered = await client.registerVersion(model, { requestUpload: true, primaryMetric: "auc", direction: "higher" });
    const bucketGone = { ...registered.upload!, url: registered.upload!.url.replace(`/${server.resources.bucket}/`, "/no-such-bucket-here/") };
    // Act
    const err = await client.uploadArtifact(model, registered.version, new Uint8Array([1]), { upload: bucketGone }).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(MlwatchUploadError);
    expect((err as MlwatchUploadError).status).toBeGreaterThanOrEqual(400);
    expect((await client.getVersion(model, registered.version)).artifact.status).toBe("pending_upload");
  });
});
