/**
 * The words of a `performance_estimated` alert: predictions without labels yet whose estimated primary
 * metric fell beyond the model's threshold with its whole interval — subject
 * `[MLWatch] Estimated performance drop: {model} {version}`, a body with the estimate, its interval, the
 * baseline and the limit, the rows behind it and the estimate's assumption, and the fingerprint the inbox
 * deduplicates on (version and metric: one open alert per version and metric while the drop lasts).
 * Caller-chosen names go through the safe-text rules; the body is cut to fit SNS's 256 KB.
 */
import { fitMessage, subjectLine, userText } from "../alerts/safe-text.js";
import type { EstimatedDrop } from "./estimation-report.js";
import { estimationAssumption } from "./estimation-report.js";
import { alertFingerprint } from "../alerts/fingerprint.js";

/** What the alert is about. */
export interface EstimatedAlertInput {
  readonly model: string;
  readonly version: string;
  /** UTC day of the predictions estimated. */
  readonly date: string;
  /** Unlabelled rows of that day. */
  readonly count: number;
  readonly method: string;
  readonly drop: EstimatedDrop;
  /** What was just recorded (an unlabelled batch or a prediction log). */
  readonly trigger: string;
}

const fmt = (x: number): string => Number(x.toPrecision(4)).toString();

/** Subject, body, one-line summary and fingerprint of the alert. */
export function estimatedAlertMessage(input: EstimatedAlertInput): { subject: string; body: string; summary: string; fingerprint: string } {
  const model = userText(input.model);
  const version = userText(input.version, 40);
  const d = input.drop;
  const report = `GET /models/${model}/performance?version=${version}`;
  const lines = [
    `Estimated performance drop for model ${model} version ${version} (severity ${d.severity}), before any label arrived.`,
    "",
    `${d.metric} of the ${input.count} unlabelled predictions of ${userText(input.date, 20)} is estimated at ${fmt(d.estimate)} ` +
      `(95 % interval ${fmt(d.interval[0])} to ${fmt(d.interval[1])}), ${d.dropPoints.toFixed(1)} points below the baseline ${fmt(d.baseline)}; ` +
      `the whole interval is below the limit ${fmt(d.limit)} (threshold ${fmt(d.thresholdPoints)} points).`,
    "",
    `Estimated from the scores with a ${userText(input.method, 20)} calibration fitted on the labelled reference; latest input: ${userText(input.trigger, 200)}.`,
    `Assumption: ${estimationAssumption}.`,
    `Report: ${report}`,
  ];
  return {
    subject: subjectLine(`[MLWatch] Estimated performance drop: ${input.model} ${input.version}`),
    body: fitMessage(lines.join("\n"), undefined, report),
    summary: `${model} ${version}: estimated ${d.metric} ${fmt(d.estimate)} (interval up to ${fmt(d.interval[1])}) below ${fmt(d.limit)}`,
    fingerprint: alertFingerprint.performanceEstimated(input.version, d.metric),
  };
}
