/**
 * The retraining service: its API function (manual requests, the policy, the request log) with
 * least-privilege grants and routes, and — when context `retrainingPipeline` names one — the EventBridge
 * rules that start a SageMaker pipeline on `mlwatch Retraining Requested`.
 *
 * Each rule matches source `mlwatch`, detail-type `mlwatch Retraining Requested` (and `detail.model` when
 * the context maps models to pipelines), and targets the pipeline with its own role, allowed only
 * `sagemaker:StartPipelineExecution` on that pipeline's ARN. The event's model, trigger and evidence go
 * to the pipeline as parameters (EventBridge reads them from the event by JSON path); the pipeline must
 * declare them (see {@link pipelineParameters}).
 *
 * Scheduled requests are made by the drift monitor's hourly pass (lib/drift.ts), which already runs every
 * hour with the table and the bus granted.
 */
import { Duration, Stack } from "aws-cdk-lib";
import { CfnRule } from "aws-cdk-lib/aws-events";
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { retrainingContract } from "../lambdas/retraining/contract.js";
import { eventBusName, eventSource, MlwatchEventType } from "../lambdas/shared/event-schemas.js";
import type { RetrainingPipelineTarget } from "./config.js";
import { MlwatchFunction } from "./function.js";
import type { MonitoringApi } from "./api.js";
import type { ServiceContext } from "./service-context.js";

/**
 * The parameters a started pipeline receives, by name, with the event path each is read from. A pipeline
 * started by mlwatch declares these three (string) parameters.
 */
export const pipelineParameters = {
  MlwatchModel: "$.detail.model",
  MlwatchTrigger: "$.detail.trigger",
  MlwatchEvidence: "$.detail.evidenceId",
} as const;

/** Props of {@link RetrainingService}. */
export interface RetrainingServiceProps {
  readonly context: ServiceContext;
  readonly api: MonitoringApi;
  readonly logRetention: RetentionDays;
  /** Pipelines to start on `mlwatch Retraining Requested`. @default none (no rule) */
  readonly pipelines?: readonly RetrainingPipelineTarget[];
}

/** The pipeline's ARN: as given, or built from its name in this stack's account and region. */
export function pipelineArn(stack: Stack, pipeline: string): string {
  return pipeline.startsWith("arn:") ? pipeline : stack.formatArn({ service: "sagemaker", resource: "pipeline", resourceName: pipeline });
}

/** The retraining Lambda behind the API, and the pipeline rules. */
export class RetrainingService extends Construct {
  public readonly handler: MlwatchFunction;
  /** One rule per pipeline target (none without context `retrainingPipeline`). */
  public readonly pipelineRules: CfnRule[] = [];

  public constructor(scope: Construct, id: string, props: RetrainingServiceProps) {
    super(scope, id);
    const { context } = props;
    this.handler = new MlwatchFunction(this, "Handler", {
      entry: "lambdas/retraining/handlers/api.ts",
      description: "mlwatch retraining: manual requests, retraining policies, request log",
      environment: context.environment,
      logRetention: props.logRetention,
      memorySize: 512,
    });
    const fn = this.handler.function;
    // Policies, the rate limit's item, requests and idempotency records; the model record is read.
    context.grantTable(fn, "readWrite");
    context.grantEvents(fn);
    context.grantMetrics(fn);
    context.grantAudit(fn);
    props.api.addService(fn, retrainingContract);

    const stack = Stack.of(this);
    (props.pipelines ?? []).forEach((target, i) => {
      const arn = pipelineArn(stack, target.pipeline);
      const role = new Role(this, `PipelineRole${i}`, {
        assumedBy: new ServicePrincipal("events.amazonaws.com"),
        description: `mlwatch: start SageMaker pipeline ${target.pipeline} on Retraining Requested${target.model ? ` for ${target.model}` : ""}`,
        inlinePolicies: {
          start: new PolicyDocument({ statements: [new PolicyStatement({ actions: ["sagemaker:StartPipelineExecution"], resources: [arn] })] }),
        },
      });
      this.pipelineRules.push(
        new CfnRule(this, `PipelineRule${i}`, {
          description: `mlwatch: start ${target.pipeline} when retraining is requested${target.model ? ` for model ${target.model}` : ""}`,
          eventBusName,
          state: "ENABLED",
          eventPattern: {
            source: [eventSource],
            "detail-type": [MlwatchEventType.retrainingRequested],
            ...(target.model ? { detail: { model: [target.model] } } : {}),
          },
          targets: [
            {
              id: "pipeline",
              arn,
              roleArn: role.roleArn,
              sageMakerPipelineParameters: {
                pipelineParameterList: Object.entries(pipelineParameters).map(([name, value]) => ({ name, value })),
              },
              retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: Duration.hours(1).toSeconds() },
            },
          ],
        }),
      );
    });
  }
}
