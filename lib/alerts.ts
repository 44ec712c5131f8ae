/**
 * The alert inbox service: the API function (list, show, acknowledge, resolve, test), the function the
 * EventBridge rules of lambdas/shared/event-rules.ts target (alarm state changes into the inbox), their
 * least-privilege grants and the API routes.
 */
import { ArnFormat, Duration, Stack } from "aws-cdk-lib";
import { Rule, type EventPattern } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { alertsContract } from "../lambdas/alerts/contract.js";
import { EnvName } from "../lambdas/shared/env.js";
import { eventRules } from "../lambdas/shared/event-rules.js";
import { MlwatchFunction } from "./function.js";
import type { MonitoringApi } from "./api.js";
import type { ServiceContext } from "./service-context.js";

/** Props of {@link AlertsService}. */
export interface AlertsServiceProps {
  readonly context: ServiceContext;
  readonly api: MonitoringApi;
  readonly logRetention: RetentionDays;
  /** Prefix of mlwatch's alarm names (the rules match them). */
  readonly alarmPrefix: string;
  /** The alarm `POST /alerts/test` sets to ALARM and back. */
  readonly testAlarmName: string;
  /**
   * Where events end that EventBridge could not deliver to the function, or that the function failed on after
   * its retries (an encrypted queue EventBridge can write to: SSE-SQS, as an AWS managed KMS key's policy
   * cannot admit events.amazonaws.com).
   */
  readonly eventDeadLetterQueue: IQueue;
}

/** Converts an event pattern of the shared definitions (EventBridge's JSON names) to CDK's. */
export function cdkPattern(pattern: Record<string, unknown>): EventPattern {
  const { "detail-type": detailType, ...rest } = pattern;
  return { ...rest, ...(detailType ? { detailType } : {}) } as EventPattern;
}

/** The inbox's functions, rules and routes. */
export class AlertsService extends Construct {
  public readonly handler: MlwatchFunction;
  public readonly ruleHandler: MlwatchFunction;
  public readonly rules: Rule[] = [];

  public constructor(scope: Construct, id: string, props: AlertsServiceProps) {
    super(scope, id);
    const { context } = props;
    this.handler = new MlwatchFunction(this, "Handler", {
      entry: "lambdas/alerts/handlers/api.ts",
      description: "mlwatch alerts: the alert inbox (list, acknowledge, resolve) and the delivery test",
      environment: { ...context.environment, [EnvName.testAlarmName]: props.testAlarmName },
      logRetention: props.logRetention,
      memorySize: 512,
    });
    this.ruleHandler = new MlwatchFunction(this, "RuleHandler", {
      entry: "lambdas/alerts/handlers/rules.ts",
      description: "mlwatch alerts: alarm state changes into the alert inbox",
      environment: context.environment,
      logRetention: props.logRetention,
      memorySize: 256,
      timeout: Duration.seconds(30),
      deadLetterQueue: props.eventDeadLetterQueue,
    });
    for (const fn of [this.handler.function, this.ruleHandler.function]) {
      // Alerts, fingerprints and counts; idempotency records (the API).
      context.grantTable(fn, "readWrite");
      context.grantMetrics(fn);
      context.grantAudit(fn);
    }
    // Deployed, neither function publishes: the test goes through the alarm, alarm alerts were sent by
    // CloudWatch. SetAlarmState on the one test alarm only.
    const stack = Stack.of(this);
    this.handler.function.addToRolePolicy(
      new PolicyStatement({ actions: ["cloudwatch:SetAlarmState"], resources: [stack.formatArn({ service: "cloudwatch", resource: "alarm", resourceName: props.testAlarmName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })] }),
    );
    for (const rule of eventRules.filter((r) => r.target === "alerts")) {
      this.rules.push(
        new Rule(this, `Rule-${rule.id}`, {
          description: rule.description,
          eventPattern: cdkPattern(rule.pattern({ alarmPrefix: props.alarmPrefix, table: context.storage.table.tableName })),
          targets: [new LambdaFunction(this.ruleHandler.function, { retryAttempts: 4, maxEventAge: Duration.hours(2), deadLetterQueue: props.eventDeadLetterQueue })],
        }),
      );
    }
    props.api.addService(this.handler.function, alertsContract);
  }
}
