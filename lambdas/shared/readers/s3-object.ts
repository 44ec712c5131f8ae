/**
 * One S3 object's bytes: `s3://bucket/key` URIs, ranged reads, and the object streamed in chunks
 * (gunzipped when it is gzip) or in text lines, a body that stalls or breaks off half-way resumed where it
 * stopped. The readers of s3-source.ts build tables on these.
 */
import { createGunzip } from "node:zlib";
import { Readable, pipeline } from "node:stream";
import { NotFoundError, UnprocessableError, ValidationError } from "../errors.js";
import { loadS3 } from "../sdk/s3.js";

/** A bucket and key (or key prefix). */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** One listed object. */
export interface S3ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

const uriPattern = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/**
 * Splits an `s3://bucket/key` URI.
 * @throws {ValidationError} when it is not one.
 */
export function parseS3Uri(uri: string): S3Location {
  const m = uriPattern.exec(uri);
  if (!m) throw new ValidationError(`"${uri.slice(0, 200)}" is not an s3://bucket/key URI`);
  return { bucket: m[1], key: m[2] ?? "" };
}

/** Maps S3's not-found and access-denied errors to mlwatch's; anything else is thrown as it is. */
export function s3Failure(err: unknown, what: string): never {
  const name = (err as { name?: string })?.name ?? "";
  if (name === "NoSuchBucket" || name === "NoSuchKey" || name === "NotFound") throw new NotFoundError(`${what} does not exist`, { cause: err });
  if (name === "AccessDenied" || name === "Forbidden") {
    throw new UnprocessableError(`${what} cannot be read by mlwatch (access denied: add its bucket to the dataBuckets setting)`, { cause: err });
  }
  throw err;
}

export const isGzipKey = (key: string): boolean => key.toLowerCase().endsWith(".gz");

/** Bytes `start` to `end` (exclusive) of an object. */
export async function getRange(ref: S3ObjectRef, start: number, end: number): Promise<Uint8Array> {
  const { GetObjectCommand, s3Client } = await loadS3();
  try {
    const out = await s3Client().send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, Range: `bytes=${start}-${end - 1}` }));
    return await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  } catch (err) {
    return s3Failure(err, `s3://${ref.bucket}/${ref.key}`);
  }
}

/** Times a read is resumed after its body stream fails half-way (see {@link objectChunks}). */
export const maxReadResumes = 3;

// A connection that stalled (the client's idle timeout, lambdas/shared/aws/common.ts) or broke off.
const isBrokenStream = (err: unknown): boolean => {
  const { name, code } = (err ?? {}) as { name?: string; code?: string };
  return name === "TimeoutError" || code === "ECONNRESET" || code === "EPIPE" || code === "ETIMEDOUT";
};

/**
 * An object's raw bytes. When the body stream stalls or breaks off after the response began (the SDK
 * retries only until then), the read goes on from the next byte with a ranged GET pinned to the first
 * response's ETag, up to {@link maxReadResumes} times, so a flaky connection neither hangs the job nor
 * restarts it, and a changed object is never stitched to the old one.
 */
async function* rawObjectChunks(ref: S3ObjectRef): AsyncGenerator<Uint8Array> {
  const { GetObjectCommand, s3Client } = await loadS3();
  const uri = `s3://${ref.bucket}/${ref.key}`;
  let received = 0;
  let length: number | undefined;
  let etag: string | undefined;
  for (let resumes = 0; ; resumes++) {
    let body: Readable;
    try {
      const resume = received > 0 ? { Range: `bytes=${received}-`, IfMatch: etag } : {};
      const out = await s3Client().send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...resume }));
      if (received === 0) {
        length = out.ContentLength;
        etag = out.ETag;
      }
      body = out.Body as Readable;
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name === "PreconditionFailed") throw new UnprocessableError(`${uri} changed while it was being read; run again`, { cause: err });
      return s3Failure(err, uri);
    }
    try {
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        received += chunk.length;
        yield chunk;
      }
      return;
    } catch (err) {
      if (!isBrokenStream(err) || resumes >= maxReadResumes || (length !== undefined && received >= length)) throw err;
    }
  }
}

/**
 * Streams an object's bytes, gunzipped when it is gzip (by extension or by its magic number). A body that
 * stalls or breaks off half-way is resumed where it stopped (see {@link rawObjectChunks}).
 */
export async function* objectChunks(ref: S3ObjectRef): AsyncGenerator<Uint8Array> {
  const raw = rawObjectChunks(ref);
  const first = await raw.next();
  if (first.done) return;
  const head = first.value;
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    yield head;
    yield* raw;
  };
  if (isGzipKey(ref.key) || (head[0] === 0x1f && head[1] === 0x8b)) {
    // pipeline, not pipe: a read that fails must fail the gunzipped stream too, not leave it waiting.
    yield* pipeline(Readable.from(rest()), createGunzip(), () => undefined);
    return;
  }
  yield* rest();
}

/** Streams an object's text lines (UTF-8, `\n` or `\r\n`), without holding the whole object. */
export function objectLines(ref: S3ObjectRef): AsyncGenerator<string> {
  return textLines(objectChunks(ref));
}

/** The text lines of a byte stream (UTF-8, `\n` or `\r\n`, a leading BOM dropped). */
export async function* textLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let rest = "";
  let first = true;
  for await (const chunk of chunks) {
    let text = rest + decoder.decode(chunk, { stream: true });
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    let nl = text.indexOf("\n", start);
    while (nl !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield text.slice(start, end);
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest.endsWith("\r")) rest = rest.slice(0, -1);
  if (rest.length > 0) yield rest;
}
