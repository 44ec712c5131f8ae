/**
 * The EventBridge rules mlwatch listens with: one list, read by CDK (lib/alerts.ts creates each rule with
 * its Lambda target) and by the local bootstrap (lambdas/local/event-relay.ts creates the same rule in the
 * emulator with an SQS relay queue as target, and one poller hands what arrives to the same handler).
 * A rule is data: a name, a description and a pattern built from the stack's alarm prefix.
 */

/** What a rule's pattern may depend on. */
export interface RuleContext {
  /** The prefix of mlwatch's alarm names (the stack name deployed, the resource prefix locally). */
  readonly alarmPrefix: string;
}

/** One rule. */
export interface EventRuleDefinition {
  /** Short id, unique in the list: part of the rule's and the relay queue's names. */
  readonly id: string;
  readonly description: string;
  /** The EventBridge event pattern. */
  pattern(ctx: RuleContext): Record<string, unknown>;
}

/** The detail-type and source of a CloudWatch alarm state change. */
export const alarmStateChange = { source: "aws.cloudwatch", detailType: "CloudWatch Alarm State Change" } as const;

/** State changes of mlwatch's own alarms (their names start with `{alarmPrefix}-`) → the alert inbox. */
export const alarmStateChangeRule: EventRuleDefinition = {
  id: "alarm-state",
  description: "mlwatch: state changes of mlwatch's CloudWatch alarms into the alert inbox",
  pattern: (ctx) => ({
    source: [alarmStateChange.source],
    "detail-type": [alarmStateChange.detailType],
    detail: { alarmName: [{ prefix: `${ctx.alarmPrefix}-` }] },
  }),
};

/** Every rule, in creation order. */
export const eventRules: readonly EventRuleDefinition[] = [alarmStateChangeRule];
