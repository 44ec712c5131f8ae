/**
 * The stack's configuration, read once from CDK context (`-c key=value` or cdk.json) and validated:
 * every problem is collected and thrown as one error, so a deploy fails before it starts.
 */
import type { Node } from "constructs";
import { defaultMetricsNamespace } from "../lambdas/shared/metric-names.js";
import { type MonitorEveryMinutes, monitorPeriods } from "../lambdas/shared/env.js";

/** Every setting of the stack. Context keys are the field names. */
export interface MonitoringConfig {
  /** E-mail addresses subscribed to the alert topic (comma-separated in context). @default [] */
  readonly alertEmails: readonly string[];
  /** An HTTPS endpoint subscribed to the alert topic (e.g. a Slack/Teams relay). @default none */
  readonly alertWebhookUrl?: string;
  /** CloudWatch namespace of every metric. @default "MLWatch" */
  readonly metricsNamespace: string;
  /** Hours during which the same alert is not sent again. @default 6 */
  readonly alertSuppressionHours: number;
  /** Retention of the Lambdas' and API's log groups, in days. @default 30 */
  readonly logRetentionDays: number;
  /** Retention of the audit log group, in days. @default 3653 (ten years) */
  readonly auditRetentionDays: number;
  /** Days after which drift and performance reports expire. @default 365 */
  readonly reportRetentionDays: number;
  /** Days after which raw prediction batches and captured data copies expire. @default 90 */
  readonly rawDataRetentionDays: number;
  /** Steady-state API requests per second. @default 50 */
  readonly apiThrottleRate: number;
  /** API burst capacity. @default 100 */
  readonly apiThrottleBurst: number;
  /**
   * SageMaker endpoints shown on the dashboard and watched one by one by the error-rate and p95 latency
   * alarms; each `endpoint` or `endpoint/variant` (variant default `AllTraffic`). Without any, one Metrics
   * Insights alarm per condition watches every endpoint of the region. @default []
   */
  readonly endpointNames: readonly string[];
  /** Other S3 buckets mlwatch may read artifacts, datasets and captured data from. @default [] */
  readonly dataBuckets: readonly string[];
  /** Keep data (bucket, table, audit log) when the stack is deleted. @default true */
  readonly retainData: boolean;
  /** Alarm: performance drift (percent degradation of the primary metric) above this. @default 10 */
  readonly alarmPerformanceDriftPercent: number;
  /** Alarm: batch R² below this. @default 0.9 */
  readonly alarmR2Below: number;
  /** Alarm: SageMaker endpoint ModelLatency (p95 per named endpoint; maximum over all without names) above this many milliseconds. @default 5000 */
  readonly alarmEndpointLatencyMs: number;
  /** Alarm: SageMaker endpoint Invocation5XXErrors above this percentage of Invocations. @default 5 */
  readonly alarmEndpointErrorRatePercent: number;
  /**
   * The SageMaker pipeline that `mlwatch Retraining Requested` starts: a pipeline name or ARN for every
   * model, or `model=pipeline,…` per model (context `retrainingPipeline`). @default none (no rule)
   */
  readonly retrainingPipeline?: readonly RetrainingPipelineTarget[];
  /** Alarm: API 5XX responses above this percentage of requests. @default 5 */
  readonly alarmApi5xxPercent: number;
  /** Alarm: Lambda errors (summed over mlwatch's functions) per 5 minutes at or above this. @default 1 */
  readonly alarmLambdaErrors: number;
  /** Fan-out drift checks: shards the Distributed Map runs at once (its MaxConcurrency). @default 40 */
  readonly driftMaxConcurrency: number;
  /** Fan-out drift checks: an S3 check of at least this many bytes fans out. @default 1073741824 (1 GiB) */
  readonly driftFanOutBytes: number;
  /** Fan-out drift checks: an S3 check of at least this many objects fans out. @default 2000 */
  readonly driftFanOutObjects: number;
  /** Fan-out drift checks: objects per shard (the map's MaxItemsPerBatch). @default 16 */
  readonly driftShardObjects: number;
  /**
   * Concurrent executions reserved for the drift worker (S3 baselines and checks; 3,008 MB, up to 15 min
   * each): at most this many run at once, later ones wait in Lambda's asynchronous queue. @default 10
   */
  readonly driftWorkerConcurrency: number;
  /**
   * Minutes between the drift monitor's passes (5, 10, 15, 30 or 60); a model's `everyMinutes` may not be
   * shorter. @default 60
   */
  readonly monitorEveryMinutes: MonitorEveryMinutes;
}


/** One pipeline that retraining requests start: for one model, or (model null) for every model. */
export interface RetrainingPipelineTarget {
  readonly model: string | null;
  /** The pipeline's name, or its ARN when the context gave one. */
  readonly pipeline: string;
}

/** Defaults of every optional setting. */
export const defaultConfig: MonitoringConfig = {
  alertEmails: [],
  metricsNamespace: defaultMetricsNamespace,
  alertSuppressionHours: 6,
  logRetentionDays: 30,
  auditRetentionDays: 3653,
  reportRetentionDays: 365,
  rawDataRetentionDays: 90,
  apiThrottleRate: 50,
  apiThrottleBurst: 100,
  endpointNames: [],
  dataBuckets: [],
  retainData: true,
  alarmPerformanceDriftPercent: 10,
  alarmR2Below: 0.9,
  alarmEndpointLatencyMs: 5000,
  alarmEndpointErrorRatePercent: 5,
  alarmApi5xxPercent: 5,
  alarmLambdaErrors: 1,
  driftMaxConcurrency: 40,
  driftFanOutBytes: 1024 ** 3,
  driftFanOutObjects: 2000,
  driftShardObjects: 16,
  driftWorkerConcurrency: 10,
  monitorEveryMinutes: 60,
};

/** Retention values CloudWatch Logs accepts. */
export const allowedRetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const emailPattern = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** SageMaker endpoint and variant names; a pipeline name; a pipeline ARN. */
const endpointPattern = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}(\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})?$/;
const pipelineNamePattern = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;
const pipelineArnPattern = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:pipeline\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;

/** Reads `retrainingPipeline`: `pipeline` (every model) or `model=pipeline,…`; problems are collected. */
export function parseRetrainingPipeline(raw: unknown, problems: string[]): RetrainingPipelineTarget[] | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  // An already resolved configuration (MonitoringStack's `config` prop) passes its targets back in.
  const entries = Array.isArray(raw)
    ? raw.map((e: unknown) => (typeof e === "object" && e !== null && "pipeline" in e ? targetText(e as RetrainingPipelineTarget) : String(e)))
    : list(raw);
  const out: RetrainingPipelineTarget[] = [];
  const models = new Set<string>();
  const validPipeline = (p: string): boolean => pipelineNamePattern.test(p) || pipelineArnPattern.test(p);
  if (entries.length === 1 && !entries[0].includes("=")) {
    if (!validPipeline(entries[0])) problems.push(`retrainingPipeline: "${entries[0]}" is neither a SageMaker pipeline name nor a pipeline ARN`);
    else out.push({ model: null, pipeline: entries[0] });
    return out;
  }
  for (const entry of entries) {
    const [model, pipeline, ...rest] = entry.split("=").map((x) => x.trim());
    if (pipeline === undefined || rest.length > 0) {
      problems.push(`retrainingPipeline: "${entry}" must be model=pipeline (give one pipeline alone for every model)`);
    } else if (!namePattern.test(model)) {
      problems.push(`retrainingPipeline: "${model}" is not a model name`);
    } else if (!validPipeline(pipeline)) {
      problems.push(`retrainingPipeline: "${pipeline}" (for ${model}) is neither a SageMaker pipeline name nor a pipeline ARN`);
    } else if (models.has(model)) {
      problems.push(`retrainingPipeline: model ${model} is named twice`);
    } else {
      models.add(model);
      out.push({ model, pipeline });
    }
  }
  return out;
}

/** A target as the context would write it. */
function targetText(target: RetrainingPipelineTarget): string {
  return target.model === null ? target.pipeline : `${target.model}=${target.pipeline}`;
}

function list(value: unknown): string[] {
  if (value === undefined || value === null || value === "") return [];
  if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
  return String(value).split(",").map((s) => s.trim()).filter(Boolean);
}

/**
 * Reads and validates the configuration from a construct node's context.
 * @throws Error listing every invalid setting
 */
export function readConfig(node: Node): MonitoringConfig {
  return resolveConfig((key) => node.tryGetContext(key));
}

/**
 * Validates settings given by `get` (undefined = not given, the default applies). The context (cdk.json,
 * `-c`) and the construct's props go through the same checks.
 * @throws Error listing every invalid setting
 */
export function resolveConfig(get: (key: keyof MonitoringConfig) => unknown): MonitoringConfig {
  const problems: string[] = [];
  const num = (key: keyof MonitoringConfig, min: number, max: number): number => {
    const raw = get(key);
    const fallback = defaultConfig[key] as number;
    if (raw === undefined || raw === null || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${key} must be a number from ${min} to ${max}, got "${String(raw)}"`);
      return fallback;
    }
    return n;
  };
  const retention = (key: "logRetentionDays" | "auditRetentionDays"): number => {
    const n = num(key, 1, 3653);
    if (!(allowedRetentionDays as readonly number[]).includes(n)) {
      problems.push(`${key} must be one of CloudWatch Logs' retention values (${allowedRetentionDays.join(", ")}), got ${n}`);
      return defaultConfig[key];
    }
    return n;
  };

  const alertEmails = list(get("alertEmails"));
  for (const email of alertEmails) if (!emailPattern.test(email)) problems.push(`alertEmails: "${email}" is not an e-mail address`);
  const webhookRaw = get("alertWebhookUrl");
  const alertWebhookUrl = webhookRaw ? String(webhookRaw) : undefined;
  if (alertWebhookUrl !== undefined && !/^https:\/\/[^\s]+$/.test(alertWebhookUrl)) {
    problems.push(`alertWebhookUrl must be an https:// URL, got "${alertWebhookUrl}"`);
  }
  const metricsNamespace = String(get("metricsNamespace") ?? defaultConfig.metricsNamespace);
  if (!/^[A-Za-z0-9._/#:-]{1,255}$/.test(metricsNamespace) || metricsNamespace.startsWith("AWS/")) {
    problems.push(`metricsNamespace "${metricsNamespace}" is not a valid custom CloudWatch namespace`);
  }
  const endpointNames = list(get("endpointNames"));
  for (const e of endpointNames) if (!endpointPattern.test(e)) problems.push(`endpointNames: "${e}" is not a SageMaker endpoint name (or endpoint/variant)`);
  const dataBuckets = list(get("dataBuckets"));
  for (const b of dataBuckets) if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b)) problems.push(`dataBuckets: "${b}" is not an S3 bucket name`);
  const retainRaw = get("retainData");
  const retainData = retainRaw === undefined ? true : !(retainRaw === false || retainRaw === "false");

  const config: MonitoringConfig = {
    alertEmails,
    alertWebhookUrl,
    metricsNamespace,
    alertSuppressionHours: num("alertSuppressionHours", 0, 168),
    logRetentionDays: retention("logRetentionDays"),
    auditRetentionDays: retention("auditRetentionDays"),
    reportRetentionDays: num("reportRetentionDays", 1, 3650),
    rawDataRetentionDays: num("rawDataRetentionDays", 1, 3650),
    apiThrottleRate: num("apiThrottleRate", 1, 10000),
    apiThrottleBurst: num("apiThrottleBurst", 1, 5000),
    endpointNames,
    dataBuckets,
    retainData,
    alarmPerformanceDriftPercent: num("alarmPerformanceDriftPercent", 0, 10000),
    alarmR2Below: num("alarmR2Below", -1000, 1),
    alarmEndpointLatencyMs: num("alarmEndpointLatencyMs", 1, 3_600_000),
    alarmEndpointErrorRatePercent: num("alarmEndpointErrorRatePercent", 0, 100),
    retrainingPipeline: parseRetrainingPipeline(get("retrainingPipeline"), problems),
    alarmApi5xxPercent: num("alarmApi5xxPercent", 0, 100),
    alarmLambdaErrors: num("alarmLambdaErrors", 1, 1_000_000),
    driftMaxConcurrency: num("driftMaxConcurrency", 1, 10_000),
    driftFanOutBytes: num("driftFanOutBytes", 1, 1e15),
    driftFanOutObjects: num("driftFanOutObjects", 1, 1_000_000),
    driftShardObjects: num("driftShardObjects", 1, 1000),
    driftWorkerConcurrency: Math.floor(num("driftWorkerConcurrency", 1, 1000)),
    monitorEveryMinutes: num("monitorEveryMinutes", 5, 60) as MonitorEveryMinutes,
  };
  if (!(monitorPeriods as readonly number[]).includes(config.monitorEveryMinutes)) {
    problems.push(`monitorEveryMinutes must be one of ${monitorPeriods.join(", ")}, got ${config.monitorEveryMinutes}`);
  }
  for (const key of ["driftMaxConcurrency", "driftFanOutBytes", "driftFanOutObjects", "driftShardObjects"] as const) {
    if (!Number.isInteger(config[key])) problems.push(`${key} must be an integer, got ${config[key]}`);
  }
  if (problems.length > 0) throw new Error(`invalid mlwatch configuration:\n- ${problems.join("\n- ")}`);
  return config;
}
