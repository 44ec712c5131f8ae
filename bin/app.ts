/**
 * CDK app entry (cdk.json "app"): one MonitoringStack, configured from context.
 *   npx cdk deploy -c alertEmails=ml-team@example.com
 */
import { App } from "aws-cdk-lib";
import { MonitoringStack } from "../lib/monitoring-stack.js";

const app = new App();
new MonitoringStack(app, app.node.tryGetContext("stackName") ?? "MLWatch", {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: "mlwatch: model monitoring and model versioning",
});
