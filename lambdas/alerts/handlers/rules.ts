/**
 * Lambda entry for the EventBridge rules that target the alerts service (lambdas/shared/event-rules.ts):
 * each event goes to the same function the local relay calls.
 */
import { recordAlarmStateChange, type AlarmStateChangeEvent } from "../alarm-state.js";

export const handler = async (event: AlarmStateChangeEvent): Promise<void> => {
  await recordAlarmStateChange(event);
};
