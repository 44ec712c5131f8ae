/**
 * Local mode with its own embedded emulator (not the shared test emulator): `GET /health` reports the
 * emulator's process and resident memory, and the emulator runs lambdas/local/moto-patch.ts — a cancelled
 * transaction still leaves nothing behind, transactions on a large table no longer grow its memory, and
 * CloudWatch keeps at most 1,000 data points per metric and answers ListMetrics from one entry per metric.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { CreateTableCommand, DynamoDBClient, TransactWriteItemsCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";

describe("local mode's embedded emulator", () => {
  let server: LocalServer;
  // Clients of this server's own emulator (the shared ones may point at the test run's emulator).
  let ddb: DynamoDBClient;
  let doc: DynamoDBDocumentClient;
  const dynamoClient = (): DynamoDBClient => ddb;
  const documentClient = (): DynamoDBDocumentClient => doc;
  beforeAll(async () => {
    // No endpoint: the server starts and owns an emulator, as `mlwatch serve` does.
    delete process.env.AWS_ENDPOINT_URL;
    server = await startLocalServer({ port: 0, prefix: `emu-${randomBytes(4).toString("hex")}` });
    ddb = new DynamoDBClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    doc = DynamoDBDocumentClient.from(ddb);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const health = async (): Promise<any> => (await fetch(`${server.url}/health`)).json();

  it("GET /health reports the emulator's pid and resident memory", async () => {
    // Act
    const body = await health();
    // Assess: the pid is the moto_server process, and the figure is that process's VmRSS
    expect(server.startedEmulator).toBe(true);
    expect(body.status).toBe("ok");
    const { pid, rssBytes } = body.emulator;
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).toMatch(/moto_server/);
    const procRss = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) * 1024;
    expect(rssBytes).toBeGreaterThan(20 * 2 ** 20);
    expect(Math.abs(rssBytes - procRss) / procRss).toBeLessThan(0.25);
  });

  it("a cancelled transaction restores the items it named (the patch's rollback)", async () => {
    // Prepare
    const table = server.resources.table;
    await documentClient().send(new BatchWriteCommand({ RequestItems: { [table]: [{ PutRequest: { Item: { pk: "T#rollback", sk: "kept", v: 1 } } }] } }));
    // Act: an update of an existing item and a put of a new one, then a failing condition
    const cancelled = await dynamoClient()
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName: table, Key: { pk: { S: "T#rollback" }, sk: { S: "kept" } }, UpdateExpression: "SET v = :two", ExpressionAttributeValues: { ":two": { N: "2" } } } },
            { Put: { TableName: table, Item: { pk: { S: "T#rollback" }, sk: { S: "new" } } } },
            { ConditionCheck: { TableName: table, Key: { pk: { S: "T#rollback" }, sk: { S: "absent" } }, ConditionExpression: "attribute_exists(pk)" } },
          ],
        }),
      )
      .then(() => "committed", (err: Error) => err.name);
    // Assess
    expect(cancelled).toBe("TransactionCanceledException");
    expect((await documentClient().send(new GetCommand({ TableName: table, Key: { pk: "T#rollback", sk: "kept" }, ConsistentRead: true }))).Item?.v).toBe(1);
    expect((await documentClient().send(new GetCommand({ TableName: table, Key: { pk: "T#rollback", sk: "new" }, ConsistentRead: true }))).Item).toBeUndefined();
  });

  it("transactions on a table of 2,000 items of 2 KB leave the emulator's memory flat", async () => {
    // Prepare: a table of its own, 4 MB of items
    const table = `emu-big-${randomBytes(3).toString("hex")}`;
    await dynamoClient().send(
      new CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    await waitUntilTableExists({ client: dynamoClient(), maxWaitTime: 30 }, { TableName: table });
    for (let chunk = 0; chunk < 80; chunk++) {
      const items = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: "big", sk: String(chunk * 25 + i).padStart(6, "0"), v: "x".repeat(2000) } } }));
      await documentClient().send(new BatchWriteCommand({ RequestItems: { [table]: items } }));
    }
    const before = (await health()).emulator.rssBytes as number;
    // Act
    const started = performance.now();
    for (let i = 0; i < 40; i++) {
      await dynamoClient().send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: { S: "tx" }, sk: { S: String(i) } } } }] }));
    }
    const perTxMs = (performance.now() - started) / 40;
    const after = (await health()).emulator.rssBytes as number;
    // Assess: without the patch these 40 transactions added 71 MB (measured on this machine); with it, next to nothing
    expect(after - before).toBeLessThan(20 * 2 ** 20);
    expect(perTxMs).toBeLessThan(250);
  }, 180_000);

  it("CloudWatch keeps the newest 1,000 data points of a metric, and ListMetrics lists each metric once", async () => {
    // Prepare: 5,000 points of one metric, 10 points each of 20 others
    const cw = new CloudWatchClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const namespace = `emu-cw-${randomBytes(3).toString("hex")}`;
    const now = Date.now();
    for (let call = 0; call < 10; call++) {
      const data = Array.from({ length: 500 }, (_, i) => ({ MetricName: "Busy", Value: call * 500 + i, Timestamp: new Date(now - 60_000 + call), Dimensions: [{ Name: "ModelName", Value: "m" }] }));
      await cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
    }
    for (let m = 0; m < 20; m++) {
      const data = Array.from({ length: 10 }, (_, i) => ({ MetricName: `Quiet${m}`, Value: i, Dimensions: [{ Name: "ModelName", Value: "m" }] }));
      await cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
    }
    // Act
    const stats = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: namespace, MetricName: "Busy", Dimensions: [{ Name: "ModelName", Value: "m" }], StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 60_000), Period: 86_400, Statistics: ["SampleCount", "Maximum", "Minimum"] }),
    );
    const listed = await cw.send(new ListMetricsCommand({ Namespace: namespace }));
    const one = await cw.send(new ListMetricsCommand({ Namespace: namespace, MetricName: "Quiet3" }));
    // Assess: the newest 1,000 of Busy kept (without the patch: 5,000), every metric listed once
    const points = stats.Datapoints ?? [];
    expect(points.reduce((n, p) => n + (p.SampleCount ?? 0), 0)).toBe(1000);
    expect(Math.max(...points.map((p) => p.Maximum ?? 0))).toBe(4999);
    expect(Math.min(...points.map((p) => p.Minimum ?? 0))).toBe(4000);
    expect((listed.Metrics ?? []).map((x) => x.MetricName).sort()).toEqual(["Busy", ...Array.from({ length: 20 }, (_, m) => `Quiet${m}`)].sort());
    expect(one.Metrics).toEqual([{ Namespace: namespace, MetricName: "Quiet3", Dimensions: [{ Name: "ModelName", Value: "m" }] }]);
  }, 180_000);
});
