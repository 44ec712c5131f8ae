/**
 * The words of a performance-drift alert, in the style of the data-drift alerts: a subject
 * `[MLWatch] Performance drift: {model} {version}`, a body that says what degraded by how much and which
 * batch showed it, and the fingerprint the inbox deduplicates on (the version and the sorted degraded
 * metrics, so the same degradation is counted on the open alert while a new one is sent).
 *
 * Metric names and finding messages may carry caller-chosen names: they go through the safe-text rules
 * (lambdas/core/alerts/safe-text.ts) and the body is cut to fit SNS's 256 KB.
 */
import { cappedList, composedText, fitMessage, subjectLine, userText } from "../alerts/safe-text.js";
import type { DegradationResult, PerformanceDrift } from "./degradation.js";
import { alertFingerprint } from "../alerts/fingerprint.js";

/** What the alert is about. */
export interface PerformanceAlertInput {
  readonly model: string;
  readonly version: string;
  readonly batchId: string;
  readonly source: string;
  readonly count: number;
  readonly timestamp: string;
  readonly degradation: DegradationResult;
  readonly drift?: PerformanceDrift;
  /** Where the baseline came from, in words (`registered metrics of version 1.2.0`). */
  readonly baselineSource: string;
  /** The raw batch's s3:// URI. */
  readonly rawUri?: string;
}

/** Most findings listed in one alert. */
export const maxFindingsListed = 20;

/** Subject, body, one-line summary and fingerprint of the alert. */
export function performanceAlertMessage(input: PerformanceAlertInput): { subject: string; body: string; summary: string; fingerprint: string } {
  const { degradation } = input;
  const model = userText(input.model);
  const version = userText(input.version, 40);
  const findings = degradation.findings;
  const lines = [
    `Performance drift detected for model ${model} version ${version} (severity ${userText(degradation.severity, 20)}).`,
    "",
    `Batch ${userText(input.batchId)} (${input.source === "ground_truth" ? "predictions joined with delayed ground truth" : "prediction batch"}, ${input.count} rows, ${userText(input.timestamp, 40)}).`,
    "",
    "What degraded:",
    ...findings.slice(0, maxFindingsListed).map((f) => `- ${composedText(f.message, 300)}`),
    ...(findings.length > maxFindingsListed ? [`… and ${findings.length - maxFindingsListed} more in the report.`] : []),
  ];
  if (input.drift) {
    const sign = input.drift.changePct >= 0 ? "+" : "";
    lines.push("", `Primary metric ${userText(input.drift.metric)}: ${sign}${input.drift.changePct.toFixed(1)} % against the baseline (PerformanceDrift).`);
  }
  lines.push("", `Baseline: ${userText(input.baselineSource)}.`);
  if (input.rawUri) lines.push(`Raw batch: ${composedText(input.rawUri, 400)}`);
  const report = `GET /models/${model}/performance?version=${version}`;
  lines.push(`Report: ${report}`);
  const metrics = findings.map((f) => f.metric).sort();
  const fingerprint = alertFingerprint.performanceDrift(input.version, metrics);
  const summary = `${model} ${version}: ${cappedList(metrics, 5, 40)} degraded (${userText(degradation.severity, 20)})`;
  return { subject: subjectLine(`[MLWatch] Performance drift: ${input.model} ${input.version}`), body: fitMessage(lines.join("\n"), undefined, report), summary, fingerprint };
}
