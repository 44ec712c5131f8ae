/**
 * The stack's settings: one table (`settingSpecs`) gives every setting's type, default, allowed values, the way
 * CDK context text is read, and its description. From it come the construct's props (lib/config-props.ts,
 * written by `npm run config` with the descriptions as JSDoc), the resolved `MonitoringConfig`, the context
 * reading and validation (`resolveConfig`: every problem collected into one error, so a deploy fails before it
 * starts) and docs/configuration.md's table — tests check that all of them follow the table.
 */
import type { Node } from "constructs";
import { defaultDegradationPercent } from "../lambdas/core/performance/thresholds.js";
import { defaultCheckPrices } from "../lambdas/core/cost/check-cost.js";
import { defaultGroundTruthInlineBytes } from "../lambdas/performance/contract/join-jobs.js";
import { defaultMetricsNamespace } from "../lambdas/shared/metric-names.js";
import { type MonitorEveryMinutes, monitorPeriods } from "../lambdas/shared/env.js";
import type { MonitoringSettingsProps } from "./config-props.js";
import type { RetrainingPipelineTarget } from "./retraining-target.js";

export type { RetrainingPipelineTarget };

/** How one setting is typed, defaulted, bounded, read and described. */
export interface SettingSpec<T> {
  /** The setting's TypeScript type as a prop (the generated props interface). */
  readonly propsType: string;
  /** The value used when neither the props nor the context give one. */
  readonly default: T;
  /** The default as the docs and JSDoc write it. */
  readonly defaultText: string;
  /** The values allowed, in words. */
  readonly allowed: string;
  /** How a context value (`-c key=value` or cdk.json) is read. */
  readonly context: string;
  /** What the setting does: one or two sentences for JSDoc and the docs. */
  readonly description: string;
  /** Reads a given value (a prop or context value; never undefined, null or ""), pushing problems that name the setting. */
  readonly read: (raw: unknown, name: string, problems: string[]) => T;
}

/** Retention values CloudWatch Logs accepts. */
export const allowedRetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const emailPattern = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** SageMaker endpoint and variant names; a pipeline name; a pipeline ARN. */
const endpointPattern = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}(\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})?$/;
const pipelineNamePattern = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;
const pipelineArnPattern = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:pipeline\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;
const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Options of a numerical setting. */
interface NumberOptions<T extends number> {
  readonly default: T;
  readonly min: number;
  readonly max: number;
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** The only values allowed (within min..max). */
  readonly oneOf?: readonly T[];
  /** The prop's type is the union of `oneOf` (instead of `number`). */
  readonly literalType?: boolean;
  /** How the default reads, when more than the number helps (e.g. "1073741824 (1 GiB)"). */
  readonly defaultText?: string;
  readonly description: string;
}

const formatNumber = (n: number): string => (Math.abs(n) >= 10_000 ? n.toLocaleString("en-US") : String(n));

/** A number (context: its decimal text), within [min, max], optionally whole or one of a list. */
function numberSetting<T extends number = number>(o: NumberOptions<T>): SettingSpec<T> {
  const range = `${formatNumber(o.min)} to ${formatNumber(o.max)}`;
  return {
    propsType: o.literalType && o.oneOf ? o.oneOf.join(" | ") : "number",
    default: o.default,
    defaultText: o.defaultText ?? String(o.default),
    allowed: o.oneOf ? `one of ${o.oneOf.join(", ")}` : o.integer ? `an integer from ${range}` : `${range}`,
    context: "a number",
    description: o.description,
    read: (raw, name, problems) => {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n) || n < o.min || n > o.max) {
        problems.push(`${name} must be a number from ${o.min} to ${o.max}, got "${String(raw)}"`);
      } else if (o.integer && !Number.isInteger(n)) {
        problems.push(`${name} must be an integer, got ${n}`);
      } else if (o.oneOf && !(o.oneOf as readonly number[]).includes(n)) {
        problems.push(`${name} must be one of ${o.oneOf.join(", ")}, got ${n}`);
      } else {
        return n as T;
      }
      return o.default;
    },
  };
}

/** Splits a comma-separated context value (or takes a list as given), trimming and dropping empty entries. */
function list(value: unknown): string[] {
  if (value === undefined || value === null || value === "") return [];
  if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
  return String(value).split(",").map((s) => s.trim()).filter(Boolean);
}

/** A list of strings, each matching `pattern` (context: comma-separated). */
function listSetting(o: { readonly item: string; readonly pattern: RegExp; readonly allowed: string; readonly description: string }): SettingSpec<readonly string[]> {
  return {
    propsType: "readonly string[]",
    default: [],
    defaultText: "[]",
    allowed: o.allowed,
    context: "comma-separated",
    description: o.description,
    read: (raw, name, problems) => {
      const values = list(raw);
      for (const v of values) if (!o.pattern.test(v)) problems.push(`${name}: "${v}" is not ${o.item}`);
      return values;
    },
  };
}

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

const retention = (defaultDays: number, defaultText: string, description: string): SettingSpec<number> =>
  numberSetting({ default: defaultDays, min: 1, max: 3653, oneOf: allowedRetentionDays, defaultText, description });

/**
 * Every setting of the stack, in the order the docs list them. Context keys and prop names are the keys.
 * Adding one here is the whole change: `npm run config` writes the props and the docs table.
 */
export const settingSpecs = {
  alertEmails: listSetting({
    item: "an e-mail address",
    pattern: emailPattern,
    allowed: "e-mail addresses",
    description: "E-mail addresses subscribed to the alert topic.",
  }),
  alertWebhookUrl: {
    propsType: "string",
    default: undefined,
    defaultText: "none",
    allowed: "an https:// URL",
    context: "text",
    description: "An HTTPS endpoint subscribed to the alert topic (e.g. a Slack or Teams relay).",
    read: (raw, name, problems) => {
      const url = String(raw);
      if (/^https:\/\/[^\s]+$/.test(url)) return url;
      problems.push(`${name} must be an https:// URL, got "${url}"`);
      return undefined;
    },
  } satisfies SettingSpec<string | undefined>,
  metricsNamespace: {
    propsType: "string",
    default: defaultMetricsNamespace,
    defaultText: `"${defaultMetricsNamespace}"`,
    allowed: "a custom CloudWatch namespace (1-255 of A-Z a-z 0-9 . _ / # : -, not starting AWS/)",
    context: "text",
    description: "CloudWatch namespace of every metric, alarm and dashboard widget.",
    read: (raw, name, problems) => {
      const ns = String(raw);
      if (/^[A-Za-z0-9._/#:-]{1,255}$/.test(ns) && !ns.startsWith("AWS/")) return ns;
      problems.push(`${name} "${ns}" is not a valid custom CloudWatch namespace`);
      return defaultMetricsNamespace;
    },
  } satisfies SettingSpec<string>,
  alertSuppressionHours: numberSetting({
    default: 6,
    min: 0,
    max: 168,
    description: "Hours during which the same alert (same model, same finding) is not sent again.",
  }),
  logRetentionDays: retention(30, "30", "Retention of the functions' and the API's log groups, in days (a CloudWatch Logs retention value)."),
  auditRetentionDays: retention(3653, "3653 (ten years)", "Retention of the audit log group, in days (a CloudWatch Logs retention value)."),
  reportRetentionDays: numberSetting({ default: 365, min: 1, max: 3650, description: "Days after which drift and performance reports expire." }),
  rawDataRetentionDays: numberSetting({ default: 90, min: 1, max: 3650, description: "Days after which raw prediction batches and captured data copies expire." }),
  apiThrottleRate: numberSetting({ default: 50, min: 1, max: 10_000, description: "Steady-state API requests per second (the stage's throttling rate)." }),
  apiThrottleBurst: numberSetting({ default: 100, min: 1, max: 5000, description: "API burst capacity (the stage's throttling burst)." }),
  endpointNames: listSetting({
    item: "a SageMaker endpoint name (or endpoint/variant)",
    pattern: endpointPattern,
    allowed: "SageMaker endpoint names, each `endpoint` or `endpoint/variant`",
    description:
      "SageMaker endpoints shown on the dashboard and watched one by one by the error-rate and p95 latency alarms; each `endpoint` or `endpoint/variant` (variant default `AllTraffic`). Without any, one Metrics Insights alarm per condition watches every endpoint of the region.",
  }),
  dataBuckets: listSetting({
    item: "an S3 bucket name",
    pattern: bucketPattern,
    allowed: "S3 bucket names",
    description: "Other S3 buckets mlwatch may read artifacts, datasets and captured data from (a read-only grant).",
  }),
  retainData: {
    propsType: "boolean",
    default: true,
    defaultText: "true",
    allowed: "true or false",
    context: "true or false",
    description: "Keep data (bucket, table, audit log) when the stack is deleted.",
    read: (raw, name, problems) => {
      if (raw === true || raw === "true") return true;
      if (raw === false || raw === "false") return false;
      problems.push(`${name} must be true or false, got "${String(raw)}"`);
      return true;
    },
  } satisfies SettingSpec<boolean>,
  alarmPerformanceDriftPercent: numberSetting({
    default: defaultDegradationPercent,
    min: 0,
    max: 10_000,
    description: "Alarm when some model version's performance drift (percent degradation of its primary metric) is above this.",
  }),
  alarmR2Below: numberSetting({ default: 0.9, min: -1000, max: 1, description: "Alarm when a batch's R² is below this." }),
  alarmEndpointLatencyMs: numberSetting({
    default: 5000,
    min: 1,
    max: 3_600_000,
    description:
      "Alarm when SageMaker endpoint ModelLatency is above this many milliseconds (p95 per named endpoint; the maximum over all without names); CloudWatch reports it in µs, the alarm converts.",
  }),
  alarmEndpointErrorRatePercent: numberSetting({
    default: 5,
    min: 0,
    max: 100,
    description: "Alarm when an endpoint's Invocation5XXErrors are above this percentage of its Invocations.",
  }),
  retrainingPipeline: {
    propsType: "string | readonly string[] | readonly RetrainingPipelineTarget[]",
    default: undefined,
    defaultText: "none (no rule)",
    allowed: "a pipeline name or ARN, or `model=pipeline` entries",
    context: "comma-separated",
    description:
      "The SageMaker pipeline that `mlwatch Retraining Requested` starts: a pipeline name or ARN for every model, or `model=pipeline,…` per model.",
    read: (raw, _name, problems) => parseRetrainingPipeline(raw, problems),
  } satisfies SettingSpec<readonly RetrainingPipelineTarget[] | undefined>,
  alarmApi5xxPercent: numberSetting({ default: 5, min: 0, max: 100, description: "Alarm when API 5XX responses are above this percentage of requests." }),
  alarmLambdaErrors: numberSetting({
    default: 1,
    min: 1,
    max: 1_000_000,
    description: "Alarm when mlwatch's functions (summed) raise at least this many errors in 5 minutes.",
  }),
  driftMaxConcurrency: numberSetting({
    default: 40,
    min: 1,
    max: 10_000,
    integer: true,
    description: "Fan-out drift checks: shards a check runs at once (the Distributed Map's MaxConcurrency).",
  }),
  driftFanOutBytes: numberSetting({
    default: 1024 ** 3,
    min: 1,
    max: 1e15,
    integer: true,
    defaultText: "1073741824 (1 GiB)",
    description: "Fan-out drift checks: an S3 check listing at least this many bytes fans out on Step Functions.",
  }),
  driftFanOutObjects: numberSetting({
    default: 2000,
    min: 1,
    max: 1_000_000,
    integer: true,
    description: "Fan-out drift checks: an S3 check listing at least this many objects fans out on Step Functions.",
  }),
  driftShardObjects: numberSetting({
    default: 16,
    min: 1,
    max: 1000,
    integer: true,
    description: "Fan-out drift checks: objects per shard (the Distributed Map's MaxItemsPerBatch).",
  }),
  groundTruthJoinInlineBytes: numberSetting({
    default: defaultGroundTruthInlineBytes,
    min: 0,
    max: 1e15,
    integer: true,
    defaultText: "67108864 (64 MiB)",
    description:
      "Model Monitor ground-truth joins: above this many bytes of ground-truth and capture objects together, a join (on demand or scheduled) runs in the drift worker as a job (202 + `GET …/performance/ground-truth-jobs/{jobId}`).",
  }),
  driftWorkerConcurrency: numberSetting({
    default: 10,
    min: 1,
    max: 1000,
    integer: true,
    description:
      "Concurrent executions reserved for the drift worker (S3 baselines and checks; 3,008 MB, up to 15 min each): at most this many run at once, later ones wait in Lambda's asynchronous queue (up to an hour).",
  }),
  monitorEveryMinutes: numberSetting<MonitorEveryMinutes>({
    default: 60,
    min: 5,
    max: 60,
    oneOf: monitorPeriods,
    literalType: true,
    description: "Minutes between the drift monitor's passes; a model's `everyMinutes` may not be shorter (cost in docs/drift.md).",
  }),
  priceLambdaGbSecondUsd: numberSetting({
    default: defaultCheckPrices.lambdaGbSecondUsd,
    min: 0,
    max: 1,
    description: "Drift check cost: US dollars per Lambda GB-second (default: arm64, us-east-1, the first tier of 7.5 billion GB-s a month; docs/model-monitor.md#what-a-check-costs).",
  }),
  priceStepFunctionsTransitionUsd: numberSetting({
    default: defaultCheckPrices.stepFunctionsTransitionUsd,
    min: 0,
    max: 1,
    description: "Drift check cost: US dollars per Step Functions Standard state transition (default: us-east-1).",
  }),
  priceS3WriteRequestUsd: numberSetting({
    default: defaultCheckPrices.s3WriteRequestUsd,
    min: 0,
    max: 1,
    description: "Drift check cost: US dollars per S3 PUT, COPY, POST or LIST request (default: S3 Standard, us-east-1).",
  }),
  priceS3ReadRequestUsd: numberSetting({
    default: defaultCheckPrices.s3ReadRequestUsd,
    min: 0,
    max: 1,
    description: "Drift check cost: US dollars per S3 GET or other read request (default: S3 Standard, us-east-1).",
  }),
} as const satisfies Record<string, SettingSpec<unknown>>;

/** Names of the settings: prop names and context keys alike. */
export type SettingName = keyof typeof settingSpecs;

/** The setting names in table order. */
export const settingNames = Object.keys(settingSpecs) as SettingName[];

/**
 * Every setting in effect, validated and defaulted: each prop of {@link MonitoringSettingsProps} (whose JSDoc
 * it keeps) with the type the table's reader gives.
 */
export type MonitoringConfig = { readonly [K in keyof MonitoringSettingsProps]-?: ReturnType<(typeof settingSpecs)[K]["read"]> };

// The generated props name exactly the table's settings (`npm run config` after changing the table).
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const propsFollowTable: SameKeys<MonitoringSettingsProps, typeof settingSpecs> = true;
void propsFollowTable;

/** Defaults of every setting. */
export const defaultConfig: MonitoringConfig = Object.freeze(
  Object.fromEntries(settingNames.map((name) => [name, settingSpecs[name].default])) as unknown as MonitoringConfig,
);

/**
 * Reads and validates the configuration from a construct node's context.
 * @throws Error listing every invalid setting
 */
export function readConfig(node: Node): MonitoringConfig {
  return resolveConfig((key) => node.tryGetContext(key));
}

/**
 * Validates settings given by `get` (undefined, null or "" = not given: the default applies). The context
 * (cdk.json, `-c`) and the construct's props go through the same checks.
 * @throws Error listing every invalid setting, one line each
 */
export function resolveConfig(get: (key: SettingName) => unknown): MonitoringConfig {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const name of settingNames) {
    const spec: SettingSpec<unknown> = settingSpecs[name];
    const raw = get(name);
    config[name] = raw === undefined || raw === null || raw === "" ? spec.default : spec.read(raw, name, problems);
  }
  if (problems.length > 0) throw new Error(`invalid mlwatch configuration:\n- ${problems.join("\n- ")}`);
  return config as MonitoringConfig;
}
