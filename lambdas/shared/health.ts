/**
 * Dependency health: one cheap read against each AWS service the product uses, with its latency.
 * Served as `GET /health` by the registry service (and so by the local server).
 */
import { resourceNames } from "./env.js";
import { healthProbePrefix } from "./buckets.js";
import { loadCloudWatch } from "./sdk/cloudwatch.js";
import { loadDynamo } from "./sdk/dynamodb.js";
import { loadLogs } from "./sdk/logs.js";
import { loadS3 } from "./sdk/s3.js";
import { loadSns } from "./sdk/sns.js";

/** The state of one dependency. */
export interface DependencyHealth {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly resource: string;
  readonly error?: string;
}

/** The answer of `GET /health`. */
export interface HealthReport {
  readonly status: "ok" | "degraded";
  readonly service: "mlwatch";
  readonly time: string;
  readonly dependencies: Record<"s3" | "dynamodb" | "sns" | "cloudwatch" | "logs", DependencyHealth>;
  /** Local mode with an embedded emulator: its process and resident memory (absent on AWS). */
  readonly emulator?: EmulatorHealth;
}

/** The embedded emulator's process as `/health` reports it. */
export interface EmulatorHealth {
  readonly pid: number;
  /** Resident memory of the emulator process, bytes; null when it cannot be read (process gone). */
  readonly rssBytes: number | null;
}

let emulatorProbe: (() => Promise<EmulatorHealth>) | undefined;

/** Local mode: tells `/health` how to read the embedded emulator's memory (undefined: no emulator). */
export function setEmulatorProbe(probe: (() => Promise<EmulatorHealth>) | undefined): void {
  emulatorProbe = probe;
}

const probeTimeoutMs = 3000;

async function probe(resource: string, call: (signal: AbortSignal) => Promise<unknown>): Promise<DependencyHealth> {
  const started = performance.now();
  const signal = AbortSignal.timeout(probeTimeoutMs);
  try {
    await call(signal);
    return { ok: true, latencyMs: Math.round(performance.now() - started), resource };
  } catch (err) {
    const error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : "unreachable";
    return { ok: false, latencyMs: Math.round(performance.now() - started), resource, error };
  }
}

/** Probes every dependency in parallel. */
export async function checkHealth(): Promise<HealthReport> {
  const { ListObjectsV2Command, s3Client } = await loadS3();
  const { DescribeTableCommand, dynamoClient } = await loadDynamo();
  const { GetTopicAttributesCommand, snsClient } = await loadSns();
  const { ListMetricsCommand, cloudWatchClient } = await loadCloudWatch();
  const { DescribeLogGroupsCommand, logsClient } = await loadLogs();
  const names = resourceNames();
  const [s3, dynamodb, sns, cloudwatch, logs] = await Promise.all([
    probe(names.bucket, (abortSignal) => s3Client().send(new ListObjectsV2Command({ Bucket: names.bucket, Prefix: healthProbePrefix, MaxKeys: 1 }), { abortSignal })),
    probe(names.table, (abortSignal) => dynamoClient().send(new DescribeTableCommand({ TableName: names.table }), { abortSignal })),
    probe(names.topicArn, (abortSignal) => snsClient().send(new GetTopicAttributesCommand({ TopicArn: names.topicArn }), { abortSignal })),
    probe(names.metricsNamespace, (abortSignal) =>
      cloudWatchClient().send(new ListMetricsCommand({ Namespace: names.metricsNamespace, MetricName: "DriftChecks" }), { abortSignal }),
    ),
    probe(names.auditLogGroup, (abortSignal) =>
      logsClient().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: names.auditLogGroup, limit: 1 }), { abortSignal }),
    ),
  ]);
  const dependencies = { s3, dynamodb, sns, cloudwatch, logs };
  const status = Object.values(dependencies).every((d) => d.ok) ? "ok" : "degraded";
  const emulator = await emulatorProbe?.().catch(() => undefined);
  return { status, service: "mlwatch", time: new Date().toISOString(), dependencies, ...(emulator ? { emulator } : {}) };
}
