/**
 * A proxy in front of the local server that checks each request's SigV4 signature before passing it on —
 * what API Gateway's AWS_IAM authorization does. The expected signature is recomputed by
 * `@smithy/signature-v4` (the AWS SDK's signer) from the headers the request says it signed.
 */
import { createHash, createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { SignatureV4 } from "@smithy/signature-v4";

/** Test credentials every signing client under test uses. */
export const proxyCredentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "example-session-token",
} as const;
export const proxyRegion = "eu-west-1";

/** What the proxy saw of one request. */
export interface SeenRequest {
  readonly request: string;
  readonly signed: boolean;
  readonly valid: boolean;
}

/** A running proxy. */
export interface SigningProxy {
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/** node:crypto behind the checksum interface the signer takes (what @smithy/hash-node does). */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === "string" ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

class NodeSha256 {
  private readonly hash;
  public constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  public update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  public digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

const signer = new SignatureV4({ credentials: proxyCredentials, region: proxyRegion, service: "execute-api", sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
const authPattern = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/execute-api\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

async function signatureValid(method: string, url: URL, headers: Record<string, string>, body: string): Promise<boolean> {
  const auth = headers.authorization ?? "";
  const m = authPattern.exec(auth);
  if (!m || m[1] !== proxyCredentials.accessKeyId || m[3] !== proxyRegion) return false;
  const signedHeaders: Record<string, string> = {};
  for (const name of m[4]!.split(";")) if (headers[name] !== undefined) signedHeaders[name] = headers[name]!;
  const time = headers["x-amz-date"] ?? "";
  const signingDate = new Date(`${time.slice(0, 4)}-${time.slice(4, 6)}-${time.slice(6, 8)}T${time.slice(9, 11)}:${time.slice(11, 13)}:${time.slice(13, 15)}Z`);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signed = await signer.sign(
    { method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port) || undefined, path: url.pathname, query, headers: signedHeaders, body: body === "" ? undefined : body },
    { signingDate },
  );
  return signed.headers.authorization === auth;
}

/** Starts a proxy on a free loopback port that records and checks every request, then forwards it to `target`. */
export async function startSigningProxy(target: string): Promise<SigningProxy> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
        const signed = headers.authorization !== undefined;
        const valid = signed && (await signatureValid(req.method ?? "GET", url, headers, body));
        seen.push({ request: `${req.method} ${url.pathname}`, signed, valid });
        if (!valid) {
          res.writeHead(403, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: "The request signature we calculated does not match the signature you provided." }));
          return;
        }
        const forward: Record<string, string> = { ...headers };
        delete forward.host;
        delete forward["content-length"];
        const answer = await fetch(`${target}${req.url}`, { method: req.method, headers: forward, body: body === "" ? undefined : body });
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
        res.end(Buffer.from(await answer.arrayBuffer()));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
