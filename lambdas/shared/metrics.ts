/**
 * Publishing metrics to CloudWatch. The names, dimensions and namespace are metric-names.ts's
 * (re-exported here for the services).
 */
import type { MetricDatum, StandardUnit } from "@aws-sdk/client-cloudwatch";
import type { MetricName } from "./metric-names.js";
import { loadCloudWatch } from "./sdk/cloudwatch.js";

export { defaultMetricsNamespace, Dimension, MetricName } from "./metric-names.js";

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
  const { PutMetricDataCommand, cloudWatchClient } = await loadCloudWatch();
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
