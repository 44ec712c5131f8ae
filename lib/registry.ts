/**
 * The registry service: its function, least-privilege grants and routes, and the rule that brings its
 * retention follow-ups (`mlwatch Retention Pending`, published by a registration) back to the function.
 */
import { Duration, Stack } from "aws-cdk-lib";
import { Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { registryContract } from "../lambdas/registry/contract.js";
import { eventRules } from "../lambdas/shared/event-rules.js";
import { MlwatchFunction } from "./function.js";
import { BucketPrefix } from "../lambdas/shared/buckets.js";
import { cdkPattern } from "./alerts.js";
import type { MonitoringApi } from "./api.js";
import type { ServiceContext } from "./service-context.js";

/** Props of {@link RegistryService}. */
export interface RegistryServiceProps {
  readonly context: ServiceContext;
  readonly api: MonitoringApi;
  readonly logRetention: RetentionDays;
  /**
   * Where retention follow-ups end that EventBridge could not deliver, or that the function failed on after
   * its retries (the stack's events dead-letter queue).
   */
  readonly eventDeadLetterQueue: IQueue;
}

/** The registry Lambda behind the API. */
export class RegistryService extends Construct {
  public readonly handler: MlwatchFunction;
  public readonly rules: Rule[] = [];

  public constructor(scope: Construct, id: string, props: RegistryServiceProps) {
    super(scope, id);
    const { context } = props;
    this.handler = new MlwatchFunction(this, "Handler", {
      entry: "lambdas/registry/handlers/api.ts",
      description: "mlwatch registry: model versions, lifecycle, deployments, datasets",
      environment: context.environment,
      logRetention: props.logRetention,
      deadLetterQueue: props.eventDeadLetterQueue,
    });
    const fn = this.handler.function;
    context.grantTable(fn, "readWrite");
    context.grantBucket(fn, [BucketPrefix.artifacts, BucketPrefix.artifactUploads, BucketPrefix.datasets], "readWrite");
    context.grantDataBuckets(fn);
    context.grantAudit(fn);
    context.grantEvents(fn);
    // EventPublishFailures when a lifecycle event cannot be published.
    context.grantMetrics(fn);
    context.grantHealthChecks(fn);
    // Retention's follow-up: the registration publishes (grantEvents above), this rule invokes the function
    // asynchronously. A rule rather than a self-invocation: the function's role holds its grants inline and
    // cannot name its own function without a dependency cycle; the rule names the function, the function's
    // resource policy names the rule, and the role names neither.
    for (const rule of eventRules.filter((r) => r.target === "registry")) {
      this.rules.push(
        new Rule(this, `Rule-${rule.id}`, {
          description: rule.description,
          eventPattern: cdkPattern(rule.pattern({ alarmPrefix: Stack.of(this).stackName, table: context.storage.table.tableName })),
          targets: [new LambdaFunction(fn, { retryAttempts: 4, maxEventAge: Duration.hours(2), deadLetterQueue: props.eventDeadLetterQueue })],
        }),
      );
    }
    props.api.addService(fn, registryContract);
  }
}
