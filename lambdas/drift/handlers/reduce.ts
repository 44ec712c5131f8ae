import { runFailJob, runReduceJob, type ReduceJob } from "../fanout.js";

/** The reduce step's input; `action: "fail"` is the Catch's step, with the caught error. */
type ReduceEvent = ReduceJob & { readonly action?: "reduce" | "fail"; readonly error?: unknown };

/** Lambda entry of a fan-out check's reduce step (merge the summaries, complete the check) and failure step. */
export const handler = async (event: ReduceEvent): Promise<{ driftDetected?: boolean }> => {
  if (typeof event?.model !== "string" || typeof event.checkId !== "string" || typeof event.objects !== "number") {
    throw new Error("malformed drift reduce input");
  }
  if (event.action === "fail") {
    await runFailJob(event);
    return {};
  }
  return runReduceJob(event);
};
