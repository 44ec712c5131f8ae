/**
 * Alarms to the alert topic (ALARM and OK both notify).
 *
 * Per-model conditions use CloudWatch Metrics Insights queries (`SELECT MAX(DriftDetected) FROM
 * SCHEMA("MLWatch", ModelName)`): one alarm covers every model, including models registered after deploy,
 * with no extra metrics to publish or pay for. The alarm says *that* some model crossed the line; the SNS
 * alert sent by the service says which model and why.
 */
import { Duration, Stack } from "aws-cdk-lib";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData, type IMetric } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { AwsMetric, Dimension, MetricName } from "../lambdas/shared/metric-names.js";
import type { MonitoringConfig } from "./config.js";

/** Props of {@link MonitoringAlarms}. */
export interface MonitoringAlarmsProps {
  readonly config: MonitoringConfig;
  readonly topic: ITopic;
  readonly apiName: string;
  readonly apiStage: string;
  /** Every mlwatch function (errors and throttles are summed over them). */
  readonly functions: readonly IFunction[];
  /** The scheduled drift monitor; its alarm fires when it has not run for two hours. @default no such alarm */
  readonly monitorFunction?: IFunction;
  /** Dead-letter queues of asynchronous functions; any message in one alarms. @default none */
  readonly deadLetterQueues?: ReadonlyArray<{ readonly queue: IQueue; readonly holds: string }>;
  /** Functions left out of the throttles alarm (reserved concurrency that queues by design). @default none */
  readonly throttleExempt?: readonly IFunction[];
  /** State machines whose failed or timed-out executions alarm (the fan-out drift checks). @default none */
  readonly stateMachines?: readonly IStateMachine[];
  /** Alarm name prefix. @default the stack name */
  readonly prefix?: string;
}

/** What {@link MonitoringAlarms} passes for one alarm. */
type AlarmSettings = Omit<ConstructorParameters<typeof Alarm>[2], "alarmName" | "alarmDescription">;

/** The alarm `mlwatch alerts test` sets to ALARM and back (deployed). */
export const testAlarmId = "data-drift";

/** CloudWatch's limit on the metrics one alarm's metric math may use. */
export const maxAlarmMetrics = 10;

/** The name of alarm `id` under `prefix`. */
export const alarmNameOf = (prefix: string, id: string): string => `${prefix}-${id}`;

const insights = (expression: string, label: string): IMetric =>
  new MathExpression({ expression, label, period: Duration.minutes(5), usingMetrics: {} });

/** The alarms. */
export class MonitoringAlarms extends Construct {
  public readonly alarms: Alarm[] = [];
  public readonly prefix: string;

  public constructor(scope: Construct, id: string, props: MonitoringAlarmsProps) {
    super(scope, id);
    const { config } = props;
    const ns = config.metricsNamespace;
    this.prefix = props.prefix ?? Stack.of(this).stackName;
    const action = new SnsAction(props.topic);
    const add = (name: string, description: string, alarmProps: AlarmSettings): Alarm => {
      const alarm = new Alarm(this, name, { ...alarmProps, alarmName: alarmNameOf(this.prefix, name), alarmDescription: description });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
      return alarm;
    };

    add("data-drift", "Data drift detected for at least one model (see the SNS drift alert for which)", {
      metric: insights(`SELECT MAX(${MetricName.driftDetected}) FROM SCHEMA("${ns}", ${Dimension.model})`, "drift detected (any model)"),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    add("performance-drift", `Primary metric degraded more than ${config.alarmPerformanceDriftPercent}% against baseline for some model version`, {
      metric: insights(`SELECT MAX(${MetricName.performanceDrift}) FROM SCHEMA("${ns}", ${Dimension.model}, ${Dimension.version})`, "worst performance drift %"),
      threshold: config.alarmPerformanceDriftPercent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    add("r2-low", `Batch R² below ${config.alarmR2Below} for some model version`, {
      metric: insights(`SELECT MIN(${MetricName.batchR2}) FROM SCHEMA("${ns}", ${Dimension.model}, ${Dimension.version})`, "lowest batch R²"),
      threshold: config.alarmR2Below,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    add("training-failures", "A SageMaker training job of a model (tag mlwatch-model) failed or was stopped (see the training_failed alert in the inbox)", {
      metric: insights(`SELECT SUM(${MetricName.trainingJobFailures}) FROM SCHEMA("${ns}", ${Dimension.model})`, "failed training jobs (all models)"),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.addEndpointAlarms(config, add);
    const api = AwsMetric.apiGateway;
    const apiMetric = (metricName: string, statistic: string): Metric =>
      new Metric({ namespace: api.namespace, metricName, dimensionsMap: { [api.dimensions.api]: props.apiName, [api.dimensions.stage]: props.apiStage }, statistic, period: Duration.minutes(5) });
    add("api-5xx-rate", `API 5XX responses above ${config.alarmApi5xxPercent}% of requests`, {
      metric: new MathExpression({
        expression: "IF(requests > 0, 100 * errors / requests, 0)",
        usingMetrics: { errors: apiMetric(api.serverErrors, "Sum"), requests: apiMetric(api.count, "Sum") },
        label: "5XX rate %",
        period: Duration.minutes(5),
      }),
      threshold: config.alarmApi5xxPercent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // An alarm's metric math may use at most 10 metrics (CloudWatch's limit): the functions are summed in
    // groups of that size, one alarm per group — `lambda-errors` for the first, `lambda-errors-2`, … after.
    const inGroups = (fns: readonly IFunction[]): IFunction[][] => {
      const out: IFunction[][] = [];
      for (let i = 0; i < fns.length; i += maxAlarmMetrics) out.push(fns.slice(i, i + maxAlarmMetrics));
      return out.length ? out : [[]];
    };
    const groups = inGroups(props.functions);
    const sumOver = (fns: readonly IFunction[], metric: (fn: IFunction) => IMetric, label: string): IMetric => {
      const usingMetrics: Record<string, IMetric> = {};
      fns.forEach((fn, i) => (usingMetrics[`f${i}`] = metric(fn)));
      return new MathExpression({ expression: Object.keys(usingMetrics).join(" + ") || "0", usingMetrics, label, period: Duration.minutes(5) });
    };
    const groupId = (base: string, g: number): string => (g === 0 ? base : `${base}-${g + 1}`);
    groups.forEach((fns, g) => {
      add(groupId("lambda-errors", g), `mlwatch functions raised errors${groups.length > 1 ? ` (group ${g + 1} of ${groups.length})` : ""}`, {
        metric: sumOver(fns, (fn) => fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }), "errors (all functions)"),
        threshold: config.alarmLambdaErrors,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    });
    const throttleGroups = inGroups(props.functions.filter((fn) => !(props.throttleExempt ?? []).includes(fn)));
    throttleGroups.forEach((fns, g) => {
      add(groupId("lambda-throttles", g), `mlwatch functions were throttled${throttleGroups.length > 1 ? ` (group ${g + 1} of ${throttleGroups.length})` : ""}`, {
        metric: sumOver(fns, (fn) => fn.metricThrottles({ period: Duration.minutes(5), statistic: "Sum" }), "throttles (all functions)"),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    });
    (props.stateMachines ?? []).forEach((machine, i) => {
      add(i === 0 ? "drift-fanout-failed" : `drift-fanout-failed-${i + 1}`, "A fan-out drift check failed or timed out (its check is marked failed; see the state machine's log)", {
        metric: new MathExpression({
          expression: "failed + timedOut",
          usingMetrics: { failed: machine.metricFailed({ period: Duration.minutes(5), statistic: "Sum" }), timedOut: machine.metricTimedOut({ period: Duration.minutes(5), statistic: "Sum" }) },
          label: "failed or timed-out executions",
          period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    });
    (props.deadLetterQueues ?? []).forEach(({ queue, holds }, i) => {
      add(i === 0 ? "async-dead-letters" : `async-dead-letters-${i + 1}`, `Asynchronous work failed for good: ${holds} are waiting in a dead-letter queue`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: "Maximum" }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    });
    if (props.monitorFunction) {
      add("monitor-not-running", "The scheduled drift monitor has not run for two hours", {
        metric: props.monitorFunction.metricInvocations({ period: Duration.hours(2), statistic: "Sum" }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.BREACHING,
      });
    }
  }

  /**
   * SageMaker endpoint health. Named endpoints (context `endpointNames`, `endpoint` or `endpoint/variant`,
   * variant default `AllTraffic`) get two alarms each: the error rate `100 · Invocation5XXErrors /
   * Invocations` as metric math over the variant's Sums, and p95 ModelLatency. Without names, one Metrics
   * Insights alarm per condition covers every endpoint, including ones created after deploy: Metrics
   * Insights cannot divide one query by another, but SageMaker reports Invocation5XXErrors as 1 per failed
   * invocation and 0 per other, so its AVG per endpoint and variant (GROUP BY: one contributor each) is
   * errors ÷ invocations; and it has no percentiles, so latency is watched by its MAX.
   * ModelLatency is reported in microseconds; the context gives milliseconds.
   */
  private addEndpointAlarms(config: MonitoringConfig, add: (name: string, description: string, props: AlarmSettings) => Alarm): void {
    const latencyUs = config.alarmEndpointLatencyMs * 1000;
    const rate = config.alarmEndpointErrorRatePercent;
    const sageMaker = AwsMetric.sageMaker;
    const { endpoint: endpointDimension, variant: variantDimension } = sageMaker.dimensions;
    const schema = `SCHEMA("${sageMaker.namespace}", ${endpointDimension}, ${variantDimension})`;
    if (config.endpointNames.length === 0) {
      add("endpoint-error-rate", `Some SageMaker endpoint variant answered more than ${rate}% of its invocations with a 5XX error`, {
        metric: insights(`SELECT AVG(${sageMaker.invocation5xxErrors}) FROM ${schema} GROUP BY ${endpointDimension}, ${variantDimension}`, "5XX share of invocations (per endpoint variant)"),
        threshold: rate / 100,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      add("endpoint-latency", `SageMaker ModelLatency above ${config.alarmEndpointLatencyMs} ms on some endpoint (maximum: Metrics Insights has no percentiles)`, {
        metric: insights(`SELECT MAX(${sageMaker.modelLatency}) FROM ${schema}`, "max model latency (µs)"),
        threshold: latencyUs,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      return;
    }
    for (const entry of config.endpointNames) {
      const [endpoint, variant = "AllTraffic"] = entry.split("/");
      const dims = { [endpointDimension]: endpoint, [variantDimension]: variant };
      const sm = (metricName: string, statistic: string): Metric =>
        new Metric({ namespace: sageMaker.namespace, metricName, dimensionsMap: dims, statistic, period: Duration.minutes(5) });
      const label = variant === "AllTraffic" ? endpoint : `${endpoint}-${variant}`;
      add(`endpoint-${label}-error-rate`, `SageMaker endpoint ${endpoint} (variant ${variant}): 5XX errors above ${rate}% of invocations`, {
        metric: new MathExpression({
          expression: "IF(invocations > 0, 100 * errors / invocations, 0)",
          usingMetrics: { errors: sm(sageMaker.invocation5xxErrors, "Sum"), invocations: sm(sageMaker.invocations, "Sum") },
          label: `${label} 5XX rate %`,
          period: Duration.minutes(5),
        }),
        threshold: rate,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      add(`endpoint-${label}-latency-p95`, `SageMaker endpoint ${endpoint} (variant ${variant}): p95 ModelLatency above ${config.alarmEndpointLatencyMs} ms`, {
        metric: sm(sageMaker.modelLatency, "p95"),
        // ModelLatency is reported in microseconds.
        threshold: latencyUs,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
  }
}
