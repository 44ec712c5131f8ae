import { timeSortableIdPattern } from "../../shared/time-id.js";
import { runJob, type WorkerJob } from "../worker.js";

const idPattern = timeSortableIdPattern;

/** Lambda entry of the drift worker (invoked asynchronously with a {@link WorkerJob}: by the drift API, and by the performance API and the monitor for large ground-truth joins). */
export const handler = async (event: WorkerJob): Promise<void> => {
  const id = event?.kind === "check" ? event.checkId : event?.kind === "baseline" ? event.baselineId : event?.kind === "ground_truth_join" ? event.jobId : undefined;
  if (typeof event?.model !== "string" || typeof id !== "string" || !idPattern.test(id)) {
    // Not retried: a malformed job can never succeed.
    console.error(JSON.stringify({ level: "ERROR", message: "malformed drift worker job", event }));
    return;
  }
  await runJob(event);
};
