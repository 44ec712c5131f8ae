/**
 * The S3 client and the commands mlwatch sends with it. Lambda code loads this module on first use
 * (`await loadS3()`, lambdas/shared/sdk/*.ts), so a function whose route never touches S3 never evaluates
 * the S3 SDK; tests and the local server reach the same instance through lambdas/shared/aws.ts.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { clientDefaults, endpointOverride } from "./common.js";
import { countS3Request } from "../usage.js";

export {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";

let s3: S3Client | undefined;

/** The S3 client (path-style when an endpoint override is set). */
export function s3Client(): S3Client {
  if (!s3) {
    s3 = new S3Client({ ...clientDefaults(), forcePathStyle: endpointOverride() });
    // Inside the retry middleware: every attempt is a billed request, and counts in the running check's usage.
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        countS3Request(context.commandName ?? "");
        return next(args);
      },
      { step: "finalizeRequest", priority: "low", name: "mlwatchRequestCount" },
    );
  }
  return s3;
}

/** Forgets the client (tests that change the endpoint). */
export function resetS3(): void {
  s3 = undefined;
}
