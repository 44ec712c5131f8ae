/**
 * Presigned S3 URLs (artifact uploads and downloads), loaded on first use (`await loadPresigner()`,
 * lambdas/shared/sdk/*.ts): only the routes that hand out a URL evaluate the presigner.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { clientDefaults, endpointOverride } from "./common.js";

export { getSignedUrl } from "@aws-sdk/s3-request-presigner";

let presignS3: S3Client | undefined;

/**
 * The S3 client for presigned URLs. It adds no default checksum: otherwise the SDK bakes the CRC32 of an
 * empty body into a presigned PUT URL (`x-amz-checksum-crc32=AAAAAA==`) and S3 rejects the real upload.
 */
export function presignS3Client(): S3Client {
  presignS3 ??= new S3Client({ ...clientDefaults(), forcePathStyle: endpointOverride(), requestChecksumCalculation: "WHEN_REQUIRED" });
  return presignS3;
}

/** Forgets the client (tests that change the endpoint). */
export function resetPresign(): void {
  presignS3 = undefined;
}
