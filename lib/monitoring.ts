/**
 * `MlwatchMonitoring`: everything mlwatch deploys, as one construct a platform team can put in its own stack —
 * storage, alerting, the audit log, the REST API, one construct per service, alarms and the dashboard.
 * Published as @mlwatch/cdk with the Lambda code prebuilt (scripts/package-cdk.mjs); our own app is this
 * construct in a stack (lib/monitoring-stack.ts).
 *
 * @example
 * import { MlwatchMonitoring } from "@mlwatch/cdk";
 * const monitoring = new MlwatchMonitoring(this, "Mlwatch", { alertEmails: ["ml-team@example.com"], retainData: true });
 * new CfnOutput(this, "MlwatchApi", { value: monitoring.api.url });
 */
import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import type { RestApi } from "aws-cdk-lib/aws-apigateway";
import type { CfnDashboard } from "aws-cdk-lib/aws-cloudwatch";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { resolveConfig, type MonitoringConfig, type RetrainingPipelineTarget } from "./config.js";
import { Storage } from "./storage.js";
import { Alerting } from "./alerting.js";
import { apiStageName, MonitoringApi } from "./api.js";
import { ServiceContext } from "./service-context.js";
import { RegistryService } from "./registry.js";
import { EventsService } from "./events.js";
import { PerformanceService } from "./performance.js";
import { DriftService } from "./drift.js";
import { RetrainingService } from "./retraining.js";
import { SageMakerEventsService } from "./sagemaker.js";
import { MlwatchFunction } from "./function.js";
import { alarmNameOf, MonitoringAlarms, testAlarmId } from "./alarms.js";
import { AlertsService } from "./alerts.js";
import { MonitoringDashboard } from "./dashboard.js";

/**
 * Settings of {@link MlwatchMonitoring}: the same names, defaults and checks as the cdk.json context keys.
 * A setting not given here is read from the context (`-c key=value`), else its default applies.
 */
export interface MlwatchMonitoringProps {
  /** E-mail addresses subscribed to the alert topic. @default [] */
  readonly alertEmails?: readonly string[];
  /** An HTTPS endpoint subscribed to the alert topic (e.g. a Slack/Teams relay). @default none */
  readonly alertWebhookUrl?: string;
  /** CloudWatch namespace of every metric. @default "MLWatch" */
  readonly metricsNamespace?: string;
  /** Hours during which the same alert is not sent again (0-168). @default 6 */
  readonly alertSuppressionHours?: number;
  /** Retention of the Lambdas' and API's log groups, in days (a CloudWatch Logs retention value). @default 30 */
  readonly logRetentionDays?: number;
  /** Retention of the audit log group, in days (a CloudWatch Logs retention value). @default 3653 (ten years) */
  readonly auditRetentionDays?: number;
  /** Days after which drift and performance reports expire. @default 365 */
  readonly reportRetentionDays?: number;
  /** Days after which raw prediction batches and captured data copies expire. @default 90 */
  readonly rawDataRetentionDays?: number;
  /** Steady-state API requests per second. @default 50 */
  readonly apiThrottleRate?: number;
  /** API burst capacity. @default 100 */
  readonly apiThrottleBurst?: number;
  /**
   * SageMaker endpoints shown on the dashboard and watched one by one by the error-rate and p95 latency
   * alarms; each `endpoint` or `endpoint/variant` (variant default `AllTraffic`). Without any, one Metrics
   * Insights alarm per condition watches every endpoint of the region. @default []
   */
  readonly endpointNames?: readonly string[];
  /** Other S3 buckets mlwatch may read artifacts, datasets and captured data from. @default [] */
  readonly dataBuckets?: readonly string[];
  /** Keep data (bucket, table, audit log) when the stack is deleted. @default true */
  readonly retainData?: boolean;
  /** Alarm: performance drift (percent degradation of the primary metric) above this. @default 10 */
  readonly alarmPerformanceDriftPercent?: number;
  /** Alarm: batch R² below this. @default 0.9 */
  readonly alarmR2Below?: number;
  /** Alarm: SageMaker endpoint ModelLatency (p95 per named endpoint; maximum over all without names) above this many milliseconds. @default 5000 */
  readonly alarmEndpointLatencyMs?: number;
  /** Alarm: SageMaker endpoint Invocation5XXErrors above this percentage of Invocations. @default 5 */
  readonly alarmEndpointErrorRatePercent?: number;
  /**
   * The SageMaker pipeline that `mlwatch Retraining Requested` starts: a pipeline name or ARN for every model,
   * or `model=pipeline,…` (a string or a list) per model. @default none (no rule)
   */
  readonly retrainingPipeline?: string | readonly string[] | readonly RetrainingPipelineTarget[];
  /** Alarm: API 5XX responses above this percentage of requests. @default 5 */
  readonly alarmApi5xxPercent?: number;
  /** Alarm: Lambda errors (summed over mlwatch's functions) per 5 minutes at or above this. @default 1 */
  readonly alarmLambdaErrors?: number;
  /** Fan-out drift checks: shards run at once (the Distributed Map's MaxConcurrency, 1-10,000). @default 40 */
  readonly driftMaxConcurrency?: number;
  /** Fan-out drift checks: an S3 check of at least this many bytes fans out. @default 1073741824 (1 GiB) */
  readonly driftFanOutBytes?: number;
  /** Fan-out drift checks: an S3 check of at least this many objects fans out. @default 2000 */
  readonly driftFanOutObjects?: number;
  /** Fan-out drift checks: objects per shard (1-1,000). @default 16 */
  readonly driftShardObjects?: number;
  /** Drift worker functions running at once (reserved concurrency); later S3 checks wait in Lambda's asynchronous queue. @default 10 */
  readonly driftWorkerConcurrency?: number;
  /** Minutes between the drift monitor's passes: 5, 10, 15, 30 or 60 (a model's `everyMinutes` may not be shorter). @default 60 */
  readonly monitorEveryMinutes?: 5 | 10 | 15 | 30 | 60;
  /**
   * A bucket of yours to keep mlwatch's data in (under mlwatch's prefixes, lambdas/shared/buckets.ts) instead of
   * a new one; mlwatch then creates neither a data bucket nor an access-log bucket, and the bucket's lifecycle,
   * encryption and logging stay yours (`reportRetentionDays` and `rawDataRetentionDays` cannot be given with it).
   * @default a new versioned, encrypted, TLS-only bucket with access logs
   */
  readonly existingBucketObj?: IBucket;
  /**
   * A DynamoDB table of yours instead of a new one. It must have mlwatch's key design (lambdas/shared/table.ts):
   * string keys `pk` and `sk`, the global secondary indexes listed there, and TTL on `ttl`.
   * @default a new on-demand table with point-in-time recovery
   */
  readonly existingTableObj?: ITable;
  /**
   * An SNS topic of yours for alerts instead of a new one (and its KMS key). Its topic and key policies are
   * yours: they must let CloudWatch alarms publish (and EventBridge, if your rules target it). mlwatch's functions
   * are granted `sns:Publish`, and use of the topic's `masterKey` when the topic object carries one.
   * @default a new topic encrypted with a new customer-managed key
   */
  readonly existingTopicObj?: ITopic;
}

/** Settings that choose existing resources: not configuration, so neither context keys nor in {@link MonitoringConfig}. */
type ExistingResourceProps = Pick<MlwatchMonitoringProps, "existingBucketObj" | "existingTableObj" | "existingTopicObj">;

/** Props that cannot be combined, as one error naming every conflict (aws-solutions-constructs' rule). */
function checkConflicts(props: MlwatchMonitoringProps): void {
  const conflicts: string[] = [];
  for (const key of ["reportRetentionDays", "rawDataRetentionDays"] as const) {
    if (props.existingBucketObj && props[key] !== undefined) conflicts.push(`${key} with existingBucketObj (an existing bucket's lifecycle is its owner's)`);
  }
  if (conflicts.length > 0) throw new Error(`MlwatchMonitoring: conflicting props: ${conflicts.join("; ")}`);
}

/** mlwatch: model registry, drift detection, performance tracking, audit, alarms and dashboard. */
export class MlwatchMonitoring extends Construct {
  /** The validated settings in effect. */
  public readonly config: MonitoringConfig;
  /** The REST API (AWS_IAM on every method); `api.url` is the base URL clients use. */
  public readonly api: RestApi;
  /** The data bucket: artifacts, baselines, captured data copies, reports. */
  public readonly bucket: IBucket;
  /** The metadata table (single-table design). */
  public readonly table: ITable;
  /** The alert topic (encrypted; drift, quality and alarm notifications). */
  public readonly alertTopic: ITopic;
  /** The alert topic with its key and publish policies; `alerting.ruleTarget()` sends an EventBridge rule to the topic under a conditioned policy. */
  public readonly alerting: Alerting;
  /** The audit log group. */
  public readonly auditLogGroup: LogGroup;
  /** The monitoring dashboard. */
  public readonly dashboard: CfnDashboard;
  /** Every function mlwatch deploys. */
  public readonly functions: readonly IFunction[];

  public constructor(scope: Construct, id: string, props: MlwatchMonitoringProps = {}) {
    super(scope, id);
    checkConflicts(props);
    // Props first, then the context, then the defaults — one set of checks for all (lib/config.ts).
    this.config = resolveConfig((key) => props[key] ?? this.node.tryGetContext(key));
    const existing: ExistingResourceProps = props;
    const config = this.config;
    const logRetention = config.logRetentionDays;

    const storage = new Storage(this, "Storage", {
      reportRetentionDays: config.reportRetentionDays,
      rawDataRetentionDays: config.rawDataRetentionDays,
      retainData: config.retainData,
      existingBucket: existing.existingBucketObj,
      existingTable: existing.existingTableObj,
    });
    // The alarms' names start with the stack name: the topic policy, the inbox rule and the alarms agree.
    const alarmPrefix = Stack.of(this).stackName;
    const alerting = new Alerting(this, "Alerting", { alertEmails: config.alertEmails, alertWebhookUrl: config.alertWebhookUrl, alarmPrefix, existingTopic: existing.existingTopicObj });
    this.auditLogGroup = new LogGroup(this, "AuditLog", {
      retention: config.auditRetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const api = new MonitoringApi(this, "Api", {
      throttleRate: config.apiThrottleRate,
      throttleBurst: config.apiThrottleBurst,
      logRetention,
    });
    const context = new ServiceContext(config, storage, alerting.topic, alerting.key, this.auditLogGroup);
    new RegistryService(this, "Registry", { context, api, logRetention });
    new EventsService(this, "Events", { context, api, logRetention });
    new PerformanceService(this, "Performance", { context, api, logRetention });
    // Events EventBridge could not deliver to a function, or that the function failed on after its retries.
    // SSE-SQS: EventBridge cannot write to a queue under the AWS managed KMS key (its policy cannot admit it).
    const eventDeadLetterQueue = new Queue(this, "EventDeadLetters", { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    const drift = new DriftService(this, "Drift", { context, api, logRetention, workerConcurrency: config.driftWorkerConcurrency, eventDeadLetterQueue });
    new RetrainingService(this, "Retraining", { context, api, logRetention, pipelines: config.retrainingPipeline });
    new SageMakerEventsService(this, "SageMakerEvents", { context, logRetention, alarmPrefix, eventDeadLetterQueue });
    new AlertsService(this, "Alerts", { context, api, logRetention, alarmPrefix, testAlarmName: alarmNameOf(alarmPrefix, testAlarmId), eventDeadLetterQueue });
    api.mount();

    // Observability comes last: it watches every function the services above created.
    const functions = this.node
      .findAll()
      .filter((c): c is MlwatchFunction => c instanceof MlwatchFunction)
      .map((f) => f.function);
    const apiName = api.api.restApiName;
    const alarms = new MonitoringAlarms(this, "Alarms", {
      config,
      topic: alerting.topic,
      apiName,
      apiStage: apiStageName,
      // CloudWatch alarms sum at most 10 metrics: the fan-out's shard and reduce functions are watched through
      // their state machine instead (a failed shard or reduce fails the execution after its retries).
      functions: functions.filter((fn) => fn !== drift.fanOut.shard.function && fn !== drift.fanOut.reduce.function),
      stateMachines: [drift.fanOut.stateMachine],
      monitorFunction: drift.monitor.function,
      prefix: alarmPrefix,
      deadLetterQueues: [
        { queue: drift.deadLetterQueue, holds: "drift worker, monitor or failure-handler events" },
        { queue: eventDeadLetterQueue, holds: "EventBridge events (alarm state changes, SageMaker events, the monitor's schedule) no function could take" },
      ],
      // The worker's reserved concurrency queues S3 checks by design; its throttles are waiting, not failing.
      throttleExempt: [drift.worker.function],
    });
    const dashboard = new MonitoringDashboard(this, "Dashboard", {
      namespace: config.metricsNamespace,
      apiName,
      apiStage: apiStageName,
      functions,
      endpointNames: [...new Set(config.endpointNames.map((e) => e.split("/")[0]))],
      endpointErrorRatePercent: config.alarmEndpointErrorRatePercent,
      endpointLatencyMs: config.alarmEndpointLatencyMs,
      alarms: alarms.alarms,
    });

    this.api = api.api;
    this.bucket = storage.bucket;
    this.table = storage.table;
    this.alertTopic = alerting.topic;
    this.alerting = alerting;
    this.dashboard = dashboard.dashboard;
    this.functions = functions;
  }
}
