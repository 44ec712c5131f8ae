import { handle } from "hono/aws-lambda";
import { app } from "../app.js";
import { isRetentionJob, runRetentionJob } from "../retention-dispatch.js";

const api = handle(app);

/** API Gateway requests, and the function's own retention follow-ups (asynchronous self-invocations). */
export const handler = async (event: Parameters<typeof api>[0], context: Parameters<typeof api>[1]) =>
  isRetentionJob(event) ? runRetentionJob(event) : api(event, context);
