/**
 * Helpers for the registry's integration tests: put objects into the test stack's bucket, register
 * versions with the fewest fields, and relay the stack's events (retention's follow-ups) to their handlers.
 */
import { createHash } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { bootstrapEventRules, pollRelayOnce } from "../../../lambdas/local/event-relay.js";
import type { TestStack } from "../stack.js";

/** Puts `content` at `key` in the stack's bucket; returns its URI and sha256. */
export async function putObject(stack: TestStack, key: string, content: string | Uint8Array): Promise<{ uri: string; sha256: string; size: number }> {
  const body = typeof content === "string" ? Buffer.from(content) : Buffer.from(content);
  await s3Client().send(new PutObjectCommand({ Bucket: stack.names.bucket, Key: key, Body: body }));
  return { uri: `s3://${stack.names.bucket}/${key}`, sha256: createHash("sha256").update(body).digest("hex"), size: body.length };
}

/** Registers a version with an external artifact; the first call for a model also sets its primary metric. */
export async function register(
  stack: TestStack,
  model: string,
  fields: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const artifact = await putObject(stack, `external/${model}/${Math.random().toString(36).slice(2)}.tar.gz`, `weights of ${model} ${JSON.stringify(fields)}`);
  return stack.call("POST", `/models/${model}/versions`, { artifactUri: artifact.uri, primaryMetric: "auc", direction: "higher", ...fields }, headers);
}

/** Promotes a version and expects success. */
export async function promote(stack: TestStack, model: string, version: string, stage: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await stack.call("POST", `/models/${model}/versions/${version}/promote`, { stage, reason: `to ${stage}`, ...extra });
  if (res.status !== 200) throw new Error(`promote ${model} ${version} → ${stage}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * The stack's EventBridge rules with their relay queues, as the local server creates them; `drain()` hands
 * what the queues hold to the rules' handlers until none is left — retention's follow-ups (`mlwatch
 * Retention Pending` → the registry) among them, including the events a follow-up publishes for the rest.
 */
export async function eventRelay(stack: TestStack): Promise<{ drain(): Promise<number> }> {
  const queues = await bootstrapEventRules(stack.names.table.replace(/-table$/, ""), { alarmPrefix: stack.names.table.replace(/-table$/, ""), table: stack.names.table });
  return {
    async drain() {
      let handled = 0;
      for (let round = 0; round < 100; round++) {
        const n = await pollRelayOnce(queues);
        if (n === 0) return handled;
        handled += n;
      }
      throw new Error("the relay still had events after 100 rounds");
    },
  };
}
