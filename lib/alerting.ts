/**
 * Alerts: an encrypted SNS topic (customer-managed KMS key, so CloudWatch alarms may publish to it),
 * TLS-only publishing, e-mail subscriptions and an optional HTTPS webhook.
 *
 * A topic policy replaces SNS's default one, so the services that publish on mlwatch's behalf are named
 * here: CloudWatch (the alarms' actions) and EventBridge (rules that target the topic), each only for
 * this account (`aws:SourceAccount`) and only from mlwatch's alarms or this account's rules
 * (`aws:SourceArn`), so no other account's alarm or rule can use the topic (confused deputy). The key
 * policy lets the same two services use the key under the same conditions. mlwatch's functions publish
 * through their own IAM grants (lib/service-context.ts).
 */
import { Aws, RemovalPolicy, Stack } from "aws-cdk-lib";
import type { IRuleTarget, RuleTargetConfig } from "aws-cdk-lib/aws-events";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { type IKey, Key } from "aws-cdk-lib/aws-kms";
import { type ITopic, Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription, UrlSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

/** Props of {@link Alerting}. */
export interface AlertingProps {
  /** E-mail addresses to subscribe. @default none */
  readonly alertEmails?: readonly string[];
  /** HTTPS endpoint to subscribe. @default none */
  readonly alertWebhookUrl?: string;
  /** Prefix of mlwatch's alarm names: only those alarms may publish. @default the stack name */
  readonly alarmPrefix?: string;
  /**
   * A topic to use instead of creating one (and its key). Its policy and key policy are its owner's: they
   * must let CloudWatch alarms (and EventBridge rules, if any target it) publish. @default a new topic
   */
  readonly existingTopic?: ITopic;
}

/** A service that publishes to the topic for mlwatch, and the source ARNs it may publish from. */
export interface TopicPublisher {
  readonly service: string;
  readonly sourceArnPattern: string;
}

/** The alert topic, its key and subscriptions. */
export class Alerting extends Construct {
  public readonly topic: ITopic;
  /** The topic's KMS key: mlwatch's own, or the existing topic's `masterKey` when it has one. */
  public readonly key?: IKey;
  /** The services allowed to publish (topic policy and key policy alike). */
  public readonly publishers: readonly TopicPublisher[];

  public constructor(scope: Construct, id: string, props: AlertingProps = {}) {
    super(scope, id);
    const prefix = props.alarmPrefix ?? Stack.of(this).stackName;
    const arn = (service: string, resource: string): string => `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    this.publishers = [
      { service: "cloudwatch.amazonaws.com", sourceArnPattern: arn("cloudwatch", `alarm:${prefix}-*`) },
      { service: "events.amazonaws.com", sourceArnPattern: arn("events", "rule/*") },
    ];
    if (props.existingTopic) {
      this.topic = props.existingTopic;
      this.key = props.existingTopic.masterKey;
    } else {
      const { topic, key } = this.createTopic();
      this.topic = topic;
      this.key = key;
    }
    for (const email of props.alertEmails ?? []) this.topic.addSubscription(new EmailSubscription(email));
    if (props.alertWebhookUrl) this.topic.addSubscription(new UrlSubscription(props.alertWebhookUrl));
  }

  private createTopic(): { topic: Topic; key: Key } {
    const key = new Key(this, "TopicKey", {
      description: "mlwatch alert topic encryption",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const topic = new Topic(this, "Topic", {
      displayName: "mlwatch alerts",
      masterKey: key,
      enforceSSL: true,
    });
    for (const p of this.publishers) {
      const conditions = { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID }, ArnLike: { "aws:SourceArn": p.sourceArnPattern } };
      const principal = new ServicePrincipal(p.service);
      topic.addToResourcePolicy(new PolicyStatement({ sid: `Publish-${p.service.split(".")[0]}`, principals: [principal], actions: ["sns:Publish"], resources: [topic.topicArn], conditions }));
      // SNS asks KMS for a data key on the publisher's behalf: the publisher needs the key too.
      key.addToResourcePolicy(new PolicyStatement({ sid: `Use-${p.service.split(".")[0]}`, principals: [principal], actions: ["kms:Decrypt", "kms:GenerateDataKey*"], resources: ["*"], conditions }));
    }
    return { topic, key };
  }

  /**
   * The topic as an EventBridge rule target. Use this rather than `aws-events-targets`' `SnsTopic`: that
   * one adds its own topic-policy statement for `events.amazonaws.com` with no condition, which would
   * let any account's rule publish here; the conditioned statement above already admits this account's rules.
   */
  public ruleTarget(): IRuleTarget {
    const topicArn = this.topic.topicArn;
    return { bind: (): RuleTargetConfig => ({ arn: topicArn }) };
  }
}
