/**
 * What retention costs a registration, on the local host (the emulator, the relay and the app in this
 * process, requests sent in-process so each one's AWS calls can be counted):
 *
 * 1. One registration on a model with BACKLOG development versions (default 60, as in issue 22) and
 *    `keepLast: 1`, against one on a model without retention: latency, and the AWS calls each made before
 *    answering (counted by command, per request: a figure the machine's load does not change); then how
 *    long the follow-up (the relayed `mlwatch Retention Pending`) takes to archive the backlog.
 * 2. ROUNDS rounds (default 3) of 10 concurrent registrations on 10 models, each model with a backlog of
 *    CONCURRENT_BACKLOG (default 8): `without` retention and `with` it (`keepLast: 1`), alternating in each
 *    round so both see the same load; the ratio of their medians is taken within a round. Each registration's
 *    time waiting in the local host's DynamoDB write queue is measured, and so are the follow-ups' writes
 *    made meanwhile; each mode waits for its follow-ups to finish before the next mode starts.
 *    FOLLOW_UPS=deferred stops the relay while the 10 registrations run (their follow-ups run afterwards):
 *    the registrations' own cost with nothing else competing for the queue.
 *
 *   npm run bench -- retention     (BACKLOG, ROUNDS, CONCURRENT_BACKLOG override 60, 3 and 8; SKIP_SINGLE=1
 *                                   skips part 1)
 */
process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

import { AsyncLocalStorage } from "node:async_hooks";
import { cpus, loadavg, totalmem } from "node:os";
import { PutObjectCommand } from "@aws-sdk/client-s3";

const backlog = Number(process.env.BACKLOG ?? 60);
const rounds = Number(process.env.ROUNDS ?? 3);
const concurrentBacklog = Number(process.env.CONCURRENT_BACKLOG ?? 8);
const deferred = process.env.FOLLOW_UPS === "deferred";

const { startEmulator } = await import("../lambdas/local/emulator.js");
const { bootstrapResources, exportResourceNames, useEndpoint } = await import("../lambdas/local/bootstrap.js");
const { serializeDynamoCalls } = await import("../lambdas/local/moto-compat.js");
const { bootstrapEventRules, startRelayPoller } = await import("../lambdas/local/event-relay.js");
const { allRoutes } = await import("../lambdas/local/services.js");
const { hostApp } = await import("../lambdas/shared/http.js");
const aws = await import("../lambdas/shared/aws.js");

const emulator = await startEmulator();
useEndpoint(emulator.endpoint);
serializeDynamoCalls(aws.dynamoClient());
const prefix = "bench-retention";
const names = await bootstrapResources(prefix);
exportResourceNames(names);
const relayQueues = await bootstrapEventRules(prefix, { alarmPrefix: prefix, table: names.table });
let poller = startRelayPoller(relayQueues);
const app = hostApp("bench", ...allRoutes);

// Every AWS call made inside a measured request is counted into that request's probe (the relay's
// follow-ups run outside any, so they are not), with the time its DynamoDB calls waited in the local
// host's write queue (moto-compat.ts: from entering finalizeRequest, before the queue, to leaving it).
// DynamoDB writes made outside any request (the follow-ups') are counted apart, with their queue time.
interface Probe {
  readonly calls: Map<string, number>;
  queueWaitMs: number;
}
const probes = new AsyncLocalStorage<Probe>();
const background = { writes: 0, queueMs: 0 };
const readOnly = /^(Get|BatchGet|Query|Scan|Describe|List)/;
for (const client of [aws.dynamoClient(), aws.s3Client(), aws.eventBridgeClient(), aws.logsClient(), aws.cloudWatchClient(), aws.snsClient()]) {
  (client.middlewareStack as any).add(
    (next: any, context: any) => async (args: any) => {
      const counts = probes.getStore()?.calls;
      if (counts) counts.set(context.commandName, (counts.get(context.commandName) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "benchCountCalls" },
  );
}
const queued = new WeakMap<object, number>();
(aws.dynamoClient().middlewareStack as any).add(
  (next: any, context: any) => async (args: any) => {
    queued.set(context, performance.now());
    return next(args);
  },
  { step: "finalizeRequest", priority: "high", name: "benchQueueEnter" },
);
(aws.dynamoClient().middlewareStack as any).add(
  (next: any, context: any) => async (args: any) => {
    const waited = performance.now() - (queued.get(context) ?? performance.now());
    const probe = probes.getStore();
    if (probe) probe.queueWaitMs += waited;
    else if (!readOnly.test(String(context.commandName))) {
      background.writes++;
      background.queueMs += waited;
    }
    return next(args);
  },
  { step: "deserialize", name: "benchQueueLeave" },
);

async function call(method: string, path: string, body: unknown): Promise<{ ms: number; status: number; json: any; calls: Map<string, number>; queueWaitMs: number }> {
  const probe: Probe = { calls: new Map<string, number>(), queueWaitMs: 0 };
  const started = performance.now();
  const res = await probes.run(probe, () => app.request(path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
  const json = await res.json();
  return { ms: performance.now() - started, status: res.status, json, calls: probe.calls, queueWaitMs: probe.queueWaitMs };
}
const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
const show = (m: Map<string, number>): string =>
  [...m]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k.replace(/Command$/, "")} ${v}`)
    .join(", ");
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await aws.s3Client().send(new PutObjectCommand({ Bucket: names.bucket, Key: "external/model.bin", Body: "weights" }));
const artifactUri = `s3://${names.bucket}/external/model.bin`;

async function seed(model: string, versions: number): Promise<void> {
  const first = await call("POST", `/models/${model}/versions`, { version: "1.0.0", artifactUri, primaryMetric: "auc", direction: "higher" });
  if (first.status !== 201) throw new Error(`seeding ${model}: ${first.status} ${JSON.stringify(first.json)}`);
  for (let i = 1; i < versions; i++) {
    const r = await call("POST", `/models/${model}/versions`, { artifactUri });
    if (r.status !== 201) throw new Error(`seeding ${model} ${i}: ${r.status}`);
  }
}
async function archivedCount(model: string): Promise<number> {
  let n = 0;
  let token: string | null = null;
  do {
    const res = await app.request(`/models/${model}/versions?limit=100${token ? `&nextToken=${encodeURIComponent(token)}` : ""}`);
    const page = (await res.json()) as { items: Array<{ stage: string }>; nextToken: string | null };
    n += page.items.filter((v) => v.stage === "archived").length;
    token = page.nextToken;
  } while (token);
  return n;
}

try {
  // 1. One registration over a backlog, against one without retention.
  let single: Record<string, unknown> | undefined;
  if (process.env.SKIP_SINGLE !== "1") {
    await seed("plain", backlog);
    await seed("retained", backlog);
    await call("PUT", "/models/retained/promotion-policy", { retention: { keepLast: 1 } });
    const plain = await call("POST", "/models/plain/versions", { artifactUri });
    const triggering = await call("POST", "/models/retained/versions", { artifactUri });
    if (plain.status !== 201 || triggering.status !== 201) throw new Error(`registrations: ${plain.status} ${triggering.status}`);
    const archivedAtAnswer = await archivedCount("retained");
    const drainStarted = performance.now();
    while ((await archivedCount("retained")) < backlog) {
      if (performance.now() - drainStarted > 600_000) throw new Error("the follow-up did not finish within 10 minutes");
      await new Promise((r) => setTimeout(r, 250));
    }
    single = {
      backlog,
      withoutRetentionMs: Math.round(plain.ms),
      withRetentionMs: Math.round(triggering.ms),
      withoutRetentionCalls: `${total(plain.calls)} (${show(plain.calls)})`,
      withRetentionCalls: `${total(triggering.calls)} (${show(triggering.calls)})`,
      answer: JSON.stringify(triggering.json.retention),
      archivedAtAnswer,
      followUpMs: Math.round(performance.now() - drainStarted),
    };
    console.table([single]);
  }

  // 2. 10 concurrent registrations, with and without retention, alternating within each round.
  const roundRows: Array<Record<string, unknown>> = [];
  let callsWith: Map<string, number> | undefined;
  let callsWithout: Map<string, number> | undefined;
  for (let round = 1; round <= rounds; round++) {
    const row: Record<string, unknown> = { round, load1: Number(loadavg()[0].toFixed(1)) };
    const order = round % 2 === 1 ? (["without", "with"] as const) : (["with", "without"] as const);
    for (const mode of order) {
      const models = Array.from({ length: 10 }, (_, i) => `r${round}-${mode}-${i}`);
      for (const model of models) await seed(model, concurrentBacklog);
      if (mode === "with") for (const model of models) await call("PUT", `/models/${model}/promotion-policy`, { retention: { keepLast: 1 } });
      if (mode === "with" && deferred) await poller.stop();
      const bg = { ...background };
      const answers = await Promise.all(models.map((model) => call("POST", `/models/${model}/versions`, { artifactUri })));
      if (answers.some((a) => a.status !== 201)) throw new Error(`concurrent registrations: ${answers.map((a) => a.status).join(",")}`);
      row[`${mode}QueueWaitMedianMs`] = Math.round(median(answers.map((a) => a.queueWaitMs)));
      if (mode === "with") {
        row.followUpWritesMeanwhile = background.writes - bg.writes;
        if (deferred) poller = startRelayPoller(relayQueues);
        // The follow-ups finish before anything else is measured.
        const started = performance.now();
        for (const model of models) {
          while ((await archivedCount(model)) < concurrentBacklog) {
            if (performance.now() - started > 600_000) throw new Error("the follow-ups did not finish within 10 minutes");
            await new Promise((r) => setTimeout(r, 250));
          }
        }
      }
      row[`${mode}MedianMs`] = Math.round(median(answers.map((a) => a.ms)));
      row[`${mode}MaxMs`] = Math.round(Math.max(...answers.map((a) => a.ms)));
      row[`${mode}CallsPerRegistration`] = median(answers.map((a) => total(a.calls)));
      if (mode === "with") callsWith = answers[0].calls;
      else callsWithout = answers[0].calls;
    }
    row.ratio = Number(((row.withMedianMs as number) / (row.withoutMedianMs as number)).toFixed(2));
    roundRows.push(row);
  }
  console.table(roundRows);
  console.log(`calls of one concurrent registration — without: ${show(callsWithout!)}; with: ${show(callsWith!)}`);
  console.log(JSON.stringify({ cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), loadavg: loadavg().map((l) => Math.round(l * 100) / 100), single, rounds: roundRows }));
} finally {
  await poller.stop();
  await emulator.stop();
}
