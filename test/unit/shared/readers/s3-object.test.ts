/**
 * Reading one S3 object when the connection misbehaves: a body that breaks off or stalls half-way is
 * resumed from the next byte (ranged GET pinned to the ETag), a read that keeps failing ends with an error
 * instead of hanging, and a changed object is refused. The endpoint is a small HTTP server on the loopback
 * standing in for S3 (the emulator cannot be made to stall); the client's idle timeout is shortened here
 * so a stall costs a fraction of a second.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("../../../../lambdas/shared/aws/common.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../../lambdas/shared/aws/common.js")>();
  const short = { connectMs: 1_000, idleMs: 300 };
  return { ...actual, httpTimeouts: () => short, clientDefaults: (timeouts = short) => actual.clientDefaults(timeouts) };
});

const { resetS3 } = await import("../../../../lambdas/shared/aws/s3.js");
const { clientDefaults } = await import("../../../../lambdas/shared/aws/common.js");
const { maxReadResumes, objectChunks } = await import("../../../../lambdas/shared/readers/s3-object.js");
const { UnprocessableError } = await import("../../../../lambdas/shared/errors.js");

/** What the stand-in does with the n-th GET (0-based) of the object: answer whole, or misbehave. */
type Behaviour = (n: number, req: IncomingMessage, res: ServerResponse) => void;

const ETAG = '"etag-1"';
let server: Server;
let behaviour: Behaviour;
let requests: { range?: string; ifMatch?: string }[] = [];
const saved = { ...process.env };

/** Sends `body` from the byte the request's Range names; `cut` bytes only, then breaks off or stalls. */
function send(res: ServerResponse, req: IncomingMessage, body: Buffer, cut?: { bytes: number; then: "break" | "stall" }): void {
  const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? "")?.[1] ?? 0);
  const rest = body.subarray(from);
  res.writeHead(from > 0 ? 206 : 200, { "content-length": String(rest.length), etag: ETAG, "content-type": "application/octet-stream" });
  if (!cut) {
    res.end(rest);
    return;
  }
  res.write(rest.subarray(0, cut.bytes));
  if (cut.then === "break") setTimeout(() => res.socket?.destroy(), 20);
}

const read = async (key: string): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const chunk of objectChunks({ bucket: "bucket", key, size: 0, lastModified: new Date(0) })) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
};

const data = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `${i},${(i * 0.37).toFixed(3)}\n`).join(""));

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method !== "GET") {
      res.writeHead(405).end();
      return;
    }
    requests.push({ range: req.headers.range, ifMatch: req.headers["if-match"] as string | undefined });
    behaviour(requests.length - 1, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  Object.assign(process.env, { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  resetS3();
});

afterEach(() => {
  requests = [];
  server.closeAllConnections();
});

afterAll(async () => {
  resetS3();
  process.env = saved;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("objectChunks on a connection that misbehaves", () => {
  it("resumes a body that breaks off half-way from the next byte, pinned to the first ETag", async () => {
    // Prepare: the first GET sends 10,000 bytes and drops the connection
    behaviour = (n, req, res) => send(res, req, data, n === 0 ? { bytes: 10_000, then: "break" } : undefined);
    // Act
    const bytes = await read("data.csv");
    // Assess
    expect(bytes.equals(data)).toBe(true);
    expect(requests).toEqual([{}, { range: "bytes=10000-", ifMatch: ETAG }]);
  });

  it("resumes a body that stalls (the client's idle timeout) instead of waiting for ever", async () => {
    behaviour = (n, req, res) => send(res, req, data, n < 2 ? { bytes: 5_000, then: "stall" } : undefined);
    const started = performance.now();
    const bytes = await read("data.csv");
    expect(bytes.equals(data)).toBe(true);
    expect(requests.map((r) => r.range)).toEqual([undefined, "bytes=5000-", "bytes=10000-"]);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it("resumes the compressed bytes of a gzip object, and gunzips the whole", async () => {
    const gz = gzipSync(data);
    behaviour = (n, req, res) => send(res, req, gz, n === 0 ? { bytes: Math.floor(gz.length / 2), then: "break" } : undefined);
    const bytes = await read("data.csv.gz");
    expect(bytes.equals(data)).toBe(true);
    expect(requests[1].range).toBe(`bytes=${Math.floor(gz.length / 2)}-`);
  });

  it(`gives up with an error after ${maxReadResumes} resumes, for a plain and a gzip object`, async () => {
    behaviour = (_n, req, res) => send(res, req, data, { bytes: 1_000, then: "stall" });
    await expect(read("data.csv")).rejects.toMatchObject({ name: "TimeoutError" });
    expect(requests).toHaveLength(1 + maxReadResumes);
    requests = [];
    const gz = gzipSync(data);
    behaviour = (_n, req, res) => send(res, req, gz, { bytes: 100, then: "break" });
    await expect(read("data.csv.gz")).rejects.toThrow();
    expect(requests).toHaveLength(1 + maxReadResumes);
  });

  it("refuses to stitch an object that changed between the first read and the resume", async () => {
    behaviour = (n, req, res) => {
      if (n === 0) send(res, req, data, { bytes: 1_000, then: "break" });
      else res.writeHead(412, { "content-type": "application/xml" }).end("<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>");
    };
    const err = await read("data.csv").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnprocessableError);
    expect((err as Error).message).toMatch(/changed while it was being read/);
  });

  it("fails a request whose response never begins after the SDK's attempts, not never", async () => {
    behaviour = () => undefined; // the request is read, no answer comes
    const started = performance.now();
    // Act: every attempt times out (an attempt on a socket the last test's server closed may fail sooner)
    const err = await read("data.csv").catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: "TimeoutError", $metadata: { attempts: clientDefaults().maxAttempts } });
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe("clientDefaults", () => {
  it("gives every client a finite connection and idle timeout, against AWS and against the emulator", async () => {
    const actual = await vi.importActual<typeof import("../../../../lambdas/shared/aws/common.js")>("../../../../lambdas/shared/aws/common.js");
    const endpoint = process.env.AWS_ENDPOINT_URL;
    try {
      for (const url of [undefined, endpoint]) {
        if (url === undefined) delete process.env.AWS_ENDPOINT_URL;
        else process.env.AWS_ENDPOINT_URL = url;
        const { requestHandler } = actual.clientDefaults();
        expect(requestHandler.connectionTimeout).toBeGreaterThan(0);
        expect(requestHandler.socketTimeout).toBeGreaterThan(0);
        expect(requestHandler.socketTimeout).toBeLessThanOrEqual(300_000);
      }
    } finally {
      process.env.AWS_ENDPOINT_URL = endpoint;
    }
  });
});
