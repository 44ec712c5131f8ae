/**
 * The events service: pipeline events into the audit trail and the audit trail read back.
 */
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { eventsContract } from "../lambdas/events/contract.js";
import { MlwatchFunction } from "./function.js";
import type { MonitoringApi } from "./api.js";
import type { ServiceContext } from "./service-context.js";

/** Props of {@link EventsService}. */
export interface EventsServiceProps {
  readonly context: ServiceContext;
  readonly api: MonitoringApi;
  readonly logRetention: RetentionDays;
}

/** The events Lambda behind the API. */
export class EventsService extends Construct {
  public readonly handler: MlwatchFunction;

  public constructor(scope: Construct, id: string, props: EventsServiceProps) {
    super(scope, id);
    const { context } = props;
    this.handler = new MlwatchFunction(this, "Handler", {
      entry: "lambdas/events/handlers/api.ts",
      description: "mlwatch events: pipeline events and the audit trail",
      environment: context.environment,
      logRetention: props.logRetention,
      memorySize: 512,
    });
    const fn = this.handler.function;
    context.grantAudit(fn);
    context.grantAuditRead(fn);
    // The idempotency layer every host runs keeps its records in the table.
    context.grantTable(fn, "readWrite");
    props.api.addService(fn, eventsContract);
  }
}
