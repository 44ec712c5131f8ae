/**
 * The EventBridge rules mlwatch listens with: one list, read by CDK (lib/alerts.ts and lib/sagemaker.ts
 * create each rule with its Lambda target, by {@link EventRuleDefinition.target}) and by the local bootstrap (lambdas/local/event-relay.ts creates the same rule in the
 * emulator with an SQS relay queue as target, and one poller hands what arrives to the same handler).
 * A rule is data: a name, a description and a pattern built from the stack's alarm prefix.
 */
import { failedTrainingStatuses, inServiceStatuses, SageMakerEvent } from "../core/sagemaker/events.js";

/** What a rule's pattern may depend on. */
export interface RuleContext {
  /** The prefix of mlwatch's alarm names (the stack name deployed, the resource prefix locally). */
  readonly alarmPrefix: string;
}

/** The function a rule delivers to: the alerts rule handler, or the SageMaker events handler. */
export type RuleTarget = "alerts" | "sagemaker";

/** One rule. */
export interface EventRuleDefinition {
  /** Short id, unique in the list: part of the rule's and the relay queue's names. */
  readonly id: string;
  /** Which handler receives the rule's events. */
  readonly target: RuleTarget;
  readonly description: string;
  /** The EventBridge event pattern. */
  pattern(ctx: RuleContext): Record<string, unknown>;
}

/** The detail-type and source of a CloudWatch alarm state change. */
export const alarmStateChange = { source: "aws.cloudwatch", detailType: "CloudWatch Alarm State Change" } as const;

/** State changes of mlwatch's own alarms (their names start with `{alarmPrefix}-`) → the alert inbox. */
export const alarmStateChangeRule: EventRuleDefinition = {
  id: "alarm-state",
  target: "alerts",
  description: "mlwatch: state changes of mlwatch's CloudWatch alarms into the alert inbox",
  pattern: (ctx) => ({
    source: [alarmStateChange.source],
    "detail-type": [alarmStateChange.detailType],
    detail: { alarmName: [{ prefix: `${ctx.alarmPrefix}-` }] },
  }),
};

/**
 * Training jobs that failed or were stopped → a `training_failed` alert for the model tagged
 * `mlwatch-model`. The pattern does not filter on the tag: untagged jobs reach the handler, which counts
 * and ignores them (so a missing tag is visible on a metric rather than silent).
 */
export const trainingJobStateRule: EventRuleDefinition = {
  id: "sagemaker-training",
  target: "sagemaker",
  description: "mlwatch: failed or stopped SageMaker training jobs into the alert inbox",
  pattern: () => ({
    source: [SageMakerEvent.source],
    "detail-type": [SageMakerEvent.trainingJob],
    detail: { TrainingJobStatus: [...failedTrainingStatuses] },
  }),
};

/** Endpoints in service after a create or update → a deployment record of the tagged model version. */
export const endpointStateRule: EventRuleDefinition = {
  id: "sagemaker-endpoint",
  target: "sagemaker",
  description: "mlwatch: SageMaker endpoints in service, recorded as deployments of the tagged model version",
  pattern: () => ({
    source: [SageMakerEvent.source],
    "detail-type": [SageMakerEvent.endpoint],
    // The documented sample spells the status IN_SERVICE; the SageMaker API spells it InService.
    detail: { EndpointStatus: [...inServiceStatuses] },
  }),
};

/** Every rule, in creation order. */
export const eventRules: readonly EventRuleDefinition[] = [alarmStateChangeRule, trainingJobStateRule, endpointStateRule];
