/**
 * AWS Signature Version 4 for HTTP requests (header form), with node:crypto only.
 *
 * Canonical request = method, canonical URI (each path segment URI-encoded — a second time, as every
 * service but S3 expects), sorted and encoded query, lower-cased sorted headers, the signed header list
 * and the hex SHA-256 of the body; string to sign = `AWS4-HMAC-SHA256`, the time, the scope
 * `{date}/{region}/{service}/aws4_request` and the hash of the canonical request; the key is the chain
 * HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
 * Agrees with the AWS SigV4 test suite (`get-vanilla`) and with `@smithy/signature-v4`.
 * Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash, createHmac } from "node:crypto";

/** AWS credentials. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A request to sign. */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Headers to send; `host` and `x-amz-date` are added. */
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Signing parameters. */
export interface SignOptions {
  readonly credentials: AwsCredentials;
  readonly region: string;
  /** @default "execute-api" */
  readonly service?: string;
  /** @default new Date() */
  readonly now?: Date;
}

const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data, "utf8").digest();

/** RFC 3986 encoding: everything but unreserved characters. */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalUri(pathname: string): string {
  if (pathname === "" || pathname === "/") return "/";
  return pathname.split("/").map(rfc3986).join("/");
}

function canonicalQuery(params: URLSearchParams): string {
  const pairs = [...params].map(([k, v]) => [rfc3986(k), rfc3986(v)] as const);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** `20150830T123600Z`. */
export function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * Signs a request: returns its headers with `host`, `x-amz-date`, `x-amz-security-token` (temporary
 * credentials) and `authorization` set.
 * @example
 * signRequest({ method: "GET", url: new URL("https://abc.execute-api.eu-west-1.amazonaws.com/v1/models"), headers: {} },
 *   { credentials, region: "eu-west-1" }).authorization; // → "AWS4-HMAC-SHA256 Credential=AKIA…/20250101/eu-west-1/execute-api/aws4_request, …"
 */
export function signRequest(request: SignableRequest, options: SignOptions): Record<string, string> {
  const service = options.service ?? "execute-api";
  const time = amzDate(options.now ?? new Date());
  const date = time.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  headers.host = request.url.host;
  headers["x-amz-date"] = time;
  if (options.credentials.sessionToken) headers["x-amz-security-token"] = options.credentials.sessionToken;
  delete headers.authorization;

  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, " ")}\n`).join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.url.pathname),
    canonicalQuery(request.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body ?? ""),
  ].join("\n");
  const scope = `${date}/${options.region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", time, scope, sha256Hex(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${options.credentials.secretAccessKey}`, date), options.region), service), "aws4_request");
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
