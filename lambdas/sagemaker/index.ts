/**
 * The SageMaker events service's front door: the handling of one `aws.sagemaker` event, called by the
 * Lambda entry (handlers/) and by the local server's event relay.
 */
export { handleSageMakerEvent } from "./events.js";
