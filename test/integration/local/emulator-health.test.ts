/**
 * Local mode with its own embedded emulator (not the shared test emulator): `GET /health` reports the
 * emulator's process and resident memory, and the emulator runs lambdas/local/moto-patch.ts — a cancelled
 * transaction still leaves nothing behind, transactions on a large table no longer grow its memory,
 * CloudWatch keeps at most 1,000 data points per metric and answers ListMetrics from one entry per metric,
 * copies the emulator made to answer (query results) are freed, not kept for moto's dashboard, and its request
 * log goes to a file, so a busy host never blocks it. Reads cost what they read, not what is stored: a Query reads
 * the part of one partition its key condition names (a global index, the items of one index value), with the same
 * answers and pages as moto's own, and FilterLogEvents evaluates the JSON patterns the audit reader writes. An
 * EventBridge delivery to an SQS target costs what it sends (moto built 8 JSONPath parsers per delivery).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { CreateTableCommand, DynamoDBClient, TransactWriteItemsCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
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

  /** Every page of a query, followed to its end: the items and how many pages it took. */
  const queryAll = async (input: QueryCommandInput): Promise<{ items: Array<Record<string, unknown>>; pages: number }> => {
    const items: Array<Record<string, unknown>> = [];
    let pages = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await documentClient().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
      pages++;
    } while (start && pages < 200);
    return { items, pages };
  };
  /** The emulator process's CPU seconds (user + system), from /proc. */
  const emulatorCpu = async (): Promise<number> => {
    const pid = (await health()).emulator.pid as number;
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };

  it("a Query reads the part of its partition the key condition names, with moto's answers and pages, and a global index query only its value's items", async () => {
    // Prepare: one partition of 120 items in three groups of sort keys, half of them in one index value
    const table = server.resources.table;
    const tag = randomBytes(3).toString("hex");
    const pk = `T#reads-${tag}`;
    const [g1, g2] = [`G1#${tag}`, `G2#${tag}`];
    const sks = ["A#", "B#", "BA#"].flatMap((p) => Array.from({ length: 40 }, (_, i) => `${p}${String(i).padStart(3, "0")}`));
    for (let i = 0; i < sks.length; i += 25) {
      const items = sks.slice(i, i + 25).map((sk, j) => ({ PutRequest: { Item: { pk, sk, n: i + j, gsi1pk: (i + j) % 2 ? g1 : g2, gsi1sk: sk } } }));
      await documentClient().send(new BatchWriteCommand({ RequestItems: { [table]: items } }));
    }
    const sortKeys = (r: { items: Array<Record<string, unknown>> }): string[] => r.items.map((x) => x.sk as string);
    const byValue = async (g: string): Promise<string[]> => sortKeys(await queryAll({ TableName: table, IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :g", ExpressionAttributeValues: { ":g": g } }));
    // Act + Assess: each key condition answers exactly its sort keys, in order, forwards and backwards, in pages
    const q = (cond: string, values: Record<string, unknown>, extra: Partial<QueryCommandInput> = {}) =>
      queryAll({ TableName: table, KeyConditionExpression: `pk = :pk${cond}`, ExpressionAttributeValues: { ":pk": pk, ...values }, ...extra });
    expect(sortKeys(await q(" AND begins_with(sk, :p)", { ":p": "B#" }))).toEqual(sks.filter((k) => k.startsWith("B#")));
    expect(sortKeys(await q(" AND begins_with(sk, :p)", { ":p": "B" }))).toEqual(sks.filter((k) => k.startsWith("B")));
    expect(sortKeys(await q(" AND sk BETWEEN :a AND :b", { ":a": "A#035", ":b": "B#004" }))).toEqual(sks.filter((k) => k >= "A#035" && k <= "B#004"));
    expect(sortKeys(await q(" AND sk < :a", { ":a": "A#003" }))).toEqual(["A#000", "A#001", "A#002"]);
    expect(sortKeys(await q(" AND sk >= :a", { ":a": "BA#038" }))).toEqual(["BA#038", "BA#039"]);
    expect(sortKeys(await q(" AND sk = :a", { ":a": "B#017" }))).toEqual(["B#017"]);
    const backwards = await q(" AND begins_with(sk, :p)", { ":p": "B#" }, { ScanIndexForward: false, Limit: 7 });
    expect(sortKeys(backwards)).toEqual(sks.filter((k) => k.startsWith("B#")).reverse());
    // 40 items in pages of 7: 6 pages, and a 7th, empty, because a page that ends at Limit names a next key (as moto does)
    expect(backwards.pages).toBe(6);
    const exact = await q(" AND begins_with(sk, :p)", { ":p": "A#" }, { Limit: 10 });
    expect(exact.items).toHaveLength(40);
    expect(exact.pages).toBe(5);
    expect(await byValue(g1)).toEqual(sks.filter((_, i) => i % 2).sort());
    // An index value read newest first in pages of 7 from a bound, as the alert inbox reads (its sort key >= since)
    const pagedIndex = await queryAll({ TableName: table, IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :g AND gsi1sk >= :s", ExpressionAttributeValues: { ":g": g1, ":s": "B#010" }, ScanIndexForward: false, Limit: 7 });
    expect(sortKeys(pagedIndex)).toEqual(sks.filter((k, i) => i % 2 && k >= "B#010").sort().reverse());
    expect(pagedIndex.pages).toBe(Math.floor(sortKeys(pagedIndex).length / 7) + 1);
    // Writes move items between index values: an update, a delete, an overwrite, a cancelled transaction
    await documentClient().send(new UpdateCommand({ TableName: table, Key: { pk, sk: "A#000" }, UpdateExpression: "SET gsi1pk = :g", ExpressionAttributeValues: { ":g": g1 } }));
    await documentClient().send(new DeleteCommand({ TableName: table, Key: { pk, sk: "A#001" } }));
    await documentClient().send(new PutCommand({ TableName: table, Item: { pk, sk: "A#003", gsi1pk: g2, gsi1sk: "A#003" } }));
    await documentClient().send(new UpdateCommand({ TableName: table, Key: { pk, sk: "C#new" }, UpdateExpression: "SET gsi1pk = :g, gsi1sk = :s", ExpressionAttributeValues: { ":g": g1, ":s": "C#new" } }));
    const cancelled = await dynamoClient()
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName: table, Key: { pk: { S: pk }, sk: { S: "A#002" } }, UpdateExpression: "SET gsi1pk = :g", ExpressionAttributeValues: { ":g": { S: g1 } } } },
            { Delete: { TableName: table, Key: { pk: { S: pk }, sk: { S: "A#005" } } } },
            { ConditionCheck: { TableName: table, Key: { pk: { S: pk }, sk: { S: "absent" } }, ConditionExpression: "attribute_exists(pk)" } },
          ],
        }),
      )
      .then(() => "committed", (err: Error) => err.name);
    expect(cancelled).toBe("TransactionCanceledException");
    const expectedG1 = [...sks.filter((k, i) => i % 2 && k !== "A#001" && k !== "A#003"), "A#000", "C#new"].sort();
    expect(await byValue(g1)).toEqual(expectedG1);
    expect(await byValue(g2)).toEqual([...sks.filter((k, i) => i % 2 === 0 && k !== "A#000"), "A#003"].sort());
    expect(sortKeys(await q(" AND sk <= :a", { ":a": "A#005" }))).toEqual(["A#000", "A#002", "A#003", "A#004", "A#005"]);
  }, 180_000);

  it("a Query's cost follows what it reads, not the table: a 3-item partition costs the same beside 3,000 other items", async () => {
    // Prepare: a small partition, its cost measured in the emulator's CPU time over 30 queries
    const table = server.resources.table;
    const tag = randomBytes(3).toString("hex");
    const small = `T#small-${tag}`;
    await documentClient().send(new BatchWriteCommand({ RequestItems: { [table]: [0, 1, 2].map((i) => ({ PutRequest: { Item: { pk: small, sk: `X#${i}`, gsi1pk: `GS#${tag}`, gsi1sk: String(i) } } })) } }));
    const cost = async (): Promise<number> => {
      const before = await emulatorCpu();
      for (let i = 0; i < 30; i++) {
        expect((await documentClient().send(new QueryCommand({ TableName: table, KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)", ExpressionAttributeValues: { ":pk": small, ":p": "X#" } }))).Items).toHaveLength(3);
        expect((await documentClient().send(new QueryCommand({ TableName: table, IndexName: "gsi1", KeyConditionExpression: "gsi1pk = :g", ExpressionAttributeValues: { ":g": `GS#${tag}` } }))).Items).toHaveLength(3);
      }
      return (await emulatorCpu()) - before;
    };
    const alone = await cost();
    // Act: 3,000 items of 1 KB in 30 other partitions, half of them in index values of their own
    for (let i = 0; i < 3000; i += 25) {
      const items = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { pk: `T#big-${tag}-${(i + j) % 30}`, sk: String(i + j).padStart(5, "0"), gsi1pk: (i + j) % 2 ? `GB#${tag}-${(i + j) % 7}` : undefined, v: "x".repeat(1000) } } }));
      await documentClient().send(new BatchWriteCommand({ RequestItems: { [table]: items } }));
    }
    const beside = await cost();
    // Assess: moto as shipped sorts the whole table for every Query (3.5x the cost here, measured with the patch
    // removed on a loaded machine); with the patch the cost stays within noise of the small table's (CPU s, 60 queries)
    expect(beside).toBeLessThan(Math.max(2 * alone, 0.3));
  }, 240_000);

  it("FilterLogEvents evaluates the JSON patterns the audit reader writes, instead of answering every event", async () => {
    // Prepare
    const logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const group = `emu-logs-${randomBytes(3).toString("hex")}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: "s" }));
    const now = Date.now();
    const messages = [
      { model: "churn", type: "version.registered", n: 1 },
      { model: "churn", type: "alert.opened", n: 2 },
      { model: "fraud", type: "version.registered", n: 3 },
      { model: 'q"uote', type: "event.received", n: 4, nested: { stage: "production" } },
      { model: "churn", type: "event.received", n: 5 },
    ].map((m) => JSON.stringify(m));
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: "s", logEvents: [...messages, "not json churn"].map((message, i) => ({ message, timestamp: now + i })) }));
    const filter = async (filterPattern: string, startTime = now, endTime = now + 10): Promise<number[]> => {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern, startTime, endTime }));
      return (out.events ?? []).map((e) => (JSON.parse(e.message ?? "") as { n: number }).n);
    };
    // Act + Assess (moto as shipped answers all six events, the non-JSON one too, to every pattern here)
    expect(await filter('{ $.model = "churn" }')).toEqual([1, 2, 5]);
    expect(await filter('{ $.model = "churn" && $.type = "version.registered" }')).toEqual([1]);
    expect(await filter('{ $.model = "fraud" || $.type = "event.received" }')).toEqual([3, 4, 5]);
    expect(await filter('{ $.model != "churn" }')).toEqual([3, 4]);
    expect(await filter('{ $.type = "event.*" }')).toEqual([4, 5]);
    expect(await filter('{ $.n = 2 }')).toEqual([2]);
    expect(await filter('{ $.nested.stage = "production" }')).toEqual([4]);
    expect(await filter('{ $.model = "q\\"uote" }')).toEqual([4]);
    expect(await filter('{ $.model = "churn" }', now + 1, now + 3)).toEqual([2]);
  }, 120_000);

  it("an event delivered by a rule to an SQS queue costs what it sends: 20 deliveries in under a CPU second", async () => {
    // Prepare: a rule with an SQS target, as local mode's relay has, and one delivery to warm up
    const aws = { endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
    const events = new EventBridgeClient(aws);
    const sqs = new SQSClient(aws);
    const tag = randomBytes(3).toString("hex");
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `emu-ev-${tag}` }))).QueueUrl as string;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn as string;
    await events.send(new PutRuleCommand({ Name: `emu-ev-${tag}`, EventPattern: JSON.stringify({ source: [`emu.${tag}`] }) }));
    await events.send(new PutTargetsCommand({ Rule: `emu-ev-${tag}`, Targets: [{ Id: "q", Arn: queueArn }] }));
    const put = (i: number) => events.send(new PutEventsCommand({ Entries: [{ Source: `emu.${tag}`, DetailType: "probe", Detail: JSON.stringify({ i }) }] }));
    await put(-1);
    const before = await emulatorCpu();
    // Act
    for (let i = 0; i < 20; i++) expect((await put(i)).FailedEntryCount).toBe(0);
    const cpu = (await emulatorCpu()) - before;
    // Assess: every event delivered, whole; moto as shipped spent 2.9 CPU s on these 20 (measured with the patch removed)
    const bodies: number[] = [];
    for (let round = 0; round < 10 && bodies.length < 21; round++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of got.Messages ?? []) bodies.push((JSON.parse(m.Body ?? "{}") as { detail: { i: number } }).detail.i);
    }
    expect(bodies.sort((a, b) => a - b)).toEqual([-1, ...Array.from({ length: 20 }, (_, i) => i)]);
    expect(cpu).toBeLessThan(1);
  }, 120_000);
});
