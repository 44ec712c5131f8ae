/**
 * The CloudWatch (metrics) client and the commands mlwatch sends with it. Lambda code loads this module on first use (lambdas/shared/sdk/*.ts); tests and the local server
 * reach the same instance through lambdas/shared/aws.ts.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { clientDefaults } from "./common.js";

export { ListMetricsCommand, PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";

let client: CloudWatchClient | undefined;

/** The CloudWatch (metrics) client. */
export function cloudWatchClient(): CloudWatchClient {
  client ??= new CloudWatchClient(clientDefaults());
  return client;
}

/** Forgets the client (tests that change the endpoint). */
export function resetCloudWatch(): void {
  client = undefined;
}
