/**
 * The words of a performance-drift alert, in the style of the data-drift alerts: a subject
 * `[MLWatch] Performance drift: {model} {version}`, a body that says what degraded by how much and which
 * batch showed it, and the fingerprint the suppression window compares (the sorted degraded metrics, so the
 * same degradation is not sent again within the window while a new one is).
 */
import type { DegradationResult, PerformanceDrift } from "./degradation.js";

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

/** Subject, body and fingerprint of the alert. */
export function performanceAlertMessage(input: PerformanceAlertInput): { subject: string; body: string; fingerprint: string } {
  const { model, version, degradation } = input;
  const lines = [
    `Performance drift detected for model ${model} version ${version} (severity ${degradation.severity}).`,
    "",
    `Batch ${input.batchId} (${input.source === "ground_truth" ? "predictions joined with delayed ground truth" : "prediction batch"}, ${input.count} rows, ${input.timestamp}).`,
    "",
    "What degraded:",
    ...degradation.findings.map((f) => `- ${f.message}`),
  ];
  if (input.drift) {
    const sign = input.drift.changePct >= 0 ? "+" : "";
    lines.push("", `Primary metric ${input.drift.metric}: ${sign}${input.drift.changePct.toFixed(1)} % against the baseline (PerformanceDrift).`);
  }
  lines.push("", `Baseline: ${input.baselineSource}.`);
  if (input.rawUri) lines.push(`Raw batch: ${input.rawUri}`);
  lines.push(`Report: GET /models/${model}/performance?version=${version}`);
  const fingerprint = `performance:${degradation.findings.map((f) => f.metric).sort().join(",")}`;
  return { subject: `[MLWatch] Performance drift: ${model} ${version}`, body: lines.join("\n"), fingerprint };
}
