/**
 * Reading back what the services emitted, from the emulator itself: SNS messages through an SQS queue
 * subscribed to the topic, metrics through GetMetricData, audit entries through FilterLogEvents.
 */
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { SubscribeCommand } from "@aws-sdk/client-sns";
import { GetMetricDataCommand, ListMetricsCommand, type Dimension } from "@aws-sdk/client-cloudwatch";
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { randomBytes } from "node:crypto";
import { cloudWatchClient, logsClient, snsClient } from "../../lambdas/shared/aws.js";

/** An SNS message as delivered to SQS (raw delivery off: the SNS envelope). */
export interface DeliveredMessage {
  readonly subject: string;
  readonly message: string;
  readonly attributes: Record<string, string>;
}

/** A queue subscribed to a topic, to read what the topic published. */
export interface TopicListener {
  /** Waits up to `timeoutMs` for at least `count` messages and returns everything received so far. */
  receive(count?: number, timeoutMs?: number): Promise<DeliveredMessage[]>;
}

/** Subscribes a new SQS queue to `topicArn`. */
export async function listenToTopic(topicArn: string): Promise<TopicListener> {
  const sqs = new SQSClient({});
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: `listen-${randomBytes(5).toString("hex")}` }));
  const queueUrl = queue.QueueUrl as string;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
  await snsClient().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: attrs.Attributes?.QueueArn }));
  const received: DeliveredMessage[] = [];
  return {
    async receive(count = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      do {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        for (const m of out.Messages ?? []) {
          const envelope = JSON.parse(m.Body as string) as { Subject?: string; Message: string; MessageAttributes?: Record<string, { Value: string }> };
          const attributes: Record<string, string> = {};
          for (const [k, v] of Object.entries(envelope.MessageAttributes ?? {})) attributes[k] = v.Value;
          received.push({ subject: envelope.Subject ?? "", message: envelope.Message, attributes });
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
        if (received.length >= count) break;
        await new Promise((r) => setTimeout(r, 100));
      } while (Date.now() < deadline);
      return [...received];
    },
  };
}

/** The values of one metric series over the last `minutes` minutes (Sum, 60 s periods unless given). */
export async function metricValues(
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  options: { minutes?: number; stat?: string; period?: number } = {},
): Promise<number[]> {
  const end = new Date(Date.now() + 60_000);
  const start = new Date(Date.now() - (options.minutes ?? 60) * 60_000);
  const out = await cloudWatchClient().send(
    new GetMetricDataCommand({
      StartTime: start,
      EndTime: end,
      MetricDataQueries: [
        {
          Id: "m0",
          MetricStat: {
            Metric: { Namespace: namespace, MetricName: metricName, Dimensions: Object.entries(dimensions).map(([Name, Value]): Dimension => ({ Name, Value })) },
            Period: options.period ?? 60,
            Stat: options.stat ?? "Sum",
          },
        },
      ],
    }),
  );
  return out.MetricDataResults?.[0]?.Values ?? [];
}

/**
 * A model (or other dimension) name no other test file uses. The emulator's GetMetricData drops the
 * namespace from its filter as soon as a query names dimensions (moto 5.2.1, `get_metric_data`), so two
 * test stacks publishing the same metric for the same model at the same time would read each other's
 * values. Real CloudWatch keeps namespaces apart; tests that read metrics by dimension use these names.
 */
export function uniqueName(base: string): string {
  return `${base}-${randomBytes(3).toString("hex")}`;
}

/** Metric names present in a namespace (ListMetrics). */
export async function metricNames(namespace: string): Promise<string[]> {
  const out = await cloudWatchClient().send(new ListMetricsCommand({ Namespace: namespace }));
  return [...new Set((out.Metrics ?? []).map((m) => m.MetricName as string))].sort();
}

/** Audit entries (parsed JSON) in a log group, optionally filtered by a FilterLogEvents pattern. */
export async function auditEntries(logGroup: string, filterPattern?: string): Promise<any[]> {
  const out = await logsClient().send(new FilterLogEventsCommand({ logGroupName: logGroup, filterPattern }));
  return (out.events ?? []).map((e) => JSON.parse(e.message as string));
}

/** An EventBridge event as an SQS target receives it. */
export interface BusEvent {
  readonly source: string;
  readonly "detail-type": string;
  readonly detail: any;
  readonly id: string;
  readonly time: string;
}

/** A queue behind a rule on the emulator's default bus, to read what mlwatch published there. */
export interface BusListener {
  /**
   * Waits up to `timeoutMs` for at least `count` events that `match` accepts and returns every accepted
   * event received so far (the default bus is shared by every test file: filter by your model).
   */
  receive(match: (e: BusEvent) => boolean, count?: number, timeoutMs?: number): Promise<BusEvent[]>;
}

/** Creates a rule `{ source: ["mlwatch"] }` on the default bus with a new SQS queue as its target — what a user does. */
export async function listenToBus(pattern: Record<string, unknown> = { source: ["mlwatch"] }): Promise<BusListener> {
  const { EventBridgeClient, PutRuleCommand, PutTargetsCommand } = await import("@aws-sdk/client-eventbridge");
  const sqs = new SQSClient({});
  const events = new EventBridgeClient({});
  const id = randomBytes(5).toString("hex");
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: `bus-${id}` }));
  const queueUrl = queue.QueueUrl as string;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
  await events.send(new PutRuleCommand({ Name: `mlwatch-events-${id}`, EventPattern: JSON.stringify(pattern), State: "ENABLED" }));
  await events.send(new PutTargetsCommand({ Rule: `mlwatch-events-${id}`, Targets: [{ Id: "queue", Arn: attrs.Attributes?.QueueArn }] }));
  // Events not yet asked for wait here for a later receive with another matcher.
  const pending: BusEvent[] = [];
  return {
    async receive(match, count = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      const accepted: BusEvent[] = [];
      const take = (): void => {
        for (let i = 0; i < pending.length; ) {
          if (match(pending[i])) accepted.push(...pending.splice(i, 1));
          else i++;
        }
      };
      take();
      while (accepted.length < count && Date.now() < deadline) {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        for (const m of out.Messages ?? []) {
          pending.push(JSON.parse(m.Body as string) as BusEvent);
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
        }
        take();
        if (accepted.length < count) await new Promise((r) => setTimeout(r, 100));
      }
      return [...accepted];
    },
  };
}
