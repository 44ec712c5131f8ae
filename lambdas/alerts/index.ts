/**
 * The alerts service's front door: what other services may ask of it. Drift, performance and the
 * SageMaker events raise alerts here (the inbox deduplicates them and sends new ones to the topic); the
 * local server's event relay hands it alarm state changes, as the rules function does on AWS.
 */
export { AlertType, AlertState } from "./contract/alert-types.js";
export { raiseAlert, type Alert, type AlertOutcome } from "./raise.js";
export { recordAlarmStateChange, type AlarmStateChangeEvent } from "./alarm-state.js";
