/**
 * The EventBridge rules of local mode: each rule of lambdas/shared/event-rules.ts is created in the
 * emulator (same name pattern and event pattern as CDK's) with an SQS queue as its target, and one poller
 * hands every event that arrives to the same handler the rule's Lambda runs when deployed.
 */
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { recordAlarmStateChange } from "../alerts/index.js";
import { handler as registryHandler } from "../registry/handlers/api.js";
import { handleSageMakerEvent } from "../sagemaker/index.js";
import { clientDefaults } from "../shared/aws/common.js";
import { eventRules, type RuleContext } from "../shared/event-rules.js";
import { serviceLogger } from "../shared/logger.js";
import { notify } from "../shared/notices.js";
import { localResourceNames } from "./bootstrap.js";

const logger = serviceLogger("relay");

/** The handler each rule's events go to (deployed: the rule's Lambda target runs the same function). */
export const ruleHandlers: Readonly<Record<string, (event: never) => Promise<unknown>>> = {
  "alarm-state": recordAlarmStateChange,
  sagemaker: handleSageMakerEvent,
  // The registry function itself, as the deployed rule invokes it (it recognises the event; no context is read).
  "retention-pending": (event: never) => registryHandler(event, {} as never),
};

/** A rule's relay queue. */
export interface RelayQueue {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly queueUrl: string;
}

let sqs: SQSClient | undefined;
let events: EventBridgeClient | undefined;
const sqsClient = (): SQSClient => (sqs ??= new SQSClient(clientDefaults()));
const eventsClient = (): EventBridgeClient => (events ??= new EventBridgeClient(clientDefaults()));

/** Forgets the clients (tests that move between endpoints). */
export function resetRelayClients(): void {
  sqs = undefined;
  events = undefined;
}

/** Creates every rule with its relay queue for the local stack `prefix` (idempotent). */
export async function bootstrapEventRules(prefix: string, ctx: RuleContext = { alarmPrefix: prefix, table: localResourceNames(prefix).table }): Promise<RelayQueue[]> {
  const queues: RelayQueue[] = [];
  for (const rule of eventRules) {
    const handler = ruleHandlers[rule.id];
    if (!handler) throw new Error(`event rule ${rule.id} has no local handler`);
    const queue = await sqsClient().send(new CreateQueueCommand({ QueueName: `${prefix}-relay-${rule.id}` }));
    const queueUrl = queue.QueueUrl as string;
    const attrs = await sqsClient().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
    const ruleName = `${prefix}-${rule.id}`;
    await eventsClient().send(new PutRuleCommand({ Name: ruleName, Description: rule.description, EventPattern: JSON.stringify(rule.pattern(ctx)), State: "ENABLED" }));
    await eventsClient().send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: "relay", Arn: attrs.Attributes?.QueueArn }] }));
    queues.push({ ruleId: rule.id, ruleName, queueUrl });
  }
  return queues;
}

/**
 * Receives what the relay queues hold and hands each event to its rule's handler; a message is deleted
 * once handled, and left for redelivery when its handler throws.
 * @returns how many events were handled
 */
export async function pollRelayOnce(queues: readonly RelayQueue[], waitSeconds = 0): Promise<number> {
  let handled = 0;
  for (const q of queues) {
    const out = await sqsClient().send(new ReceiveMessageCommand({ QueueUrl: q.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }));
    for (const m of out.Messages ?? []) {
      try {
        const event = JSON.parse(m.Body as string) as { source?: string; "detail-type"?: string };
        notify({ kind: "event", source: String(event.source ?? "?"), detailType: String(event["detail-type"] ?? "?"), rule: q.ruleName });
        await ruleHandlers[q.ruleId](event as never);
        await sqsClient().send(new DeleteMessageCommand({ QueueUrl: q.queueUrl, ReceiptHandle: m.ReceiptHandle }));
        handled++;
      } catch (err) {
        logger.error("relayed event not handled; it will be redelivered", { rule: q.ruleName, messageId: m.MessageId, error: err as Error });
      }
    }
  }
  return handled;
}

/** A running poller. */
export interface RelayPoller {
  stop(): Promise<void>;
}

/** Polls the relay queues every `intervalMs` until stopped. */
export function startRelayPoller(queues: readonly RelayQueue[], intervalMs = 500): RelayPoller {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    if (stopped) return;
    current = pollRelayOnce(queues)
      .catch((err: unknown) => logger.error("relay poll failed", { error: err as Error }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
