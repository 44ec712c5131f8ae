/**
 * The monitoring dashboard's body, built from lambdas/shared/metric-names.ts: every metric it shows is named
 * there (mlwatch's own through `MetricName` and `Dimension`, AWS's through `AwsMetric`), so a renamed metric
 * cannot leave a widget empty. The body is a CloudFormation `Fn::Sub` template: `${Region}`, `${Namespace}`,
 * `${ApiName}`, `${FunctionFilter}`, `${EndpointFilter}`, … are filled in by lib/dashboard.ts; the alarm
 * thresholds drawn as lines and the alarm list are written unquoted, so the text is JSON once substituted.
 * dashboards/monitoring_dashboard.json is this text (written by `npm run config`, checked by a test).
 */
import { AwsMetric, Dimension, MetricName } from "../lambdas/shared/metric-names.js";

/** Every `${…}` variable of the body, bound by lib/dashboard.ts. */
export const DashboardVariable = {
  region: "${Region}",
  namespace: "${Namespace}",
  apiName: "${ApiName}",
  apiStage: "${ApiStage}",
  functionFilter: "${FunctionFilter}",
  endpointFilter: "${EndpointFilter}",
  endpointList: "${EndpointList}",
  alarmList: "${AlarmList}",
  endpointErrorRateThreshold: "${EndpointErrorRateThreshold}",
  endpointLatencyThresholdUs: "${EndpointLatencyThresholdUs}",
} as const;

const v = DashboardVariable;
const period = 300;
/** The cost widget's period: 30 days (CloudWatch periods are fixed lengths, not calendar months). */
const monthSeconds = 30 * 24 * 3600;
const right = { position: "right" } as const;
const share = { left: { min: 0, max: 1 } } as const;

/** Text written into the JSON as it is, unquoted (a number or a list that is only known after substitution). */
const raw = (text: string): string => `\u0000raw:${text}\u0000`;
const rawPattern = /"\\u0000raw:(.*?)\\u0000"/g;

/** A SEARCH expression over one metric of a namespace, its dimension set, statistic and period. */
function search(namespace: string, dimensions: readonly string[], metric: string, stat: string, seconds: number, filter?: string): string {
  return `SEARCH('{${namespace},${dimensions.join(",")}} MetricName="${metric}"${filter ? ` ${filter}` : ""}', '${stat}', ${seconds})`;
}

/** A SEARCH over mlwatch's namespace. */
const ours = (dimensions: readonly string[], metric: MetricName, stat: string, seconds = period): string => search(v.namespace, dimensions, metric, stat, seconds);
const byVersion = [Dimension.model, Dimension.version];
const byModel = [Dimension.model];

const sm = AwsMetric.sageMaker;
const endpoint = (metric: string, stat: string): string => search(sm.namespace, [sm.dimensions.endpoint, sm.dimensions.variant], metric, stat, period, v.endpointFilter);
const fn = AwsMetric.lambda;
const lambda = (metric: string, stat: string): string => search(fn.namespace, [fn.dimensions.function], metric, stat, period, v.functionFilter);
const api = AwsMetric.apiGateway;
const apiRow = (metric: string, stat: string, label: string): unknown[] => [api.namespace, metric, api.dimensions.api, v.apiName, api.dimensions.stage, v.apiStage, { stat, label }];

/** Metric rows of expressions, numbered e1, e2, … */
function expressions(...rows: Array<[expression: string, label: string]>): unknown[] {
  return rows.map(([expression, label], i) => [{ expression, id: `e${i + 1}`, label, region: v.region }]);
}

/** What a widget needs before the layout places it. */
interface Placed {
  readonly type: "text" | "metric" | "alarm";
  readonly width: number;
  readonly properties: Record<string, unknown>;
}

/** A time series: title, view, stacking, region, period, the metrics, then `tail` (legend, axes, lines) in order. */
function timeSeries(width: number, title: string, metrics: unknown[], tail: Record<string, unknown> = { legend: right }, options: { stacked?: boolean; period?: number } = {}): Placed {
  return {
    type: "metric",
    width,
    properties: { title, view: "timeSeries", stacked: options.stacked ?? false, region: v.region, period: options.period ?? period, metrics, ...tail },
  };
}

/** A widget of `view` without stacking or legend (API graphs, single values). */
function plain(width: number, title: string, view: string, metrics: unknown[], seconds = period): Placed {
  return { type: "metric", width, properties: { title, view, region: v.region, period: seconds, metrics } };
}

const text = (markdown: string): Placed => ({ type: "text", width: 24, properties: { markdown } });

/** A row of widgets of one height, placed left to right. */
interface Row {
  readonly height: number;
  readonly widgets: readonly Placed[];
}

/** The dashboard, row by row. */
const rows: readonly Row[] = [
  {
    height: 3,
    widgets: [
      text(
        "# mlwatch — model monitoring\nPrediction quality, data drift and performance drift for every model (new models appear without a redeploy: widgets use SEARCH), SageMaker endpoint health, API and Lambda health, and alarm status. Namespace `${Namespace}`, region `${Region}`.",
      ),
    ],
  },
  {
    height: 2,
    widgets: [text("## Prediction quality per model and version\nBatch metrics published by `POST /models/{model}/versions/{version}/batches` and joined ground truth.")],
  },
  {
    height: 6,
    widgets: [
      timeSeries(8, "Regression error (RMSE, MAE)", expressions([ours(byVersion, MetricName.batchRmse, "Average"), "RMSE"], [ours(byVersion, MetricName.batchMae, "Average"), "MAE"])),
      timeSeries(8, "R² score", expressions([ours(byVersion, MetricName.batchR2, "Average"), "R²"]), { legend: right, yAxis: { left: { max: 1 } } }),
      timeSeries(8, "MAPE (%)", expressions([ours(byVersion, MetricName.batchMape, "Average"), "MAPE"])),
    ],
  },
  {
    height: 6,
    widgets: [
      timeSeries(
        8,
        "Classification: accuracy and F1",
        expressions([ours(byVersion, MetricName.batchAccuracy, "Average"), "accuracy"], [ours(byVersion, MetricName.batchF1, "Average"), "F1"]),
        { legend: right, yAxis: share },
      ),
      timeSeries(
        8,
        "Classification: precision, recall, AUC",
        expressions(
          [ours(byVersion, MetricName.batchPrecision, "Average"), "precision"],
          [ours(byVersion, MetricName.batchRecall, "Average"), "recall"],
          [ours(byVersion, MetricName.batchAuc, "Average"), "AUC"],
        ),
        { legend: right, yAxis: share },
      ),
      timeSeries(8, "Predictions scored", expressions([ours(byVersion, MetricName.predictionCount, "Sum"), "predictions"]), { legend: right }, { stacked: true }),
    ],
  },
  { height: 2, widgets: [text("## Data drift\nPer-check results of `POST /models/{model}/drift-checks` and the scheduled monitor.")] },
  {
    height: 6,
    widgets: [
      timeSeries(8, `Drift share per model (${MetricName.dataDriftScore})`, expressions([ours(byModel, MetricName.dataDriftScore, "Maximum"), "drift share"]), { legend: right, yAxis: share }),
      timeSeries(8, "Drift detected (0/1)", expressions([ours(byModel, MetricName.driftDetected, "Maximum"), "drift detected"]), { legend: right, yAxis: share }),
      timeSeries(8, "Top 10 features by PSI", expressions([`SORT(${ours([Dimension.model, Dimension.feature], MetricName.featurePsi, "Maximum", 3600)}, MAX, DESC, 10)`, "PSI"])),
    ],
  },
  {
    height: 6,
    widgets: [
      timeSeries(
        12,
        `Constraint violations per check type (${MetricName.constraintViolations}, per hour)`,
        expressions([`SUM(${ours([Dimension.model, Dimension.constraintCheckType], MetricName.constraintViolations, "Sum", 3600)})`, "all"], [ours([Dimension.model, Dimension.constraintCheckType], MetricName.constraintViolations, "Sum", 3600), "violations"]),
        { legend: right },
        { stacked: false, period: 3600 },
      ),
      timeSeries(
        12,
        `Drift check cost per model per month (USD, ${MetricName.driftCheckCost} summed over 30 days)`,
        expressions([ours(byModel, MetricName.driftCheckCost, "Sum", monthSeconds), "USD"]),
        { legend: right, start: "-P180D" },
        { stacked: true, period: monthSeconds },
      ),
    ],
  },
  {
    height: 2,
    widgets: [
      text(
        "## Performance drift\nPercent degradation of each version's primary metric against its baseline (positive = worse), and its estimate from scores while labels have not arrived.",
      ),
    ],
  },
  {
    height: 6,
    widgets: [
      timeSeries(8, "Performance drift (%)", expressions([ours(byVersion, MetricName.performanceDrift, "Maximum"), "degradation %"])),
      plain(8, "Latest performance drift (%)", "singleValue", expressions([`MAX(${ours(byVersion, MetricName.performanceDrift, "Maximum", 3600)})`, "worst version"]), 3600),
      timeSeries(
        8,
        `Estimated primary metric before labels (${MetricName.estimatedPerformance})`,
        expressions([ours(byVersion, MetricName.estimatedPerformance, "Average", 3600), "estimated"]),
        { legend: right, yAxis: share },
        { period: 3600 },
      ),
    ],
  },
  {
    height: 2,
    widgets: [
      text(
        `## SageMaker endpoints\nEndpoints named in context \`endpointNames\` (${v.endpointList}). Error rates are the Average of ${sm.invocation4xxErrors} / ${sm.invocation5xxErrors} (SageMaker reports 1 per failed invocation and 0 per other), i.e. errors ÷ invocations.`,
      ),
    ],
  },
  {
    height: 6,
    widgets: [
      timeSeries(8, "Model latency (µs, p95 and p99; line: the p95 alarm)", expressions([endpoint(sm.modelLatency, "p95"), "p95 latency"], [endpoint(sm.modelLatency, "p99"), "p99 latency"]), {
        annotations: { horizontal: [{ label: `p95 alarm (${v.endpointLatencyThresholdUs} µs)`, value: raw(v.endpointLatencyThresholdUs) }] },
        legend: right,
      }),
      timeSeries(8, sm.invocations, expressions([endpoint(sm.invocations, "Sum"), "invocations"])),
      timeSeries(
        8,
        "Invocation error rate (% of invocations; line: the alarm)",
        expressions([`100 * ${endpoint(sm.invocation5xxErrors, "Average")}`, "5XX %"], [`100 * ${endpoint(sm.invocation4xxErrors, "Average")}`, "4XX %"]),
        {
          annotations: { horizontal: [{ label: `5XX alarm (${v.endpointErrorRateThreshold} %)`, value: raw(v.endpointErrorRateThreshold) }] },
          yAxis: { left: { min: 0, label: "%", showUnits: false } },
          legend: right,
        },
      ),
    ],
  },
  { height: 2, widgets: [text("## API and functions")] },
  {
    height: 6,
    widgets: [
      plain(6, "API latency (ms)", "timeSeries", [apiRow(api.latency, "p50", "p50"), apiRow(api.latency, "p95", "p95"), apiRow(api.latency, "p99", "p99")]),
      plain(6, "API requests and errors", "timeSeries", [apiRow(api.count, "Sum", "requests"), apiRow(api.clientErrors, "Sum", "4XX"), apiRow(api.serverErrors, "Sum", "5XX")]),
      timeSeries(6, "Lambda errors and throttles", expressions([lambda(fn.errors, "Sum"), "errors"], [lambda(fn.throttles, "Sum"), "throttles"])),
      timeSeries(6, "Lambda duration (p95, ms)", expressions([lambda(fn.duration, "p95"), "p95 duration"])),
    ],
  },
  { height: 2, widgets: [text("## Alarms and open alerts")] },
  {
    height: 6,
    widgets: [timeSeries(24, `Open alerts per model (${MetricName.openAlerts}: open or acknowledged)`, expressions([ours(byModel, MetricName.openAlerts, "Maximum"), "open alerts"]))],
  },
  { height: 4, widgets: [{ type: "alarm", width: 24, properties: { title: "Alarm status", alarms: raw(`[${v.alarmList}]`), sortBy: "stateUpdatedTimestamp" } }] },
];

/** The widgets with their places: rows stacked top to bottom, each row's widgets left to right. */
function layout(all: readonly Row[]): unknown[] {
  const widgets: unknown[] = [];
  let y = 0;
  for (const row of all) {
    let x = 0;
    for (const w of row.widgets) {
      const place = { x, y, width: w.width, height: row.height };
      // Metric widgets list their properties first, text and alarm widgets last (the order CloudWatch's own
      // "view source" writes them in).
      widgets.push(w.type === "metric" ? { type: w.type, properties: w.properties, ...place } : { type: w.type, ...place, properties: w.properties });
      x += w.width;
    }
    y += row.height;
  }
  return widgets;
}

/** The dashboard body: a `Fn::Sub` template that is JSON once its variables are substituted. */
export function dashboardBody(): string {
  const body = { start: "-PT24H", periodOverride: "inherit", widgets: layout(rows) };
  return `${JSON.stringify(body, null, 2).replace(rawPattern, "$1")}\n`;
}
