/**
 * The mlwatch stack of this repository's app (bin/app.ts): the {@link MlwatchMonitoring} construct — the one
 * @mlwatch/cdk publishes — and the stack's outputs. Configuration comes from CDK context (see lib/config.ts and
 * docs/configuration.md).
 *
 * The construct's id is `Default`, which CDK leaves out of logical ids: every resource keeps the logical id
 * it had when the stack built them itself, so deployed stacks update in place.
 */
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { MonitoringConfig } from "./config.js";
import { MlwatchMonitoring } from "./monitoring.js";

/** Props of {@link MonitoringStack}. */
export interface MonitoringStackProps extends StackProps {
  /** Configuration; read from context when omitted. */
  readonly config?: MonitoringConfig;
}

/** Everything mlwatch deploys, as one stack. */
export class MonitoringStack extends Stack {
  /** The construct that holds it all. */
  public readonly monitoring: MlwatchMonitoring;

  public constructor(scope: Construct, id: string, props: MonitoringStackProps = {}) {
    super(scope, id, props);
    this.monitoring = new MlwatchMonitoring(this, "Default", props.config ?? {});
    const m = this.monitoring;
    new CfnOutput(this, "ApiUrl", { value: m.api.url, description: "mlwatch API base URL (SigV4, service execute-api)" });
    new CfnOutput(this, "DataBucket", { value: m.bucket.bucketName });
    new CfnOutput(this, "Table", { value: m.table.tableName });
    new CfnOutput(this, "AlertTopicArn", { value: m.alertTopic.topicArn });
    new CfnOutput(this, "AuditLogGroup", { value: m.auditLogGroup.logGroupName });
    new CfnOutput(this, "DashboardUrl", {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${m.dashboard.dashboardName}`,
      description: "the monitoring dashboard",
    });
  }
}
