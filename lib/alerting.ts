/**
 * Alerts: an encrypted SNS topic (customer-managed KMS key, so CloudWatch alarms may publish to it),
 * TLS-only publishing, e-mail subscriptions and an optional HTTPS webhook.
 */
import { RemovalPolicy } from "aws-cdk-lib";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription, UrlSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

/** Props of {@link Alerting}. */
export interface AlertingProps {
  /** E-mail addresses to subscribe. @default none */
  readonly alertEmails?: readonly string[];
  /** HTTPS endpoint to subscribe. @default none */
  readonly alertWebhookUrl?: string;
}

/** The alert topic, its key and subscriptions. */
export class Alerting extends Construct {
  public readonly topic: Topic;
  public readonly key: Key;

  public constructor(scope: Construct, id: string, props: AlertingProps = {}) {
    super(scope, id);
    this.key = new Key(this, "TopicKey", {
      description: "mlwatch alert topic encryption",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch alarms publish to the encrypted topic: they need to use the key.
    this.key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
    this.topic = new Topic(this, "Topic", {
      displayName: "mlwatch alerts",
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.alertEmails ?? []) this.topic.addSubscription(new EmailSubscription(email));
    if (props.alertWebhookUrl) this.topic.addSubscription(new UrlSubscription(props.alertWebhookUrl));
  }
}
