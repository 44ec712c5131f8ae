/**
 * Local mode with its own embedded emulator (not the shared test emulator): `GET /health` reports the
 * emulator's process and resident memory, and the emulator runs lambdas/local/moto-patch.ts — a cancelled
 * transaction still leaves nothing behind, transactions on a large table no longer grow its memory,
 * CloudWatch keeps at most 1,000 data points per metric and answers ListMetrics from one entry per metric,
 * copies the emulator made to answer (query results) are freed, not kept for moto's dashboard, and its request
 * log goes to a file, so a busy host never blocks it.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { CreateTableCommand, DynamoDBClient, TransactWriteItemsCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
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
    // Prepare: 4,500 points of one metric (the list passes 4,000, so it is compacted), 10 points each of 20 others
    // 500 points a call: uncompressed (moto cannot read the gzip body the SDK sends above 10 KB; mlwatch's calls are smaller)
    const cw = new CloudWatchClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, disableRequestCompression: true });
    const namespace = `emu-cw-${randomBytes(3).toString("hex")}`;
    const now = Date.now();
    for (let call = 0; call < 9; call++) {
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
    // Assess: the newest 1,000 of Busy kept (without the patch: 4,500), every metric listed once
    const points = stats.Datapoints ?? [];
    expect(points.reduce((n, p) => n + (p.SampleCount ?? 0), 0)).toBe(1000);
    expect(Math.max(...points.map((p) => p.Maximum ?? 0))).toBe(4499);
    expect(Math.min(...points.map((p) => p.Minimum ?? 0))).toBe(3500);
    expect((listed.Metrics ?? []).map((x) => x.MetricName).sort()).toEqual(["Busy", ...Array.from({ length: 20 }, (_, m) => `Quiet${m}`)].sort());
    expect(one.Metrics).toEqual([{ Namespace: namespace, MetricName: "Quiet3", Dimensions: [{ Name: "ModelName", Value: "m" }] }]);
  }, 180_000);

  it("keeps no copy of what it answered: query results are freed, not tracked for moto's dashboard", async () => {
    // Prepare: 10 items of 40 small maps each (a copy is many small objects, as mlwatch's records are)
    const table = server.resources.table;
    const pk = `T#untracked-${randomBytes(3).toString("hex")}`;
    const attrs = Object.fromEntries(Array.from({ length: 40 }, (_, j) => [`a${j}`, { n: j, s: "x" }]));
    const items = Array.from({ length: 10 }, (_, i) => ({ PutRequest: { Item: { pk, sk: String(i), ...attrs } } }));
    await documentClient().send(new BatchWriteCommand({ RequestItems: { [table]: items } }));
    const query = () => documentClient().send(new QueryCommand({ TableName: table, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": pk } }));
    await query();
    const before = (await health()).emulator.rssBytes as number;
    // Act: 25 queries of those 10 items
    for (let i = 0; i < 25; i++) expect((await query()).Items).toHaveLength(10);
    const after = (await health()).emulator.rssBytes as number;
    const tracked = (await (await fetch(`${server.endpoint}/moto-api/data.json`)).json()) as Record<string, Record<string, unknown[]>>;
    // Assess: stock moto keeps every copy a query made (250 copies here, ~4.8 MB: 19 MB measured for 100 such queries)
    expect(tracked.dynamodb.Item).toEqual([]);
    expect(after - before).toBeLessThan(3 * 2 ** 20);
  }, 180_000);

  it("keeps answering while the host's event loop is blocked: its request log does not fill a pipe", () => {
    // Prepare: a synchronous child process blocks this process's event loop, as a CLI or bench step can.
    // 400 requests with 2 KB paths log about 1 MB, more than a pipe or socket pair buffers.
    const script = `
      const base = process.argv[1];
      (async () => {
        for (let i = 0; i < 400; i++) {
          const res = await fetch(base + "/probe-" + i + "-" + "x".repeat(2000), { signal: AbortSignal.timeout(10000) });
          await res.arrayBuffer();
        }
        console.log("answered 400");
      })().catch((e) => { console.error(String(e)); process.exit(1); });`;
    // Act
    const run = spawnSync(process.execPath, ["-e", script, server.endpoint], { encoding: "utf8", timeout: 90_000 });
    // Assess: every request answered (a blocked emulator times the child out: status null)
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("answered 400");
    expect(run.status).toBe(0);
  }, 120_000);
});
