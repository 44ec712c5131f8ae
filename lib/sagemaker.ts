/**
 * SageMaker's events in: the `aws.sagemaker` rules of lambdas/shared/event-rules.ts (failed or stopped
 * training jobs, endpoints in service), each targeting one function (lambdas/sagemaker/handlers/sagemaker-events.ts) that
 * turns them into training_failed alerts, audit entries, the TrainingJobFailures metric and deployment
 * records. Least privilege: the table (alerts, deployments), the alert topic and its key (a new alert is
 * delivered like every other), the audit log and metrics in the namespace — nothing of SageMaker's own API:
 * the events carry the tags, so no DescribeTrainingJob / ListTags call is needed.
 */
import { Duration } from "aws-cdk-lib";
import { Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { eventRules } from "../lambdas/shared/event-rules.js";
import { cdkPattern } from "./alerts.js";
import { MlwatchFunction } from "./function.js";
import type { ServiceContext } from "./service-context.js";

/** Props of {@link SageMakerEventsService}. */
export interface SageMakerEventsServiceProps {
  readonly context: ServiceContext;
  readonly logRetention: RetentionDays;
  /** Prefix of mlwatch's alarm names (passed to the shared rule definitions). */
  readonly alarmPrefix: string;
  /**
   * Where events end that EventBridge could not deliver to the function, or that the function failed on after
   * its retries (an encrypted queue EventBridge can write to: SSE-SQS, as an AWS managed KMS key's policy
   * cannot admit events.amazonaws.com).
   */
  readonly eventDeadLetterQueue: IQueue;
}

/** The SageMaker events function and its rules. */
export class SageMakerEventsService extends Construct {
  public readonly handler: MlwatchFunction;
  public readonly rules: Rule[] = [];

  public constructor(scope: Construct, id: string, props: SageMakerEventsServiceProps) {
    super(scope, id);
    const { context } = props;
    this.handler = new MlwatchFunction(this, "Handler", {
      entry: "lambdas/sagemaker/handlers/sagemaker-events.ts",
      description: "mlwatch sagemaker: failed training jobs into the inbox, endpoints in service into deployments",
      environment: context.environment,
      logRetention: props.logRetention,
      memorySize: 256,
      timeout: Duration.seconds(30),
      deadLetterQueue: props.eventDeadLetterQueue,
    });
    const fn = this.handler.function;
    // Alerts, fingerprints, counts, deployment records and the version's lastDeployment.
    context.grantTable(fn, "readWrite");
    context.grantAlerts(fn);
    context.grantMetrics(fn);
    context.grantAudit(fn);
    for (const rule of eventRules.filter((r) => r.target === "sagemaker")) {
      this.rules.push(
        new Rule(this, `Rule-${rule.id}`, {
          description: rule.description,
          eventPattern: cdkPattern(rule.pattern({ alarmPrefix: props.alarmPrefix, table: context.storage.table.tableName })),
          targets: [new LambdaFunction(fn, { retryAttempts: 4, maxEventAge: Duration.hours(2), deadLetterQueue: props.eventDeadLetterQueue })],
        }),
      );
    }
  }
}
