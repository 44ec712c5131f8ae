/**
 * The EventBridge rules mlwatch listens with: one list, read by CDK (lib/alerts.ts, lib/sagemaker.ts and
 * lib/registry.ts create each rule with its Lambda target, by {@link EventRuleDefinition.target}) and by the local bootstrap (lambdas/local/event-relay.ts creates the same rule in the
 * emulator with an SQS relay queue as target, and one poller hands what arrives to the same handler).
 * A rule is data: a name, a description and a pattern built from the stack's alarm prefix and table name.
 */
import { failedTrainingStatuses, inServiceStatuses, SageMakerEvent } from "../core/sagemaker/events.js";
import { eventSource, MlwatchEventType } from "./event-types.js";

/** What a rule's pattern may depend on. */
export interface RuleContext {
  /** The prefix of mlwatch's alarm names (the stack name deployed, the resource prefix locally). */
  readonly alarmPrefix: string;
  /** The stack's table name (mlwatch's own events that only this stack must take name it). */
  readonly table: string;
}

/** The function a rule delivers to: the alerts rule handler, the SageMaker events handler, or the registry. */
export type RuleTarget = "alerts" | "sagemaker" | "registry";

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
 * SageMaker's events, one rule (one rule and one invoke permission fewer in the stack's resource budget)
 * whose pattern holds both cases:
 * - training jobs that failed or were stopped → a `training_failed` alert for the model tagged
 *   `mlwatch-model`. The pattern does not filter on the tag: untagged jobs reach the handler, which counts
 *   and ignores them (so a missing tag is visible on a metric rather than silent);
 * - endpoints in service after a create or update → a deployment record of the tagged model version.
 */
export const sageMakerRule: EventRuleDefinition = {
  id: "sagemaker",
  target: "sagemaker",
  description: "mlwatch: failed or stopped SageMaker training jobs into the alert inbox, endpoints in service into deployments",
  pattern: () => ({
    source: [SageMakerEvent.source],
    $or: [
      { "detail-type": [SageMakerEvent.trainingJob], detail: { TrainingJobStatus: [...failedTrainingStatuses] } },
      // The documented sample spells the status IN_SERVICE; the SageMaker API spells it InService.
      { "detail-type": [SageMakerEvent.endpoint], detail: { EndpointStatus: [...inServiceStatuses] } },
    ],
  }),
};

/**
 * Retention's follow-up: `mlwatch Retention Pending` events of this stack (its table) → the registry, which
 * archives what the model's retention policy lets go (lambdas/registry/retention-dispatch.ts). Deployed, the
 * rule invokes the registry function asynchronously with retries and the events dead-letter queue; a rule
 * rather than a self-invocation, because a function's role cannot name its own function without a
 * dependency cycle.
 */
export const retentionPendingRule: EventRuleDefinition = {
  id: "retention-pending",
  target: "registry",
  description: "mlwatch: retention follow-ups of registrations into the registry",
  pattern: (ctx) => ({
    source: [eventSource],
    "detail-type": [MlwatchEventType.retentionPending],
    detail: { table: [ctx.table] },
  }),
};

/** Every rule, in creation order. */
export const eventRules: readonly EventRuleDefinition[] = [alarmStateChangeRule, sageMakerRule, retentionPendingRule];
