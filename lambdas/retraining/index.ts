/**
 * The retraining service's front door: what other services may ask of it. Drift and performance hand it a
 * finding (the model's policy decides whether a retraining request goes out); the drift monitor's hourly
 * pass runs the retraining schedules.
 */
export { applyRetrainingPolicy, type RetrainingSummary } from "./request.js";
export { runRetrainingSchedule } from "./schedule.js";
