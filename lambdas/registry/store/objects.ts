/**
 * S3 objects the registry reads and writes: model artifacts and dataset files (HEAD, a whole or ranged
 * read pinned to an ETag, a presigned PUT, deleting a prefix). SDK errors are thrown as they come: the
 * domain modules (artifacts.ts, dataset-schema.ts, approval-evidence.ts) say what each means.
 */
import type { Readable } from "node:stream";
import { loadPresigner } from "../../shared/sdk/presign.js";
import { loadS3 } from "../../shared/sdk/s3.js";

/** A located S3 object. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/** An object's size and ETag (unquoted) as HEAD answers them. */
export async function headObject(loc: S3Location): Promise<{ sizeBytes: number; etag: string }> {
  const { HeadObjectCommand, s3Client } = await loadS3();
  const head = await s3Client().send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
  return { sizeBytes: Number(head.ContentLength ?? 0), etag: (head.ETag ?? "").replace(/"/g, "") };
}

/** An object's bytes as a stream, pinned to `etag` when one is given (a replaced object fails the read). */
export async function objectBody(loc: S3Location, etag: string | undefined): Promise<Readable | undefined> {
  const { GetObjectCommand, s3Client } = await loadS3();
  const res = await s3Client().send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, IfMatch: etag ? `"${etag}"` : undefined }));
  return res.Body as Readable | undefined;
}

/** Bytes `start`…`last` (inclusive) of an object, pinned to `etag`. */
export async function objectRange(loc: S3Location, start: number, last: number, etag: string): Promise<ArrayBuffer> {
  const { GetObjectCommand, s3Client } = await loadS3();
  const res = await s3Client().send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, Range: `bytes=${start}-${last}`, IfMatch: `"${etag}"` }));
  const bytes = await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A presigned PUT URL for `loc`, valid `expiresIn` seconds. */
export async function presignPut(loc: S3Location, expiresIn: number): Promise<string> {
  const { getSignedUrl, presignS3Client } = await loadPresigner();
  const { PutObjectCommand } = await loadS3();
  return getSignedUrl(presignS3Client(), new PutObjectCommand({ Bucket: loc.bucket, Key: loc.key }), { expiresIn });
}

/** Deletes every object under `prefix` of `bucket`. @throws when a page or an object could not be deleted */
export async function deleteObjectsUnder(bucket: string, prefix: string): Promise<void> {
  const { DeleteObjectsCommand, ListObjectsV2Command, s3Client } = await loadS3();
  let token: string | undefined;
  do {
    const page = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    const objects = (page.Contents ?? []).map((o) => ({ Key: o.Key as string }));
    if (objects.length > 0) {
      const res = await s3Client().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
      if ((res.Errors ?? []).length > 0) throw new Error(`${res.Errors?.length} objects not deleted: ${res.Errors?.[0]?.Code}`);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** The key of the newest object under `prefix` (latest LastModified, then the greatest key), or undefined. */
export async function newestObjectUnder(bucket: string, prefix: string): Promise<string | undefined> {
  const { ListObjectsV2Command, s3Client } = await loadS3();
  let newest: { key: string; at: number } | undefined;
  let token: string | undefined;
  do {
    const page = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const at = o.LastModified?.getTime() ?? 0;
      if (o.Key && (newest === undefined || at > newest.at || (at === newest.at && o.Key > newest.key))) newest = { key: o.Key, at };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return newest?.key;
}

/**
 * Copies `from` to `to` in one CopyObject (up to 5 GB), only while `from` still has ETag `etag`; answers the
 * copy's ETag (unquoted) when S3 gives one.
 */
export async function copyObjectIfMatch(from: S3Location, to: S3Location, etag: string): Promise<string | undefined> {
  const { CopyObjectCommand, s3Client } = await loadS3();
  const copied = await s3Client().send(
    new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: `${from.bucket}/${from.key.split("/").map(encodeURIComponent).join("/")}`, CopySourceIfMatch: `"${etag}"` }),
  );
  return copied.CopyObjectResult?.ETag?.replace(/"/g, "");
}
