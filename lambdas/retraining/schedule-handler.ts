import { runRetrainingSchedule } from "./schedule.js";

/** Lambda entry of the hourly retraining schedule (EventBridge rule). */
export const handler = async (): Promise<{ due: number; requested: number }> => {
  const { due, requests } = await runRetrainingSchedule();
  return { due, requested: requests.filter((r) => r.status === "requested").length };
};
