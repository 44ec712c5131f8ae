/**
 * Per-file test stack: resources with a unique name prefix in the shared emulator, the environment
 * pointed at them, and the same host app the local server runs, called in-process.
 */
import { randomBytes } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { DeleteTopicCommand } from "@aws-sdk/client-sns";
import { DeleteLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import { emulatorEndpoint } from "./emulator.js";
import { callApp } from "../app-call.js";
import { bootstrapResources, exportResourceNames, useEndpoint } from "../../lambdas/local/bootstrap.js";
import { allRoutes } from "../../lambdas/local/services.js";
import { hostApp } from "../../lambdas/shared/http.js";
import { dynamoClient, logsClient, resetClients, s3Client, snsClient } from "../../lambdas/shared/aws.js";
import { serializeDynamoCalls } from "../../lambdas/local/moto-compat.js";
import type { ResourceNames } from "../../lambdas/shared/env.js";

/** A test's own stack in the emulator. */
export interface TestStack {
  readonly endpoint: string;
  readonly names: ResourceNames;
  readonly app: ReturnType<typeof hostApp>;
  /** Sends a request to the app; a non-string body is sent as JSON. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

/** Creates isolated resources for one test file and returns a caller for the app. */
export async function createTestStack(label = "t"): Promise<TestStack> {
  const endpoint = emulatorEndpoint();
  useEndpoint(endpoint);
  resetClients();
  // The emulator's transactions are not atomic under concurrent calls; real DynamoDB's are (see moto-compat).
  serializeDynamoCalls(dynamoClient());
  const prefix = `${label}-${randomBytes(4).toString("hex")}`.toLowerCase();
  const names = await bootstrapResources(prefix, `MLWatchTest/${prefix}`);
  exportResourceNames(names);
  const app = hostApp("test", ...allRoutes);
  return {
    endpoint,
    names,
    app,
    call: (method, path, body, headers = {}) => callApp(app, method, path, body, headers),
  };
}

/**
 * Deletes a test stack's table, bucket (every object version first), topic and audit log group. The
 * emulator lives as long as the run, so this matters for files that make many stacks: what a finished run
 * leaves behind only makes later runs slower and the emulator bigger.
 */
export async function removeTestStack(stack: TestStack): Promise<void> {
  const bucket = stack.names.bucket;
  for (;;) {
    const page = await s3Client().send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key as string, VersionId: v.VersionId }));
    if (objects.length === 0) break;
    await s3Client().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
  }
  await Promise.all([
    s3Client().send(new DeleteBucketCommand({ Bucket: bucket })),
    dynamoClient().send(new DeleteTableCommand({ TableName: stack.names.table })),
    snsClient().send(new DeleteTopicCommand({ TopicArn: stack.names.topicArn })),
    logsClient().send(new DeleteLogGroupCommand({ logGroupName: stack.names.auditLogGroup })),
  ]);
}

/**
 * A new stack for the next of many repeated runs, with the old stack removed: the emulator copies whole
 * tables during transactions and keeps the copies, so stacks kept over hundreds of runs would only make
 * later runs slower and the emulator bigger, not the race under test any different.
 */
export async function replaceStack(old: TestStack, label: string): Promise<TestStack> {
  await removeTestStack(old);
  return createTestStack(label);
}
