/**
 * CDK app entry (cdk.json "app"): one MonitoringStack, configured from context, checked by cdk-nag's
 * AwsSolutions rules on every synth and deploy (a new finding stops the synth; see test/infra/nag.test.ts).
 *   npx cdk deploy -c alertEmails=ml-team@example.com
 */
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { MonitoringStack } from "../lib/monitoring-stack.js";

const app = new App();
new MonitoringStack(app, app.node.tryGetContext("stackName") ?? "MLWatch", {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: "mlwatch: model monitoring and model versioning",
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
