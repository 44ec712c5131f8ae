/**
 * The SNS client (alerts) and the commands mlwatch sends with it. Lambda code loads this module on first use (lambdas/shared/sdk/*.ts); tests and the local server
 * reach the same instance through lambdas/shared/aws.ts.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import { clientDefaults } from "./common.js";

export { GetTopicAttributesCommand, PublishCommand } from "@aws-sdk/client-sns";

let client: SNSClient | undefined;

/** The SNS client. */
export function snsClient(): SNSClient {
  client ??= new SNSClient(clientDefaults());
  return client;
}

/** Forgets the client (tests that change the endpoint). */
export function resetSns(): void {
  client = undefined;
}
