/**
 * Metric names, dimensions and the namespace: the one module used by the publishers (services),
 * the alarms (lib/alerting.ts) and the dashboard substitution (lib/dashboard.ts).
 */
import { PutMetricDataCommand, type MetricDatum, type StandardUnit } from "@aws-sdk/client-cloudwatch";
import { cloudWatchClient } from "./aws.js";

/** The default CloudWatch namespace (context `metricsNamespace` overrides it). */
export const defaultMetricsNamespace = "MLWatch";

/** Every metric mlwatch publishes. */
export const MetricName = {
  dataDriftScore: "DataDriftScore",
  driftDetected: "DriftDetected",
  featurePsi: "FeaturePSI",
  driftChecks: "DriftChecks",
  batchRmse: "BatchRMSE",
  batchMae: "BatchMAE",
  batchMape: "BatchMAPE",
  batchR2: "BatchR2Score",
  batchAccuracy: "BatchAccuracy",
  batchPrecision: "BatchPrecision",
  batchRecall: "BatchRecall",
  batchF1: "BatchF1",
  batchAuc: "BatchAUC",
  predictionCount: "PredictionCount",
  performanceDrift: "PerformanceDrift",
  monitorRuns: "MonitorRuns",
  eventPublishFailures: "EventPublishFailures",
  retrainingRequests: "RetrainingRequests",
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** Dimension names. */
export const Dimension = {
  model: "ModelName",
  version: "ModelVersion",
  feature: "FeatureName",
  detailType: "DetailType",
  trigger: "Trigger",
} as const;

/** One value to publish. */
export interface MetricValue {
  readonly name: MetricName;
  readonly value: number;
  readonly unit?: StandardUnit;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timestamp?: Date;
}

// PutMetricData takes up to 1,000 values per call; smaller calls keep each request well under 1 MB.
const perCall = 500;

/**
 * Publishes values to CloudWatch; non-finite values are skipped (CloudWatch rejects them).
 * @returns how many values were sent
 */
export async function publishMetrics(namespace: string, values: ReadonlyArray<MetricValue>): Promise<number> {
  const data: MetricDatum[] = values
    .filter((v) => Number.isFinite(v.value))
    .map((v) => ({
      MetricName: v.name,
      Value: v.value,
      Unit: v.unit ?? "None",
      Timestamp: v.timestamp ?? new Date(),
      Dimensions: Object.entries(v.dimensions).map(([Name, Value]) => ({ Name, Value })),
    }));
  for (let i = 0; i < data.length; i += perCall) {
    await cloudWatchClient().send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + perCall) }));
  }
  return data.length;
}
