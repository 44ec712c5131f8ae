import { runMonitorPass } from "../monitor.js";
import { runGroundTruthSchedules } from "../../performance/index.js";
import { runRetrainingSchedule } from "../../retraining/index.js";
import { serviceLogger } from "../../shared/logger.js";

/**
 * Lambda entry of the hourly schedule (EventBridge rule): the drift monitor's pass, the scheduled ground-truth
 * joins (performance, models with a ground-truth schedule), then the retraining schedule's pass (policies with
 * `schedule.everyHours`). One scheduled function serves all three, so a stopped schedule raises the one
 * `monitor-not-running` alarm, and scheduled joins add no resource to the stack.
 */
export const handler = async (): Promise<{ runId: string; checked: number; groundTruthJoined: number; groundTruthError?: string; retrainingRequested: number; retrainingError?: string }> => {
  const pass = await runMonitorPass(new Date());
  const checked = pass.outcomes.filter((o) => o.outcome === "checked").length;
  let groundTruthJoined = 0;
  let groundTruthError: string | undefined;
  try {
    groundTruthJoined = (await runGroundTruthSchedules(new Date())).filter((o) => o.outcome === "joined").length;
  } catch (err) {
    // Not rethrown, for the same reason as below: each schedule's watermark makes the next pass pick it up.
    serviceLogger("drift-monitor").error("the ground-truth schedules' pass failed", { error: err as Error });
    groundTruthError = (err as Error).message;
  }
  const joins = { groundTruthJoined, ...(groundTruthError !== undefined ? { groundTruthError } : {}) };
  try {
    const schedule = await runRetrainingSchedule(new Date());
    return { runId: pass.runId, checked, ...joins, retrainingRequested: schedule.requests.filter((r) => r.status === "requested").length };
  } catch (err) {
    // Not rethrown: a retry would run the drift pass again. The next hour's pass finds the same due policies.
    serviceLogger("drift-monitor").error("the retraining schedule's pass failed", { error: err as Error });
    return { runId: pass.runId, checked, ...joins, retrainingRequested: 0, retrainingError: (err as Error).message };
  }
};
