/**
 * SigV4 signing: the AWS test suite's vectors, and agreement with the AWS SDK's own signer
 * (@smithy/signature-v4) on requests shaped like the client's.
 */
import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import { amzDate, rfc3986, signRequest } from "../../../client/sigv4.js";

// From the AWS SigV4 test suite (aws-sig-v4-test-suite): credentials, scope and time shared by every vector.
const suite = {
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  region: "us-east-1",
  service: "service",
  now: new Date("2015-08-30T12:36:00Z"),
};

/** The hash constructor @smithy/signature-v4 wants: SHA-256, or HMAC-SHA256 when given a key. */
class Sha256 {
  private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  public constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined || typeof secret === "string" ? secret : Buffer.from(secret instanceof ArrayBuffer ? new Uint8Array(secret) : new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength));
    this.hash = key === undefined ? createHash("sha256") : createHmac("sha256", key);
  }
  public update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === "string" ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  public async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

describe("signRequest", () => {
  it("matches the get-vanilla vector of the AWS SigV4 test suite", () => {
    // Prepare
    const request = { method: "GET", url: new URL("https://example.amazonaws.com/"), headers: {} };
    // Act
    const headers = signRequest(request, suite);
    // Assess
    expect(headers["x-amz-date"]).toBe("20150830T123600Z");
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("matches the post-vanilla vector of the AWS SigV4 test suite", () => {
    // Prepare
    const request = { method: "POST", url: new URL("https://example.amazonaws.com/"), headers: {} };
    // Act
    const headers = signRequest(request, suite);
    // Assess
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
    );
  });

  it.each([
    ["GET with a sorted and encoded query", "GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/models?limit=5&nextToken=a%2Bb%3D%3D&a=1", undefined],
    ["POST with a JSON body and a session token", "POST", "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/models/churn/versions", '{"artifactUri":"s3://b/k","metrics":{"auc":0.9}}'],
    ["a path with characters to escape", "GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/models/a%20b/drift-checks/x:y", undefined],
  ])("agrees with @smithy/signature-v4 for %s", async (_name, method, href, body) => {
    // Prepare
    const url = new URL(href);
    const credentials = { ...suite.credentials, sessionToken: "FQoGZXIvYXdzEXAMPLE//token" };
    const headers = { "content-type": "application/json", "idempotency-key": "k-1" };
    const smithy = new SignatureV4({ credentials, region: "eu-west-1", service: "execute-api", sha256: Sha256, applyChecksum: false });
    // Act
    const ours = signRequest({ method, url, headers, body }, { credentials, region: "eu-west-1", now: suite.now });
    const theirs = await smithy.sign(
      {
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { ...headers, host: url.host },
        body,
      },
      { signingDate: suite.now },
    );
    // Assess
    expect(ours.authorization).toBe(theirs.headers.authorization);
    expect(ours["x-amz-security-token"]).toBe(credentials.sessionToken);
  });

  it("changes the signature when the body changes (the payload hash is signed)", () => {
    // Prepare
    const url = new URL("https://example.amazonaws.com/models");
    // Act
    const a = signRequest({ method: "POST", url, headers: {}, body: '{"a":1}' }, suite).authorization;
    const b = signRequest({ method: "POST", url, headers: {}, body: '{"a":2}' }, suite).authorization;
    // Assess
    expect(a).not.toBe(b);
  });
});

describe("SigV4 helpers", () => {
  it("formats the time as the basic ISO 8601 form and encodes per RFC 3986", () => {
    // Act + Assess
    expect(amzDate(new Date("2025-01-02T03:04:05.678Z"))).toBe("20250102T030405Z");
    expect(rfc3986("a b!*'()~._-/")).toBe("a%20b%21%2A%27%28%29~._-%2F");
  });
});
