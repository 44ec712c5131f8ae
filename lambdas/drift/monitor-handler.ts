import { runMonitorPass } from "./monitor.js";

/** Lambda entry of the scheduled drift monitor (EventBridge rule, hourly). */
export const handler = async (): Promise<{ runId: string; checked: number }> => {
  const pass = await runMonitorPass(new Date());
  return { runId: pass.runId, checked: pass.outcomes.filter((o) => o.outcome === "checked").length };
};
