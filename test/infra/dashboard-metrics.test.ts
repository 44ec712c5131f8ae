/**
 * Every metric the dashboard shows comes from lambdas/shared/metric-names.ts: mlwatch's own metrics must be
 * published by some service under that name and with dimensions from the same module; AWS's must be the
 * service's metrics named in `AwsMetric`. Every published metric is either shown or listed here with the reason
 * it is not, and the dashboard's source names no metric by a string of its own — so renaming or adding a metric
 * fails this test until the dashboard follows.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dashboardBody, DashboardVariable } from "../../lib/dashboard-body.js";
import { dashboardFile } from "../../lib/dashboard.js";
import { projectRoot } from "../../lib/function.js";
import { AwsMetric, Dimension, MetricName } from "../../lambdas/shared/metric-names.js";

/** Published metrics the dashboard leaves out, and why. */
const notOnDashboard: Record<string, string> = {
  [MetricName.driftChecks]: "a count of checks run; the drift widgets show their results (score, detected, PSI)",
  [MetricName.monitorRuns]: "a heartbeat of the scheduled monitor; whether it runs is alarmed from its function's invocations (monitor-not-running)",
  [MetricName.eventPublishFailures]: "each failure is also recorded on the check, batch or version it concerns",
  [MetricName.retrainingRequests]: "each request is in the retraining request log (GET /models/{model}/retraining-requests)",
  [MetricName.trainingJobFailures]: "alarmed (training-failures), and the alarm status widget lists that alarm",
  [MetricName.sageMakerEventsIgnored]: "a diagnostic count of SageMaker events without mlwatch's tags",
  [MetricName.incompleteSteps]: "each incomplete step is also listed on the check or batch it concerns (`incomplete`) and logged",
};

/** One metric a widget draws: its namespace (mlwatch's is the `${Namespace}` variable), dimension names and name. */
interface Shown {
  readonly namespace: string;
  readonly dimensions: readonly string[];
  readonly metric: string;
  readonly widget: string;
}

/** The body with every variable replaced by a JSON-safe stand-in (numbers where the body writes them unquoted). */
function parsedBody(): { widgets: any[] } {
  const text = dashboardBody()
    .replaceAll(`[${DashboardVariable.alarmList}]`, '["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"]')
    .replaceAll(`: ${DashboardVariable.endpointErrorRateThreshold}`, ": 5")
    .replaceAll(`: ${DashboardVariable.endpointLatencyThresholdUs}`, ": 5000000");
  return JSON.parse(text);
}

/** Every metric every widget draws: SEARCH expressions (inside any math) and explicit metric rows. */
function shownMetrics(): Shown[] {
  const shown: Shown[] = [];
  for (const widget of parsedBody().widgets) {
    const title = String(widget.properties.title ?? widget.type);
    for (const row of widget.properties.metrics ?? []) {
      if (typeof row[0] === "string") {
        // [namespace, metric, dimension, value, dimension, value, …, options?]
        const pairs = row.slice(2).filter((x: unknown) => typeof x === "string");
        shown.push({ namespace: row[0], metric: row[1], dimensions: pairs.filter((_: unknown, i: number) => i % 2 === 0), widget: title });
        continue;
      }
      const expression: string = row[0].expression;
      const searches = [...expression.matchAll(/SEARCH\('\{(\$\{Namespace\}|[^,{}]+),([^{}]*)\} MetricName="([^"]+)"/g)];
      // Every metric an expression reads is inside a SEARCH this test parsed.
      expect(searches.length, `${title}: ${expression}`).toBe((expression.match(/MetricName=/g) ?? []).length);
      expect(searches.length, `${title}: ${expression}`).toBeGreaterThan(0);
      for (const m of searches) shown.push({ namespace: m[1], dimensions: m[2].split(","), metric: m[3], widget: title });
    }
  }
  return shown;
}

/** Source files under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

/** The `MetricName.<key>` references of lambdas/ outside the module that defines the names. */
function publishedKeys(): Set<string> {
  const definitions = join(projectRoot, "lambdas", "shared", "metric-names.ts");
  const keys = new Set<string>();
  for (const file of sources(join(projectRoot, "lambdas"))) {
    if (file === definitions) continue;
    for (const m of readFileSync(file, "utf8").matchAll(/\bMetricName\.(\w+)/g)) keys.add(m[1]);
  }
  return keys;
}

const keyOf = new Map<string, string>(Object.entries(MetricName).map(([key, name]) => [name, key]));
const awsServices = Object.values(AwsMetric);

describe("dashboard metrics", () => {
  let memo: Shown[] | undefined;
  /** Parsed on first use, inside a test, so a parsing failure is reported as that test's failure. */
  const shownOnce = (): Shown[] => (memo ??= shownMetrics());

  it("is the committed dashboards/monitoring_dashboard.json (run npm run config when this fails)", () => {
    expect(readFileSync(dashboardFile, "utf8")).toBe(dashboardBody());
  });

  it("draws only mlwatch metrics that metric-names.ts defines, under its dimension names, each published by a service", () => {
    const published = publishedKeys();
    const ours = shownOnce().filter((s) => s.namespace === DashboardVariable.namespace);
    expect(ours.length).toBeGreaterThan(10);
    const dimensions = new Set<string>(Object.values(Dimension));
    for (const s of ours) {
      const key = keyOf.get(s.metric);
      expect(key, `${s.widget}: ${s.metric} is not in MetricName`).toBeDefined();
      expect(published.has(key as string), `${s.widget}: ${s.metric} (MetricName.${key}) is published nowhere in lambdas/`).toBe(true);
      for (const d of s.dimensions) expect(dimensions.has(d), `${s.widget}: ${s.metric} by ${d}`).toBe(true);
    }
  });

  it("draws only AWS metrics that AwsMetric names for their namespace, under its dimension names", () => {
    const theirs = shownOnce().filter((s) => s.namespace !== DashboardVariable.namespace);
    expect(theirs.length).toBeGreaterThan(5);
    for (const s of theirs) {
      const service = awsServices.find((a) => a.namespace === s.namespace);
      expect(service, `${s.widget}: namespace ${s.namespace}`).toBeDefined();
      const { namespace: _ns, dimensions, ...metrics } = service!;
      expect(Object.values(metrics) as string[], `${s.widget}: ${s.metric}`).toContain(s.metric);
      for (const d of s.dimensions) expect(Object.values(dimensions) as string[], `${s.widget}: ${s.metric} by ${d}`).toContain(d);
    }
  });

  it("shows every published metric, except the ones listed with a reason", () => {
    const names = new Set(shownOnce().map((s) => s.metric));
    for (const name of Object.values(MetricName)) {
      const skipped = Object.hasOwn(notOnDashboard, name);
      expect(names.has(name) || skipped, `${name} is neither on the dashboard nor listed as left out`).toBe(true);
      if (skipped) expect(names.has(name), `${name} is on the dashboard: remove it from notOnDashboard`).toBe(false);
    }
    for (const name of Object.keys(notOnDashboard)) expect(keyOf.has(name), `${name} is not a metric of MetricName`).toBe(true);
  });

  it("names no metric, dimension or AWS namespace by a string of its own in the dashboard's source", () => {
    const source = readFileSync(join(projectRoot, "lib", "dashboard-body.ts"), "utf8");
    const literals = [...source.matchAll(/(["'`])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2]);
    const names = [
      ...Object.values(MetricName),
      ...Object.values(Dimension),
      ...awsServices.flatMap(({ dimensions, ...rest }) => [...Object.values(rest), ...Object.values(dimensions)]),
    ];
    for (const name of names) {
      const pattern = new RegExp(`(^|[^A-Za-z0-9{])${name.replace(/[/]/g, "\\/")}([^A-Za-z0-9]|$)`);
      expect(literals.filter((l) => pattern.test(l)), name).toEqual([]);
    }
  });
});
