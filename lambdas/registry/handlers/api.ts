import { handle } from "hono/aws-lambda";
import { app } from "../app.js";
import { handleRetentionPending, isRetentionPendingEvent } from "../retention-dispatch.js";

const api = handle(app);

/** API Gateway requests, and retention follow-ups (`mlwatch Retention Pending`, delivered by the stack's rule). */
export const handler = async (event: Parameters<typeof api>[0], context: Parameters<typeof api>[1]) =>
  isRetentionPendingEvent(event) ? handleRetentionPending(event) : api(event, context);
