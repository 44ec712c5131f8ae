/**
 * AWS Signature Version 4 for HTTP requests (header form), by the AWS SDK's own signer
 * (`@smithy/signature-v4`): the canonical request, string to sign and key derivation are its; this module
 * only shapes a request for it and hands it SHA-256 and HMAC-SHA256 from node:crypto. Paths are
 * URI-encoded a second time, as every service but S3 (here API Gateway, `execute-api`) expects.
 * Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

/** AWS credentials. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** A request to sign. */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Headers to send; `host` and `x-amz-date` are added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

/** Signing parameters. */
export interface SignOptions {
  readonly credentials: AwsCredentials;
  readonly region: string;
  /** @default "execute-api" */
  readonly service?: string | undefined;
  /** @default new Date() */
  readonly now?: Date | undefined;
}

type Bytes = string | ArrayBuffer | ArrayBufferView;

const toBuffer = (data: Bytes): string | Uint8Array =>
  typeof data === "string" ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** The hash constructor the signer asks for: SHA-256, or HMAC-SHA256 when given a key (node:crypto). */
class NodeSha256 {
  private readonly secret: string | Uint8Array | undefined;
  private hash: Hash | Hmac;

  public constructor(secret?: Bytes) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }

  public update(data: Bytes): void {
    this.hash.update(toBuffer(data));
  }

  public digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  public reset(): void {
    this.hash = this.fresh();
  }
}

/** The query of a URL as the signer takes it (a repeated name becomes a list). */
function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of params) {
    const seen = out[k];
    out[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  return out;
}

/**
 * Signs a request: returns its headers (lower-cased) with `host`, `x-amz-date`, `x-amz-security-token`
 * (temporary credentials) and `authorization` set.
 * @example
 * (await signRequest({ method: "GET", url: new URL("https://abc.execute-api.eu-west-1.amazonaws.com/v1/models"), headers: {} },
 *   { credentials, region: "eu-west-1" })).authorization; // → "AWS4-HMAC-SHA256 Credential=AKIA…/20250101/eu-west-1/execute-api/aws4_request, …"
 */
export async function signRequest(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  delete headers.authorization;
  headers.host = request.url.host;
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
  // Loaded on first use: most `mlwatch` commands (drift on files, help) never sign, and the signer's
  // module tree costs more start-up time than the rest of the CLI.
  const { SignatureV4 } = await import("@smithy/signature-v4");
  const signer = new SignatureV4({
    credentials: sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey },
    region: options.region,
    service: options.service ?? "execute-api",
    sha256: NodeSha256,
    uriEscapePath: true,
    // API Gateway signs the payload hash in the canonical request; no x-amz-content-sha256 header.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port ? { port: Number(request.url.port) } : {}),
      path: request.url.pathname,
      query: queryOf(request.url.searchParams),
      headers,
      body: request.body,
    },
    { signingDate: options.now ?? new Date() },
  );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) out[k.toLowerCase()] = String(v);
  return out;
}
