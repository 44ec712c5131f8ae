/**
 * The CloudWatch dashboard: the body lib/dashboard-body.ts builds from the metric names (the same text as the
 * committed dashboards/monitoring_dashboard.json), deployed with its placeholders (`${Region}`,
 * `${Namespace}`, `${ApiName}`, `${FunctionFilter}`, `${EndpointFilter}`, …) substituted by CloudFormation
 * (Fn::Sub). The alarm thresholds drawn as lines (`${EndpointErrorRateThreshold}`,
 * `${EndpointLatencyThresholdUs}`) are numbers, so the body is a template: it is JSON once they are substituted.
 */
import { Annotations, Aws, Fn, Stack } from "aws-cdk-lib";
import { CfnDashboard, type IAlarm } from "aws-cdk-lib/aws-cloudwatch";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { join } from "node:path";
import { dashboardBody } from "./dashboard-body.js";
import { projectRoot } from "./function.js";

/** Path of the committed dashboard definition (the body as a file, written by `npm run config`). */
export const dashboardFile = join(projectRoot, "dashboards", "monitoring_dashboard.json");

/** Props of {@link MonitoringDashboard}. */
export interface MonitoringDashboardProps {
  readonly namespace: string;
  readonly apiName: string;
  readonly apiStage: string;
  readonly functions: readonly IFunction[];
  readonly endpointNames: readonly string[];
  /** The endpoint error-rate alarm's threshold in percent, drawn on the error-rate widget. */
  readonly endpointErrorRatePercent: number;
  /** The endpoint latency alarm's threshold in milliseconds, drawn (in µs, ModelLatency's unit) on the latency widget. */
  readonly endpointLatencyMs: number;
  /** The alarms the "Alarm status" widget lists (all of the stack's; the widget shows at most {@link maxAlarmWidgetAlarms}). */
  readonly alarms: readonly IAlarm[];
  /** @default `${stackName}-monitoring` */
  readonly dashboardName?: string;
}

/** A SEARCH filter on one dimension, escaped for use inside the dashboard's JSON strings. */
function searchFilter(dimension: string, values: readonly string[]): string {
  if (values.length === 0) return "";
  return Fn.join("", [`${dimension}=(\\"`, Fn.join('\\" OR \\"', [...values]), '\\")']);
}

/** CloudWatch's limit on the alarms one alarm status widget lists. */
export const maxAlarmWidgetAlarms = 100;

/** The dashboard. */
export class MonitoringDashboard extends Construct {
  public readonly dashboard: CfnDashboard;
  /** The substitution variables, exposed for tests. */
  public readonly variables: Record<string, string>;

  public constructor(scope: Construct, id: string, props: MonitoringDashboardProps) {
    super(scope, id);
    const body = dashboardBody();
    this.variables = {
      Region: Aws.REGION,
      Namespace: props.namespace,
      ApiName: props.apiName,
      ApiStage: props.apiStage,
      FunctionFilter: searchFilter("FunctionName", props.functions.map((f) => f.functionName)),
      EndpointFilter: searchFilter("EndpointName", props.endpointNames),
      EndpointList: props.endpointNames.length ? props.endpointNames.join(", ") : "none named, so every endpoint in the region",
      // The alarm widget's entries, as the JSON strings of a list: every alarm the stack made, so a named
      // endpoint's or a second function group's alarm is listed like the rest.
      AlarmList: Fn.join(",", props.alarms.slice(0, maxAlarmWidgetAlarms).map((a) => Fn.join("", ['"', a.alarmArn, '"']))),
      EndpointErrorRateThreshold: String(props.endpointErrorRatePercent),
      EndpointLatencyThresholdUs: String(props.endpointLatencyMs * 1000),
    };
    if (props.alarms.length > maxAlarmWidgetAlarms) {
      Annotations.of(this).addWarningV2(
        "mlwatch:dashboard-alarms",
        `the alarm status widget lists ${maxAlarmWidgetAlarms} of the stack's ${props.alarms.length} alarms (CloudWatch's limit per widget); the rest are in the CloudWatch console`,
      );
    }
    this.dashboard = new CfnDashboard(this, "Dashboard", {
      dashboardName: props.dashboardName ?? `${Stack.of(this).stackName}-monitoring`,
      dashboardBody: Fn.sub(body, this.variables),
    });
  }
}
