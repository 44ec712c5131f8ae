import { runMonitorPass } from "../monitor.js";
import { runRetrainingSchedule } from "../../retraining/index.js";
import { serviceLogger } from "../../shared/logger.js";

/**
 * Lambda entry of the hourly schedule (EventBridge rule): the drift monitor's pass, then the retraining
 * schedule's (policies with `schedule.everyHours`). One hourly function serves both, so a stopped
 * schedule raises the one `monitor-not-running` alarm.
 */
export const handler = async (): Promise<{ runId: string; checked: number; retrainingRequested: number; retrainingError?: string }> => {
  const pass = await runMonitorPass(new Date());
  const checked = pass.outcomes.filter((o) => o.outcome === "checked").length;
  try {
    const schedule = await runRetrainingSchedule(new Date());
    return { runId: pass.runId, checked, retrainingRequested: schedule.requests.filter((r) => r.status === "requested").length };
  } catch (err) {
    // Not rethrown: a retry would run the drift pass again. The next hour's pass finds the same due policies.
    serviceLogger("drift-monitor").error("the retraining schedule's pass failed", { error: err as Error });
    return { runId: pass.runId, checked, retrainingRequested: 0, retrainingError: (err as Error).message };
  }
};
