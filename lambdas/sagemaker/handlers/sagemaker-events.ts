/**
 * Lambda entry for the EventBridge rules on `aws.sagemaker` (lambdas/shared/event-rules.ts): each event
 * goes to the same function the local relay calls.
 */
import type { IncomingEvent } from "../../core/sagemaker/events.js";
import { handleSageMakerEvent } from "../events.js";

export const handler = async (event: IncomingEvent): Promise<void> => {
  await handleSageMakerEvent(event);
};
