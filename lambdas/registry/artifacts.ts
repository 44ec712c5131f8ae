/**
 * Model artifacts in S3: check that an `s3://` object exists, checksum it by streaming (sha256), hand out
 * presigned upload URLs (each to a key of its own under `artifact-uploads/`), move an upload to the
 * artifact's key when it is verified, and delete what the registry owns.
 *
 * Checksumming reads the whole object once (memory stays constant; time grows with size, roughly the
 * S3 read throughput of one Lambda — tens to a few hundred MB/s).
 */
import { createHash, randomUUID } from "node:crypto";
import { bucketKeys } from "../shared/buckets.js";
import { EmptyArtifactError, UnprocessableError } from "../shared/errors.js";
import { serviceLogger } from "../shared/logger.js";
import { s3UriPattern } from "./contract/requests.js";
import { copyObjectIfMatch, deleteObjectsUnder, headObject, newestObjectUnder, objectBody, presignPut, type S3Location } from "./store/objects.js";

export type { S3Location } from "./store/objects.js";

/** Lifetime of a presigned upload URL. */
export const uploadUrlSeconds = 3600;

/** What the registry records about an artifact object. */
export interface ObjectFacts {
  readonly sizeBytes: number;
  readonly etag: string;
  readonly sha256: string;
}

/** Splits `s3://bucket/key`. @throws UnprocessableError when it is not one. */
export function parseS3Uri(uri: string): S3Location {
  const m = s3UriPattern.exec(uri);
  if (!m) throw new UnprocessableError(`${uri.slice(0, 80)} is not an s3://bucket/key URI`);
  return { bucket: m[1], key: m[2] };
}

/** The `s3://` URI of a location. */
export function s3Uri(loc: S3Location): string {
  return `s3://${loc.bucket}/${loc.key}`;
}

/** The prefix under the data bucket that holds a version's uploaded (owned) artifacts. */
export function ownedPrefix(model: string, version: string): string {
  return bucketKeys.artifactPrefix(model, version);
}

function describeS3Error(err: unknown, uri: string): UnprocessableError {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (status === 404 || e.name === "NotFound" || e.name === "NoSuchKey" || e.name === "NoSuchBucket") {
    return new UnprocessableError(`artifact ${uri} does not exist`, { cause: err });
  }
  if (status === 403 || e.name === "AccessDenied" || e.name === "Forbidden") {
    return new UnprocessableError(`the registry cannot read ${uri} (access denied); grant its role s3:GetObject on that object`, { cause: err });
  }
  if (status === 412 || e.name === "PreconditionFailed") {
    return new UnprocessableError(`artifact ${uri} changed while it was being checksummed; retry`, { cause: err });
  }
  return new UnprocessableError(`could not read artifact ${uri}: ${e.name ?? "error"}`, { cause: err });
}

/**
 * Reads an object's size, ETag and sha256 (streamed). The read is pinned to the ETag seen by HEAD, so an
 * object replaced mid-way fails instead of yielding a checksum of something else.
 * @throws UnprocessableError when the object does not exist, cannot be read, or changes while read.
 */
export async function inspectObject(loc: S3Location): Promise<ObjectFacts> {
  const uri = s3Uri(loc);
  let sizeBytes: number;
  let etag: string;
  try {
    ({ sizeBytes, etag } = await headObject(loc));
  } catch (err) {
    throw describeS3Error(err, uri);
  }
  try {
    const sha256 = await sha256Of(loc, etag);
    return { sizeBytes, etag, sha256 };
  } catch (err) {
    throw describeS3Error(err, uri);
  }
}

async function sha256Of(loc: S3Location, etag: string): Promise<string> {
  const body = await objectBody(loc, etag);
  const hash = createHash("sha256");
  if (body) {
    for await (const chunk of body) hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}

/**
 * A new place for one presigned upload of a version's owned artifact:
 * `artifact-uploads/{model}/{version}/{uploadId}/{file}`. A URL never names the artifact's own key, so a URL
 * still valid after verification (S3 honours it until it expires) writes only where nothing reads any more.
 */
export function uploadLocation(model: string, version: string, artifact: S3Location): S3Location {
  const file = artifact.key.slice(artifact.key.lastIndexOf("/") + 1);
  return { bucket: artifact.bucket, key: `${bucketKeys.artifactUploadPrefix(model, version)}${randomUUID()}/${file}` };
}

/** The newest upload of a version's artifact (several URLs may have been used), or undefined when none arrived. */
async function newestUpload(model: string, version: string, bucket: string): Promise<S3Location | undefined> {
  const key = await newestObjectUnder(bucket, bucketKeys.artifactUploadPrefix(model, version));
  return key === undefined ? undefined : { bucket, key };
}

/** Size, ETag and sha256 of the bytes uploaded for a pending artifact: its newest upload, else the artifact's own key. */
export async function inspectUpload(model: string, version: string, artifactUri: string): Promise<ObjectFacts> {
  const artifact = parseS3Uri(artifactUri);
  return inspectObject((await newestUpload(model, version, artifact.bucket)) ?? artifact);
}

/**
 * Moves the bytes uploaded for a pending artifact to the artifact's own key and answers their size, ETag and
 * sha256: the newest upload is checksummed, copied (pinned to the ETag checksummed, one CopyObject: an
 * upload through a presigned PUT is at most 5 GB, CopyObject's limit too), and every upload of the version
 * deleted. Without an upload, the artifact's own key is checksummed as it is (written by a caller with S3
 * access, or by an earlier settle whose record was not committed).
 * @throws UnprocessableError when nothing was uploaded, or the upload changed while it was read
 */
export async function settleUpload(model: string, version: string, artifactUri: string): Promise<ObjectFacts> {
  const artifact = parseS3Uri(artifactUri);
  const upload = await newestUpload(model, version, artifact.bucket);
  if (upload === undefined) return inspectObject(artifact);
  const facts = await inspectObject(upload);
  let etag: string;
  try {
    etag = (await copyObjectIfMatch(upload, artifact, facts.etag)) ?? facts.etag;
  } catch (err) {
    throw describeS3Error(err, s3Uri(upload));
  }
  await deletePrefix(artifact.bucket, bucketKeys.artifactUploadPrefix(model, version));
  return { ...facts, etag };
}

/** A presigned PUT URL for `loc`, valid for {@link uploadUrlSeconds}. */
export async function presignUpload(loc: S3Location): Promise<{ url: string; expiresAt: string }> {
  const url = await presignPut(loc, uploadUrlSeconds);
  return { url, expiresAt: new Date(Date.now() + uploadUrlSeconds * 1000).toISOString() };
}

/**
 * Deletes every object under a prefix of the data bucket (a version's owned artifacts).
 * @returns whether everything was deleted; failures are logged, not thrown (the record is already gone).
 */
export async function deletePrefix(bucket: string, prefix: string): Promise<boolean> {
  try {
    await deleteObjectsUnder(bucket, prefix);
    return true;
  } catch (err) {
    serviceLogger("registry").error("owned artifact not deleted", { bucket, prefix, error: err as Error });
    return false;
  }
}

/**
 * Refuses a 0-byte artifact unless the registration allowed one: an empty object is almost always a failed
 * upload (a client that sent no body), and its checksum would be recorded as if it were the model.
 * @throws EmptyArtifactError
 */
export function refuseEmptyArtifact(sizeBytes: number, allowed: boolean, what: string): void {
  if (sizeBytes === 0 && !allowed) {
    throw new EmptyArtifactError(`${what} is 0 bytes: upload the file again (PUT its bytes to the upload URL), or register with allowEmptyArtifact: true if an empty artifact is intended`);
  }
}
