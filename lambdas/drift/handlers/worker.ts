import { runJob, type WorkerJob } from "../worker.js";

const idPattern = /^[0-9TZ]+-[0-9a-f]{6}$/;

/** Lambda entry of the drift worker (invoked asynchronously by the drift API with a {@link WorkerJob}). */
export const handler = async (event: WorkerJob): Promise<void> => {
  const id = event?.kind === "check" ? event.checkId : event?.kind === "baseline" ? event.baselineId : undefined;
  if (typeof event?.model !== "string" || typeof id !== "string" || !idPattern.test(id)) {
    // Not retried: a malformed job can never succeed.
    console.error(JSON.stringify({ level: "ERROR", message: "malformed drift worker job", event }));
    return;
  }
  await runJob(event);
};
