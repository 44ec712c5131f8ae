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
import { resolveConfig, type MonitoringConfig } from "./config.js";
import type { MonitoringSettingsProps } from "./config-props.js";
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
 * Props of {@link MlwatchMonitoring}: every setting (generated from the settings table, lib/config.ts; the same
 * names, defaults and checks as the CDK context keys, docs/configuration.md), and existing resources to use.
 * A setting not given here is read from the context (`-c key=value`), else its default applies.
 */
export interface MlwatchMonitoringProps extends MonitoringSettingsProps {
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
    // Events EventBridge could not deliver to a function, or that the function failed on after its retries.
    // SSE-SQS: EventBridge cannot write to a queue under the AWS managed KMS key (its policy cannot admit it).
    const eventDeadLetterQueue = new Queue(this, "EventDeadLetters", { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    new RegistryService(this, "Registry", { context, api, logRetention, eventDeadLetterQueue });
    new EventsService(this, "Events", { context, api, logRetention });
    const performance = new PerformanceService(this, "Performance", { context, api, logRetention });
    const drift = new DriftService(this, "Drift", { context, api, logRetention, workerConcurrency: config.driftWorkerConcurrency, eventDeadLetterQueue });
    // Model Monitor ground-truth joins above the size bound run in the drift worker (lambdas/performance/join-job.ts).
    drift.grantJoinJobs(performance.handler, config.groundTruthJoinInlineBytes);
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
        { queue: eventDeadLetterQueue, holds: "EventBridge events (alarm state changes, SageMaker events, the monitor's schedule, retention follow-ups) no function could take" },
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
