/**
 * The emulator write queue (lambdas/local/moto-compat.ts): a write runs alone, an item read waits for it,
 * and a table description (what `/health` probes) does not wait at all.
 */
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { serializeDynamoCalls } from "../../../lambdas/local/moto-compat.js";

/** A client whose transport answers `{}` after `delayMs` for writes, at once otherwise, recording the order of completions. */
function fakeClient(delayMs: number): { client: DynamoDBClient; done: string[] } {
  const done: string[] = [];
  const client = new DynamoDBClient({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        const target = request.headers["x-amz-target"] ?? "";
        if (target.endsWith("PutItem")) await new Promise((r) => setTimeout(r, delayMs));
        done.push(target.split(".").pop() ?? target);
        const body = target.endsWith("DescribeTable") ? { Table: { TableName: "t" } } : {};
        return { response: { statusCode: 200, headers: { "content-type": "application/x-amz-json-1.0" }, body: new Uint8Array(Buffer.from(JSON.stringify(body))) } };
      },
    } as never,
  });
  serializeDynamoCalls(client);
  return { client, done };
}

describe("serializeDynamoCalls", () => {
  it("an item read waits for a write in flight; a table description does not", async () => {
    // Prepare
    const { client, done } = fakeClient(300);
    // Act: a slow write, then a read and a description sent while it is in flight
    const write = client.send(new PutItemCommand({ TableName: "t", Item: { pk: { S: "a" } } }));
    await new Promise((r) => setTimeout(r, 20));
    const describeTable = client.send(new DescribeTableCommand({ TableName: "t" }));
    const read = client.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: "a" } } }));
    await Promise.all([write, read, describeTable]);
    // Assess: the description finished before the 300 ms write, the read only after it
    expect(done).toEqual(["DescribeTable", "PutItem", "GetItem"]);
  });
});
