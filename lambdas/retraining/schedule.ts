/**
 * Scheduled retraining: started hourly by the drift monitor's EventBridge rule (lambdas/drift/handlers/monitor.ts;
 * `runRetrainingSchedule` directly
 * in tests and local mode). Each policy with a `schedule` is due when its `nextScheduledAt` has passed;
 * the slot is taken with a conditional write (store.ts `advanceSchedule`), so overlapping runs request
 * once, and the request goes through the same rate limit as the other automatic triggers.
 */
import { serviceLogger } from "../shared/logger.js";
import { requestRetraining } from "./request.js";
import type { RetrainingRequest } from "./contract.js";
import { advanceSchedule, scheduledPolicies } from "./store/policy.js";

const logger = serviceLogger("retraining-schedule");

/** The caller recorded for scheduled requests. */
export const scheduleActor = "mlwatch-schedule";

/** One pass over the scheduled policies. */
export async function runRetrainingSchedule(now = new Date()): Promise<{ due: number; requests: RetrainingRequest[] }> {
  const requests: RetrainingRequest[] = [];
  let due = 0;
  for (const policy of await scheduledPolicies()) {
    if (!policy.schedule || !policy.nextScheduledAt || Date.parse(policy.nextScheduledAt) > now.getTime()) continue;
    due++;
    try {
      const next = new Date(now.getTime() + policy.schedule.everyHours * 3_600_000).toISOString();
      if (!(await advanceSchedule(policy.model, policy.nextScheduledAt, next))) continue;
      requests.push(
        await requestRetraining({
          model: policy.model,
          trigger: "schedule",
          reason: `scheduled every ${policy.schedule.everyHours} h`,
          requestedBy: scheduleActor,
          minHoursBetween: policy.minHoursBetween,
        }),
      );
    } catch (err) {
      logger.error("scheduled retraining request failed", { model: policy.model, error: err as Error });
    }
  }
  logger.info("retraining schedule pass", { due, requested: requests.filter((r) => r.status === "requested").length });
  return { due, requests };
}
