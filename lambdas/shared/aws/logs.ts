/**
 * The CloudWatch Logs client (the audit trail) and the commands mlwatch sends with it. Lambda code loads this module on first use (lambdas/shared/sdk/*.ts); tests and the local server
 * reach the same instance through lambdas/shared/aws.ts.
 */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { clientDefaults } from "./common.js";

export { CreateLogStreamCommand, DescribeLogGroupsCommand, FilterLogEventsCommand, PutLogEventsCommand, ResourceAlreadyExistsException } from "@aws-sdk/client-cloudwatch-logs";

let client: CloudWatchLogsClient | undefined;

/** The CloudWatch Logs client. */
export function logsClient(): CloudWatchLogsClient {
  client ??= new CloudWatchLogsClient(clientDefaults());
  return client;
}

/** Forgets the client (tests that change the endpoint). */
export function resetLogs(): void {
  client = undefined;
}
