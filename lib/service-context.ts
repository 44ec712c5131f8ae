/**
 * What every service construct receives: the shared resources, the environment its function reads,
 * and the grants that more than one service needs (audit, metrics, alerts, health checks).
 */
import { ArnFormat, Stack } from "aws-cdk-lib";
import { PolicyStatement, type IGrantable } from "aws-cdk-lib/aws-iam";
import type { LogGroup } from "aws-cdk-lib/aws-logs";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { EnvName } from "../lambdas/shared/env.js";
import { tableDefinition } from "../lambdas/shared/table.js";
import { eventBusName } from "../lambdas/shared/event-schemas.js";
import { healthProbePrefix, prefixKeyOrigin, type BucketPrefix } from "../lambdas/shared/buckets.js";
import type { MonitoringConfig } from "./config.js";
import { acknowledgeWildcard } from "./nag.js";

/** Shared resources and grants for the service constructs. */
export class ServiceContext {
  public readonly environment: Record<string, string>;

  public constructor(
    public readonly config: MonitoringConfig,
    public readonly storage: { readonly bucket: IBucket; readonly table: ITable },
    public readonly topic: ITopic,
    /** The topic's KMS key; none for an existing topic without one (or whose key CDK was not told). */
    public readonly topicKey: IKey | undefined,
    public readonly auditLogGroup: LogGroup,
  ) {
    this.environment = {
      [EnvName.dataBucket]: storage.bucket.bucketName,
      [EnvName.table]: storage.table.tableName,
      [EnvName.topicArn]: topic.topicArn,
      [EnvName.auditLogGroup]: auditLogGroup.logGroupName,
      [EnvName.metricsNamespace]: config.metricsNamespace,
      [EnvName.alertSuppressionHours]: String(config.alertSuppressionHours),
      [EnvName.reportRetentionDays]: String(config.reportRetentionDays),
      POWERTOOLS_LOG_LEVEL: "INFO",
    };
  }

  /**
   * Item-level access to the table and its indexes (each named: no `index/*`). Actions are listed one by
   * one (no wildcards); transactions need the per-item actions they contain.
   */
  public grantTable(fn: IGrantable, access: "read" | "readWrite"): void {
    const read = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"];
    const write = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"];
    const table = this.storage.table;
    const indexes = tableDefinition.globalSecondaryIndexes.map((gsi) => `${table.tableArn}/index/${gsi.indexName}`);
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: access === "read" ? read : [...read, ...write], resources: [table.tableArn, ...indexes] }),
    );
  }

  /** Object access under the given prefixes of the data bucket, plus listing those prefixes. */
  public grantBucket(fn: IGrantable, prefixes: readonly BucketPrefix[], access: "read" | "readWrite"): void {
    const bucket = this.storage.bucket;
    const actions = access === "read" ? ["s3:GetObject"] : ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"];
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions, resources: prefixes.map((p) => bucket.arnForObjects(`${p}*`)) }));
    for (const p of prefixes) {
      acknowledgeWildcard(
        fn,
        bucket.arnForObjects(`${p}*`),
        `Under ${p} ${prefixKeyOrigin[p as BucketPrefix]}, so the grant names the prefix; ` +
          `it covers only ${actions.join(", ")} on objects under ${p} of mlwatch's own data bucket.`,
      );
    }
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["s3:ListBucket"],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
      }),
    );
  }

  /** Reading the team's own data buckets (context `dataBuckets`): artifacts, datasets, captured data. */
  public grantDataBuckets(fn: IGrantable): void {
    if (this.config.dataBuckets.length === 0) return;
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["s3:GetObject", "s3:ListBucket"],
        resources: this.config.dataBuckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]),
      }),
    );
    for (const b of this.config.dataBuckets) {
      acknowledgeWildcard(
        fn,
        `arn:aws:s3:::${b}/*`,
        `The team named ${b} in the dataBuckets context for mlwatch to read artifacts, datasets and captured data from s3:// URIs its callers give; ` +
          "object keys are the caller's, so the grant is read-only (s3:GetObject) on that bucket's objects.",
      );
    }
  }

  /** Writing to the audit trail. */
  public grantAudit(fn: IGrantable): void {
    const streams = `${this.auditLogGroup.logGroupArn}:log-stream:*`;
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [streams, this.auditLogGroup.logGroupArn] }),
    );
    acknowledgeWildcard(
      fn,
      streams,
      "Audit log streams are created at run time, one per day and function instance ({date}/{instance}); the grant is CreateLogStream and PutLogEvents on streams of the audit log group only.",
    );
  }

  /** Reading the audit trail back. */
  public grantAuditRead(fn: IGrantable): void {
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ["logs:FilterLogEvents"], resources: [this.auditLogGroup.logGroupArn] }));
  }

  /** Publishing metrics, only into mlwatch's namespace (PutMetricData has no resource-level permissions). */
  public grantMetrics(fn: IGrantable): void {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["cloudwatch:PutMetricData"],
        resources: ["*"],
        conditions: { StringEquals: { "cloudwatch:namespace": this.config.metricsNamespace } },
      }),
    );
    acknowledgeWildcard(
      fn,
      "*",
      `cloudwatch:PutMetricData has no resource-level permissions; the statement is limited by the condition cloudwatch:namespace = ${this.config.metricsNamespace}.`,
    );
  }

  /** Publishing alerts to the encrypted topic. */
  public grantAlerts(fn: IGrantable): void {
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ["sns:Publish"], resources: [this.topic.topicArn] }));
    if (this.topicKey) {
      fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [this.topicKey.keyArn] }));
    }
  }

  /**
   * Publishing mlwatch's events: `events:PutEvents` on the account's default bus only (no other bus, no
   * wildcard). The runtime publishes with source `mlwatch` (lambdas/shared/events-bus.ts).
   */
  public grantEvents(fn: IGrantable): void {
    const bus = Stack.of(this.auditLogGroup).formatArn({ service: "events", resource: "event-bus", resourceName: eventBusName });
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ["events:PutEvents"], resources: [bus] }));
  }

  /** The read-only calls of `GET /health`. */
  public grantHealthChecks(fn: IFunction): void {
    const stack = Stack.of(fn);
    // The S3 probe lists one key under healthProbePrefix; listing stays under an s3:prefix condition.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ["s3:ListBucket"], resources: [this.storage.bucket.bucketArn], conditions: { StringEquals: { "s3:prefix": [healthProbePrefix] } } }),
    );
    fn.addToRolePolicy(new PolicyStatement({ actions: ["dynamodb:DescribeTable"], resources: [this.storage.table.tableArn] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: ["sns:GetTopicAttributes"], resources: [this.topic.topicArn] }));
    const logGroups = stack.formatArn({ service: "logs", resource: "log-group", resourceName: "*", arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    fn.addToRolePolicy(new PolicyStatement({ actions: ["logs:DescribeLogGroups"], resources: [logGroups] }));
    // ListMetrics has no resource-level permissions.
    fn.addToRolePolicy(new PolicyStatement({ actions: ["cloudwatch:ListMetrics"], resources: ["*"] }));
    acknowledgeWildcard(
      fn,
      "*",
      "GET /health probes CloudWatch with cloudwatch:ListMetrics, which has no resource-level permissions (read-only, returns metric names only).",
    );
    acknowledgeWildcard(
      fn,
      logGroups,
      "GET /health probes CloudWatch Logs with logs:DescribeLogGroups, which AWS authorizes only on log-group:* of the account and region (read-only, names and settings, no log events).",
    );
  }
}
