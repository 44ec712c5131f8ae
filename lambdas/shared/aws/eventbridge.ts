/**
 * The EventBridge client (mlwatch's own events on the default bus) and the command mlwatch sends with it. Lambda code loads this module on first use (lambdas/shared/sdk/*.ts); tests and the local server
 * reach the same instance through lambdas/shared/aws.ts.
 */
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { clientDefaults } from "./common.js";

export { PutEventsCommand } from "@aws-sdk/client-eventbridge";

let client: EventBridgeClient | undefined;

/** The EventBridge client. */
export function eventBridgeClient(): EventBridgeClient {
  client ??= new EventBridgeClient(clientDefaults());
  return client;
}

/** Forgets the client (tests that change the endpoint). */
export function resetEventBridge(): void {
  client = undefined;
}
