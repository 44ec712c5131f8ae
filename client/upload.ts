/**
 * Artifact uploads to the registry's presigned PUT URLs: the bytes of a file (streamed, never held whole in
 * memory) or a buffer, with the headers the storage needs — `content-type: application/octet-stream` (a
 * client's default form type makes some S3 emulators read the body as a form and store nothing),
 * `content-length` (S3 refuses a chunked PUT) and `content-md5`, so the storage itself refuses bytes changed
 * on the way. The registry presigns without a flexible checksum (lambdas/shared/aws/presign.ts): the URL
 * signs only `host`, and a URL that signs a header this client cannot produce is refused before sending.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { MlwatchUploadError } from "./errors.js";

/** The bytes to upload: a local file's path, or the bytes themselves. */
export type ArtifactSource = string | Uint8Array;

/** A presigned upload as the registry answers it. */
export interface PresignedUpload {
  readonly url: string;
  readonly method: "PUT";
  readonly expiresAt: string;
}

/** Options of {@link MlwatchClient.uploadArtifact}. */
export interface UploadArtifactOptions {
  /** The upload the registration answered (`registered.upload`); a new one is asked for when it is missing or expires within a minute. @default a new upload URL (`createArtifactUploadUrl`) */
  readonly upload?: PresignedUpload | undefined;
  /** Timeout of the PUT. @default 900000 (15 minutes) */
  readonly timeoutMs?: number | undefined;
}

/** What was sent: size and checksums of the bytes. */
export interface SentArtifact {
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly md5Base64: string;
}

/** Headers this client sets itself; a URL that signs any other header cannot be used. */
const producedHeaders = new Set(["host", "content-type", "content-length", "content-md5"]);

/** Whether an upload still has at least `marginMs` of life. */
export function uploadUsable(upload: PresignedUpload | undefined, marginMs = 60_000, now = Date.now()): upload is PresignedUpload {
  return upload !== undefined && Date.parse(upload.expiresAt) - now > marginMs;
}

/** Size, sha256 and MD5 of the source (a file is read once, streamed). */
export async function digestArtifact(source: ArtifactSource): Promise<SentArtifact> {
  const sha = createHash("sha256");
  const md5 = createHash("md5");
  let sizeBytes = 0;
  if (typeof source === "string") {
    for await (const chunk of createReadStream(source)) {
      sha.update(chunk as Buffer);
      md5.update(chunk as Buffer);
      sizeBytes += (chunk as Buffer).length;
    }
    // A file that grew or shrank between the digest and the PUT would fail content-length or content-md5.
    if ((await stat(source)).size !== sizeBytes) throw new MlwatchUploadError(`${source} changed while it was read`);
  } else {
    sha.update(source);
    md5.update(source);
    sizeBytes = source.byteLength;
  }
  return { sizeBytes, sha256: sha.digest("hex"), md5Base64: md5.digest("base64") };
}

/**
 * PUTs the source to a presigned URL.
 * @throws {MlwatchUploadError} when the URL signs a header this client does not set, or the storage refuses the PUT
 */
export async function putArtifact(fetchFn: typeof fetch, upload: PresignedUpload, source: ArtifactSource, sent: SentArtifact, timeoutMs: number): Promise<void> {
  const url = new URL(upload.url);
  const signed = (url.searchParams.get("X-Amz-SignedHeaders") ?? "host").toLowerCase().split(";");
  const unknown = signed.filter((h) => !producedHeaders.has(h));
  if (unknown.length > 0) throw new MlwatchUploadError(`the upload URL signs ${unknown.join(", ")}, which this client does not send; ask the registry for a new URL`);
  const headers = { "content-type": "application/octet-stream", "content-length": String(sent.sizeBytes), "content-md5": sent.md5Base64 };
  const body = typeof source === "string" ? (Readable.toWeb(createReadStream(source)) as ReadableStream<Uint8Array>) : source;
  let res: Response;
  try {
    res = await fetchFn(url, { method: upload.method, headers, body, duplex: "half", signal: AbortSignal.timeout(timeoutMs) } as RequestInit);
  } catch (err) {
    throw new MlwatchUploadError(`the artifact upload got no answer from ${url.host} (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (!res.ok) {
    const text = (await res.text()).slice(0, 300);
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    throw new MlwatchUploadError(`the storage refused the artifact upload with HTTP ${res.status}${code ? ` ${code}` : ""}`, { status: res.status });
  }
  await res.body?.cancel();
}
