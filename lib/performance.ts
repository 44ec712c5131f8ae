/**
 * The performance service: its function, least-privilege grants and routes.
 *
 * The function writes raw batches under `batches/` of the data bucket, batch summaries, thresholds and
 * logged predictions to the table (and reads the registry's items there for baselines), reads `dataUri`
 * batches from the team's data buckets, publishes metrics into mlwatch's namespace, sends
 * performance-drift alerts to the encrypted topic and writes the audit trail.
 */
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { performanceContract } from "../lambdas/performance/contract.js";
import { MlwatchFunction } from "./function.js";
import { BucketPrefix } from "../lambdas/shared/buckets.js";
import { deployedMemoryMb } from "../lambdas/shared/function-memory.js";
import type { MonitoringApi } from "./api.js";
import type { ServiceContext } from "./service-context.js";

/** Props of {@link PerformanceService}. */
export interface PerformanceServiceProps {
  readonly context: ServiceContext;
  readonly api: MonitoringApi;
  readonly logRetention: RetentionDays;
  /**
   * Memory of the function in MB; `dataUri` batches of up to two million rows are read in memory.
   * @default 1536
   */
  readonly memorySize?: number;
}

/** The performance Lambda behind the API. */
export class PerformanceService extends Construct {
  public readonly handler: MlwatchFunction;

  public constructor(scope: Construct, id: string, props: PerformanceServiceProps) {
    super(scope, id);
    const { context } = props;
    this.handler = new MlwatchFunction(this, "Handler", {
      entry: "lambdas/performance/handlers/api.ts",
      description: "mlwatch performance: prediction batches, delayed ground truth, model-drift alerts, reports",
      environment: context.environment,
      logRetention: props.logRetention,
      memorySize: props.memorySize ?? deployedMemoryMb.performance,
    });
    const fn = this.handler.function;
    // Summaries, thresholds, predictions, alert suppression and idempotency records; registry items read only.
    context.grantTable(fn, "readWrite");
    context.grantBucket(fn, [BucketPrefix.batches], "readWrite");
    context.grantDataBuckets(fn);
    context.grantMetrics(fn);
    context.grantAlerts(fn);
    context.grantAudit(fn);
    context.grantEvents(fn);
    props.api.addService(fn, performanceContract);
  }
}
