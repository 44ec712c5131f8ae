/**
 * The mlwatch stack: storage, alerting, the audit log, the REST API and one construct per service.
 * Configuration comes from CDK context (see lib/config.ts and the README's Configuration section).
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { readConfig, type MonitoringConfig } from "./config.js";
import { Storage } from "./storage.js";
import { Alerting } from "./alerting.js";
import { apiStageName, MonitoringApi } from "./api.js";
import { ServiceContext } from "./service-context.js";
import { RegistryService } from "./registry.js";
import { EventsService } from "./events.js";
import { PerformanceService } from "./performance.js";
import { DriftService } from "./drift.js";
import { RetrainingService } from "./retraining.js";
import { MlwatchFunction } from "./function.js";
import { MonitoringAlarms } from "./alarms.js";
import { MonitoringDashboard } from "./dashboard.js";

/** Props of {@link MonitoringStack}. */
export interface MonitoringStackProps extends StackProps {
  /** Configuration; read from context when omitted. */
  readonly config?: MonitoringConfig;
}

/** Everything mlwatch deploys. */
export class MonitoringStack extends Stack {
  public readonly config: MonitoringConfig;
  public readonly storage: Storage;
  public readonly alerting: Alerting;
  public readonly api: MonitoringApi;
  public readonly auditLogGroup: LogGroup;
  public readonly registry: RegistryService;
  public readonly events: EventsService;
  public readonly performance: PerformanceService;
  public readonly drift: DriftService;
  public readonly retraining: RetrainingService;
  public readonly alarms: MonitoringAlarms;
  public readonly dashboard: MonitoringDashboard;

  public constructor(scope: Construct, id: string, props: MonitoringStackProps = {}) {
    super(scope, id, props);
    this.config = props.config ?? readConfig(this.node);
    const config = this.config;
    const logRetention = config.logRetentionDays;

    this.storage = new Storage(this, "Storage", {
      reportRetentionDays: config.reportRetentionDays,
      rawDataRetentionDays: config.rawDataRetentionDays,
      retainData: config.retainData,
    });
    this.alerting = new Alerting(this, "Alerting", { alertEmails: config.alertEmails, alertWebhookUrl: config.alertWebhookUrl });
    this.auditLogGroup = new LogGroup(this, "AuditLog", {
      retention: config.auditRetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.api = new MonitoringApi(this, "Api", {
      throttleRate: config.apiThrottleRate,
      throttleBurst: config.apiThrottleBurst,
      logRetention,
    });
    const context = new ServiceContext(config, this.storage, this.alerting.topic, this.alerting.key, this.auditLogGroup);
    this.registry = new RegistryService(this, "Registry", { context, api: this.api, logRetention });
    this.events = new EventsService(this, "Events", { context, api: this.api, logRetention });
    this.performance = new PerformanceService(this, "Performance", { context, api: this.api, logRetention });
    this.drift = new DriftService(this, "Drift", { context, api: this.api, logRetention });
    this.retraining = new RetrainingService(this, "Retraining", { context, api: this.api, logRetention, pipelines: config.retrainingPipeline });

    // Observability comes last: it watches every function the services above created.
    const functions = this.node
      .findAll()
      .filter((c): c is MlwatchFunction => c instanceof MlwatchFunction)
      .map((f) => f.function);
    const apiName = this.api.api.restApiName;
    const apiStage = apiStageName;
    this.alarms = new MonitoringAlarms(this, "Alarms", {
      config,
      topic: this.alerting.topic,
      apiName,
      apiStage,
      functions,
      monitorFunction: this.drift.monitor.function,
    });
    this.dashboard = new MonitoringDashboard(this, "Dashboard", {
      namespace: config.metricsNamespace,
      apiName,
      apiStage,
      functions,
      endpointNames: [...new Set(config.endpointNames.map((e) => e.split("/")[0]))],
      endpointErrorRatePercent: config.alarmEndpointErrorRatePercent,
      endpointLatencyMs: config.alarmEndpointLatencyMs,
      alarmPrefix: this.alarms.prefix,
    });

    new CfnOutput(this, "ApiUrl", { value: this.api.api.url, description: "mlwatch API base URL (SigV4, service execute-api)" });
    new CfnOutput(this, "DataBucket", { value: this.storage.bucket.bucketName });
    new CfnOutput(this, "Table", { value: this.storage.table.tableName });
    new CfnOutput(this, "AlertTopicArn", { value: this.alerting.topic.topicArn });
    new CfnOutput(this, "AuditLogGroup", { value: this.auditLogGroup.logGroupName });
    new CfnOutput(this, "DashboardUrl", {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.dashboard.dashboard.dashboardName}`,
      description: "the monitoring dashboard",
    });
  }
}
