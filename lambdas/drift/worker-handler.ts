import type { WorkerJob } from "./worker.js";
import { runJob } from "./worker.js";

/** Lambda entry of the drift worker (invoked asynchronously by the drift API). */
export const handler = async (event: WorkerJob): Promise<void> => runJob(event);
