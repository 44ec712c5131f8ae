/**
 * SigV4 signing through @smithy/signature-v4: the AWS test suite's vectors, and agreement with an
 * independent implementation of the documented algorithm on requests shaped like the client's (double
 * path encoding for execute-api, sorted and encoded query, session token).
 */
import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signRequest } from "../../../client/sigv4.js";

// From the AWS SigV4 test suite (aws-sig-v4-test-suite): credentials, scope and time shared by every vector.
const suite = {
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  region: "us-east-1",
  service: "service",
  now: new Date("2015-08-30T12:36:00Z"),
};

/**
 * The algorithm as https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html writes it,
 * for requests whose headers are `host`, `x-amz-date`, optional `x-amz-security-token` and the given ones.
 */
function referenceAuthorization(method: string, url: URL, given: Record<string, string>, body: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region: string, now: Date): string {
  const rfc3986 = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const sha = (v: string) => createHash("sha256").update(v).digest("hex");
  const hmac = (k: string | Buffer, v: string) => createHmac("sha256", k).update(v).digest();
  const time = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const date = time.slice(0, 8);
  const headers: Record<string, string> = { ...given, host: url.host, "x-amz-date": time, ...(credentials.sessionToken ? { "x-amz-security-token": credentials.sessionToken } : {}) };
  const names = Object.keys(headers).sort();
  const query = [...url.searchParams].map(([k, v]) => [rfc3986(k), rfc3986(v)]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  const canonical = [
    method,
    url.pathname.split("/").map(rfc3986).join("/"),
    query.map(([k, v]) => `${k}=${v}`).join("&"),
    names.map((n) => `${n}:${headers[n].trim()}\n`).join(""),
    names.join(";"),
    sha(body),
  ].join("\n");
  const scope = `${date}/${region}/execute-api/aws4_request`;
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), "execute-api"), "aws4_request");
  const signature = createHmac("sha256", key).update(["AWS4-HMAC-SHA256", time, scope, sha(canonical)].join("\n")).digest("hex");
  return `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
}

describe("signRequest", () => {
  it("matches the get-vanilla vector of the AWS SigV4 test suite", async () => {
    // Prepare
    const request = { method: "GET", url: new URL("https://example.amazonaws.com/"), headers: {} };
    // Act
    const headers = await signRequest(request, suite);
    // Assess
    expect(headers["x-amz-date"]).toBe("20150830T123600Z");
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("matches the post-vanilla vector of the AWS SigV4 test suite", async () => {
    // Prepare
    const request = { method: "POST", url: new URL("https://example.amazonaws.com/"), headers: {} };
    // Act
    const headers = await signRequest(request, suite);
    // Assess
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
    );
  });

  it.each([
    ["GET with a sorted and encoded query", "GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/models?limit=5&nextToken=a%2Bb%3D%3D&a=1", ""],
    ["POST with a JSON body and a session token", "POST", "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/models/churn/versions", '{"artifactUri":"s3://b/k","metrics":{"auc":0.9}}'],
    ["a path with characters to escape", "GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/models/a%20b/drift-checks/x:y", ""],
  ])("agrees with the documented algorithm for %s", async (_name, method, href, body) => {
    // Prepare
    const url = new URL(href);
    const credentials = { ...suite.credentials, sessionToken: "FQoGZXIvYXdzEXAMPLE//token" };
    const headers = { "content-type": "application/json", "idempotency-key": "k-1" };
    // Act
    const ours = await signRequest({ method, url, headers, body }, { credentials, region: "eu-west-1", now: suite.now });
    // Assess
    expect(ours.authorization).toBe(referenceAuthorization(method, url, headers, body, credentials, "eu-west-1", suite.now));
    expect(ours["x-amz-security-token"]).toBe(credentials.sessionToken);
    expect(ours.host).toBe(url.host);
  });

  it("changes the signature when the body changes (the payload hash is signed)", async () => {
    // Prepare
    const url = new URL("https://example.amazonaws.com/models");
    // Act
    const a = (await signRequest({ method: "POST", url, headers: {}, body: '{"a":1}' }, suite)).authorization;
    const b = (await signRequest({ method: "POST", url, headers: {}, body: '{"a":2}' }, suite)).authorization;
    // Assess
    expect(a).not.toBe(b);
  });

  it("replaces an authorization header the caller passed", async () => {
    // Act
    const headers = await signRequest({ method: "GET", url: new URL("https://example.amazonaws.com/"), headers: { Authorization: "stale" } }, suite);
    // Assess
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
  });
});
