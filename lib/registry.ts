/**
 * The registry service: its function, least-privilege grants and routes.
 */
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { registryContract } from "../lambdas/registry/contract.js";
import { MlwatchFunction } from "./function.js";
import { BucketPrefix } from "../lambdas/shared/buckets.js";
import type { MonitoringApi } from "./api.js";
import type { ServiceContext } from "./service-context.js";

/** Props of {@link RegistryService}. */
export interface RegistryServiceProps {
  readonly context: ServiceContext;
  readonly api: MonitoringApi;
  readonly logRetention: RetentionDays;
}

/** The registry Lambda behind the API. */
export class RegistryService extends Construct {
  public readonly handler: MlwatchFunction;

  public constructor(scope: Construct, id: string, props: RegistryServiceProps) {
    super(scope, id);
    const { context } = props;
    this.handler = new MlwatchFunction(this, "Handler", {
      entry: "lambdas/registry/handlers/api.ts",
      description: "mlwatch registry: model versions, lifecycle, deployments, datasets",
      environment: context.environment,
      logRetention: props.logRetention,
    });
    const fn = this.handler.function;
    context.grantTable(fn, "readWrite");
    context.grantBucket(fn, [BucketPrefix.artifacts, BucketPrefix.datasets], "readWrite");
    context.grantDataBuckets(fn);
    context.grantAudit(fn);
    context.grantEvents(fn);
    // EventPublishFailures when a lifecycle event cannot be published.
    context.grantMetrics(fn);
    context.grantHealthChecks(fn);
    props.api.addService(fn, registryContract);
  }
}
