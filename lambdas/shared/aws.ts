/**
 * AWS SDK v3 clients, created once per module and shared by every store.
 * All of them honour `AWS_ENDPOINT_URL` (the emulator in local mode and tests); S3 then needs path-style URLs.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { safeWriteInput } from "./safe-marshall.js";

const endpointOverride = (): boolean => Boolean(process.env.AWS_ENDPOINT_URL);

// Transient errors are retried by the SDK; three attempts keep a Lambda well within its timeout.
const common = { maxAttempts: 3 } as const;

let s3: S3Client | undefined;
let ddb: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;
let sns: SNSClient | undefined;
let cw: CloudWatchClient | undefined;
let logs: CloudWatchLogsClient | undefined;

/** The S3 client (path-style when an endpoint override is set). */
export function s3Client(): S3Client {
  s3 ??= new S3Client({ ...common, forcePathStyle: endpointOverride() });
  return s3;
}

let presignS3: S3Client | undefined;

/**
 * The S3 client for presigned URLs. It adds no default checksum: otherwise the SDK bakes the CRC32 of an
 * empty body into a presigned PUT URL (`x-amz-checksum-crc32=AAAAAA==`) and S3 rejects the real upload.
 */
export function presignS3Client(): S3Client {
  presignS3 ??= new S3Client({ ...common, forcePathStyle: endpointOverride(), requestChecksumCalculation: "WHEN_REQUIRED" });
  return presignS3;
}

/** The low-level DynamoDB client. */
export function dynamoClient(): DynamoDBClient {
  ddb ??= new DynamoDBClient(common);
  return ddb;
}

/**
 * The DynamoDB document client: plain JS values in and out, undefined attributes dropped. Every write's
 * attribute values pass through {@link safeWriteInput} first, so maps keyed by callers (`constructor`,
 * `toString`, …) are written as data, never read as structure (safe-marshall.ts).
 */
export function documentClient(): DynamoDBDocumentClient {
  if (!doc) {
    doc = DynamoDBDocumentClient.from(dynamoClient(), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    doc.middlewareStack.add((next) => async (args) => next({ ...args, input: safeWriteInput(args.input as Record<string, unknown>) }), {
      step: "initialize",
      name: "mlwatchSafeUserMaps",
    });
  }
  return doc;
}

/** The SNS client. */
export function snsClient(): SNSClient {
  sns ??= new SNSClient(common);
  return sns;
}

/** The CloudWatch (metrics) client. */
export function cloudWatchClient(): CloudWatchClient {
  cw ??= new CloudWatchClient(common);
  return cw;
}

/** The CloudWatch Logs client. */
export function logsClient(): CloudWatchLogsClient {
  logs ??= new CloudWatchLogsClient(common);
  return logs;
}

/** Forgets every client, so the next call builds new ones (tests that change the endpoint). */
export function resetClients(): void {
  s3 = undefined;
  presignS3 = undefined;
  ddb = undefined;
  doc = undefined;
  sns = undefined;
  cw = undefined;
  logs = undefined;
}
