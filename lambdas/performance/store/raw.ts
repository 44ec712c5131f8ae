/**
 * Raw batches and requests in S3 (`batches/…`, lifecycle rule `expire-raw-batches`).
 */
import { resourceNames } from "../../shared/env.js";
import { BucketPrefix, bucketKeys } from "../../shared/buckets.js";
import { loadS3 } from "../../shared/sdk/s3.js";

/** Prefix of raw batches in the data bucket (lifecycle rule `expire-raw-batches`). */
export const batchesPrefix = BucketPrefix.batches;

/** The S3 key of a raw batch: `batches/{model}/{version}/{date}/{batchId}.json`. */
export function rawBatchKey(model: string, version: string, date: string, batchId: string): string {
  return bucketKeys.rawBatch(model, version, date, batchId);
}

/** Writes a raw request or batch as JSON; returns its s3:// URI. Failures propagate (the caller answers 500). */
export async function putRawObject(key: string, body: unknown): Promise<string> {
  const { PutObjectCommand, s3Client } = await loadS3();
  const { bucket } = resourceNames();
  await s3Client().send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(body), ContentType: "application/json", ServerSideEncryption: "AES256" }),
  );
  return `s3://${bucket}/${key}`;
}

/**
 * Deletes a raw object written by {@link putRawObject} (a batch whose summary could not be stored). The
 * bucket is versioned: the object disappears at once, its noncurrent version expires with the `batches/`
 * lifecycle rule (7 days).
 */
export async function deleteRawObject(key: string): Promise<void> {
  const { DeleteObjectCommand, s3Client } = await loadS3();
  await s3Client().send(new DeleteObjectCommand({ Bucket: resourceNames().bucket, Key: key }));
}

/** Reads a raw object written by {@link putRawObject}; undefined when it is gone. */
export async function getRawObject(key: string): Promise<Record<string, unknown> | undefined> {
  const { GetObjectCommand, s3Client } = await loadS3();
  try {
    const out = await s3Client().send(new GetObjectCommand({ Bucket: resourceNames().bucket, Key: key }));
    return JSON.parse((await out.Body?.transformToString("utf-8")) ?? "null") as Record<string, unknown>;
  } catch (err) {
    if ((err as { name?: string }).name === "NoSuchKey") return undefined;
    throw err;
  }
}
