import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Match } from "aws-cdk-lib/assertions";
import { resourcesOf, synth } from "./synth.js";
import { dashboardFile } from "../../lib/dashboard.js";
import { MetricName } from "../../lambdas/shared/metrics.js";

const fileText = readFileSync(dashboardFile, "utf8");
const placeholders = [...new Set([...fileText.matchAll(/\$\{([A-Za-z]+)\}/g)].map((m) => m[1]))].sort();

/** Resolves the CloudFormation values a test can know: refs and attributes become their logical ids. */
function resolve(value: any): string {
  if (typeof value === "string") return value;
  if (value.Ref) return String(value.Ref).replace(/^AWS::/, "pseudo-");
  if (value["Fn::GetAtt"]) return value["Fn::GetAtt"].join(".");
  if (value["Fn::Join"]) return value["Fn::Join"][1].map(resolve).join(value["Fn::Join"][0]);
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** Checks one widget against the CloudWatch dashboard body structure. */
function widgetProblems(w: any): string[] {
  const problems: string[] = [];
  if (!["metric", "text", "alarm", "log", "explorer"].includes(w.type)) problems.push(`type ${w.type}`);
  for (const k of ["x", "y", "width", "height"]) if (!Number.isInteger(w[k]) || w[k] < 0) problems.push(`${k} ${w[k]}`);
  if (w.x + w.width > 24) problems.push(`x+width ${w.x + w.width} > 24`);
  if (w.width < 1 || w.height < 1 || w.height > 1000) problems.push("size");
  const p = w.properties;
  if (!p || typeof p !== "object") return [...problems, "no properties"];
  if (w.type === "text" && typeof p.markdown !== "string") problems.push("text without markdown");
  if (w.type === "metric") {
    if (!Array.isArray(p.metrics) || p.metrics.length === 0) problems.push("metric widget without metrics");
    if (typeof p.region !== "string") problems.push("metric widget without region");
    for (const m of p.metrics ?? []) {
      const last = m[m.length - 1];
      const isExpression = m.length === 1 && typeof last === "object" && typeof last.expression === "string" && typeof last.id === "string";
      const isMetric = typeof m[0] === "string" && typeof m[1] === "string" && m.slice(2, typeof last === "object" ? -1 : undefined).length % 2 === 0;
      if (!isExpression && !isMetric) problems.push(`bad metric row ${JSON.stringify(m)}`);
    }
    if (p.view && !["timeSeries", "singleValue", "bar", "pie", "gauge", "table"].includes(p.view)) problems.push(`view ${p.view}`);
  }
  // An alarm's ARN is an attribute of the alarm resource (resolved here to "<logical id>.Arn").
  if (w.type === "alarm" && (!Array.isArray(p.alarms) || p.alarms.length === 0 || p.alarms.length > 100 || p.alarms.some((a: unknown) => typeof a !== "string" || !(a.startsWith("arn:") || a.endsWith(".Arn"))))) problems.push("alarm widget arns");
  return problems;
}

describe("monitoring dashboard", () => {
  const { template, stack } = synth({ endpointNames: "churn-prod,fraud-prod" });
  const dashboards = resourcesOf(template, "AWS::CloudWatch::Dashboard");
  const sub = dashboards[0]?.[1].Properties.DashboardBody["Fn::Sub"];

  it("deploys the committed file as its body, every placeholder bound", () => {
    expect(dashboards).toHaveLength(1);
    expect(sub[0]).toBe(fileText);
    expect(Object.keys(sub[1]).sort()).toEqual(placeholders);
  });

  it("substitutes region, namespace, API, functions and endpoints", () => {
    const vars = Object.fromEntries(Object.entries(sub[1]).map(([k, v]) => [k, resolve(v)]));
    expect(vars.Namespace).toBe("MLWatch");
    expect(vars.ApiName).toBe("mlwatch");
    expect(vars.ApiStage).toBe("v1");
    expect(vars.Region).toBe("pseudo-Region");
    expect(vars.EndpointFilter).toBe('EndpointName=(\\"churn-prod\\" OR \\"fraud-prod\\")');
    const fnIds = resourcesOf(template, "AWS::Lambda::Function").map(([id]) => id);
    for (const id of fnIds) expect(vars.FunctionFilter).toContain(`\\"${id}\\"`);
  });

  it("lists every alarm of the stack in the alarm status widget, named endpoints' and second groups' too", () => {
    const vars = Object.fromEntries(Object.entries(sub[1]).map(([k, v]) => [k, resolve(v)]));
    const body = JSON.parse(sub[0].replace(/\$\{([A-Za-z]+)\}/g, (_: string, k: string) => vars[k]));
    const widget = body.widgets.find((w: any) => w.type === "alarm");
    const alarmIds = resourcesOf(template, "AWS::CloudWatch::Alarm").map(([id]) => `${id}.Arn`);
    expect(alarmIds.length).toBeGreaterThan(10);
    expect([...widget.properties.alarms].sort()).toEqual([...alarmIds].sort());
    const names = resourcesOf(template, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties.AlarmName);
    for (const suffix of ["endpoint-churn-prod-error-rate", "lambda-errors-2", "training-failures", "monitor-not-running"]) expect(names).toContain(`${stack.stackName}-${suffix}`);
  });

  it("is valid dashboard JSON after substitution, every widget well formed", () => {
    const vars = Object.fromEntries(Object.entries(sub[1]).map(([k, v]) => [k, resolve(v)]));
    const body = JSON.parse(sub[0].replace(/\$\{([A-Za-z]+)\}/g, (_: string, k: string) => vars[k]));
    expect(body.widgets.length).toBeGreaterThan(10);
    for (const w of body.widgets) expect(widgetProblems(w), JSON.stringify(w).slice(0, 200)).toEqual([]);
    // no two widgets overlap
    const cells = new Set<string>();
    for (const w of body.widgets)
      for (let x = w.x; x < w.x + w.width; x++)
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`), `overlap at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
  });

  it("has every section, per-model widgets by SEARCH so new models appear without a redeploy", () => {
    for (const section of ["Prediction quality", "Data drift", "Performance drift", "SageMaker endpoints", "API and functions", "Alarms"]) {
      expect(fileText).toContain(`## ${section}`);
    }
    for (const name of [MetricName.batchRmse, MetricName.batchMae, MetricName.batchR2, MetricName.batchAccuracy, MetricName.batchF1, MetricName.dataDriftScore, MetricName.driftDetected, MetricName.featurePsi, MetricName.performanceDrift, MetricName.openAlerts]) {
      expect(fileText).toMatch(new RegExp(`SEARCH\\('\\{\\$\\{Namespace\\},ModelName[^']*\\} MetricName=\\\\"${name}\\\\"`));
    }
    for (const name of ["ModelLatency", "Invocations", "Invocation4XXErrors", "Invocation5XXErrors"]) expect(fileText).toContain(`MetricName=\\"${name}\\"`);
    for (const stat of ["p50", "p95", "p99"]) expect(fileText).toContain(`"stat": "${stat}"`);
  });

  it("shows endpoint error rates (not counts) and p95 latency, each with its alarm's threshold line", () => {
    const vars = Object.fromEntries(Object.entries(sub[1]).map(([k, v]) => [k, resolve(v)]));
    const body = JSON.parse(sub[0].replace(/\$\{([A-Za-z]+)\}/g, (_: string, k: string) => vars[k]));
    const widget = (title: RegExp) => body.widgets.find((w: any) => title.test(w.properties?.title ?? ""));
    const rate = widget(/^Invocation error rate/);
    const expressions = rate.properties.metrics.map((m: any) => m[0].expression);
    expect(expressions).toContain(`100 * SEARCH('{AWS/SageMaker,EndpointName,VariantName} MetricName="Invocation5XXErrors" EndpointName=("churn-prod" OR "fraud-prod")', 'Average', 300)`);
    expect(expressions.some((e: string) => /'Sum'/.test(e))).toBe(false);
    expect(rate.properties.annotations.horizontal).toEqual([{ label: "5XX alarm (5 %)", value: 5 }]);
    const latency = widget(/^Model latency/);
    expect(latency.properties.metrics.map((m: any) => m[0].expression)[0]).toContain("MetricName=\"ModelLatency\"");
    expect(latency.properties.metrics[0][0].expression).toContain("'p95'");
    expect(latency.properties.annotations.horizontal).toEqual([{ label: "p95 alarm (5000000 µs)", value: 5_000_000 }]);
  });
});

describe("alarms", () => {
  const { template, stack } = synth({ endpointNames: "churn-prod" });
  const alarms = resourcesOf(template, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
  const byName = (suffix: string) => alarms.find((a) => a.AlarmName === `${stack.stackName}-${suffix}`);
  const topicRef = resourcesOf(template, "AWS::SNS::Topic")[0][0];

  it("sends ALARM and OK of every alarm to the topic", () => {
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const a of alarms) {
      expect(a.AlarmActions, a.AlarmName).toEqual([{ Ref: topicRef }]);
      expect(a.OKActions, a.AlarmName).toEqual([{ Ref: topicRef }]);
    }
  });

  it("covers models registered after deploy with Metrics Insights queries", () => {
    expect(byName("data-drift").Metrics[0].Expression).toBe('SELECT MAX(DriftDetected) FROM SCHEMA("MLWatch", ModelName)');
    expect(byName("performance-drift")).toMatchObject({ Threshold: 10, ComparisonOperator: "GreaterThanThreshold" });
    expect(byName("performance-drift").Metrics[0].Expression).toContain("SELECT MAX(PerformanceDrift)");
    expect(byName("r2-low")).toMatchObject({ Threshold: 0.9, ComparisonOperator: "LessThanThreshold" });
    expect(byName("r2-low").Metrics[0].Expression).toContain("SELECT MIN(BatchR2Score)");
  });

  it("watches each named endpoint's 5XX rate (metric math over the variant's Sums) and p95 latency in microseconds", () => {
    const rate = byName("endpoint-churn-prod-error-rate");
    expect(rate).toMatchObject({ Threshold: 5, ComparisonOperator: "GreaterThanThreshold" });
    const expression = rate.Metrics.find((m: any) => m.Expression);
    expect(expression.Expression).toBe("IF(invocations > 0, 100 * errors / invocations, 0)");
    const stats = Object.fromEntries(rate.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [m.Id, m.MetricStat]));
    for (const [id, metricName] of [["errors", "Invocation5XXErrors"], ["invocations", "Invocations"]]) {
      expect(stats[id]).toEqual({
        Metric: { Namespace: "AWS/SageMaker", MetricName: metricName, Dimensions: expect.arrayContaining([{ Name: "EndpointName", Value: "churn-prod" }, { Name: "VariantName", Value: "AllTraffic" }]) },
        Period: 300,
        Stat: "Sum",
      });
    }
    const latency = byName("endpoint-churn-prod-latency-p95");
    expect(latency).toMatchObject({ Namespace: "AWS/SageMaker", MetricName: "ModelLatency", ExtendedStatistic: "p95", Threshold: 5_000_000 });
    expect(latency.Dimensions).toEqual(expect.arrayContaining([{ Name: "EndpointName", Value: "churn-prod" }, { Name: "VariantName", Value: "AllTraffic" }]));
    expect(byName("endpoint-error-rate")).toBeUndefined();
  });

  it("takes the variant and thresholds of endpoint alarms from context", () => {
    const { template: t, stack: s } = synth({ endpointNames: "fraud/canary", alarmEndpointErrorRatePercent: 2, alarmEndpointLatencyMs: 250 });
    const found = resourcesOf(t, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const rate = found.find((a) => a.AlarmName === `${s.stackName}-endpoint-fraud-canary-error-rate`);
    expect(rate.Threshold).toBe(2);
    expect(rate.Metrics.find((m: any) => m.Id === "errors").MetricStat.Metric.Dimensions).toEqual(expect.arrayContaining([{ Name: "VariantName", Value: "canary" }]));
    expect(found.find((a) => a.AlarmName === `${s.stackName}-endpoint-fraud-canary-latency-p95`).Threshold).toBe(250_000);
    const vars = resourcesOf(t, "AWS::CloudWatch::Dashboard")[0][1].Properties.DashboardBody["Fn::Sub"][1];
    expect(vars).toMatchObject({ EndpointErrorRateThreshold: "2", EndpointLatencyThresholdUs: "250000" });
    expect(() => synth({ endpointNames: "bad_name" })).toThrow(/endpointNames: "bad_name" is not a SageMaker endpoint name/);
  });

  it("without named endpoints watches every endpoint with Metrics Insights: AVG of 5XX per variant is the error share", () => {
    const { template: t, stack: s } = synth({});
    const found = resourcesOf(t, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const rate = found.find((a) => a.AlarmName === `${s.stackName}-endpoint-error-rate`);
    expect(rate.Threshold).toBe(0.05);
    expect(rate.Metrics[0].Expression).toBe('SELECT AVG(Invocation5XXErrors) FROM SCHEMA("AWS/SageMaker", EndpointName, VariantName) GROUP BY EndpointName, VariantName');
    const latency = found.find((a) => a.AlarmName === `${s.stackName}-endpoint-latency`);
    expect(latency.Threshold).toBe(5_000_000);
    expect(latency.Metrics[0].Expression).toBe('SELECT MAX(ModelLatency) FROM SCHEMA("AWS/SageMaker", EndpointName, VariantName)');
  });

  it("alarms on the API 5XX rate and on Lambda errors and throttles summed over every function", () => {
    const api = byName("api-5xx-rate");
    expect(api.Threshold).toBe(5);
    expect(api.Metrics.find((m: any) => m.Expression)?.Expression).toBe("IF(requests > 0, 100 * errors / requests, 0)");
    // Every function but the fan-out's shard and reduce, whose failures fail the state machine's execution
    // (its own alarm); summed in groups of at most 10 functions (an alarm's metric limit): lambda-errors,
    // lambda-errors-2, …
    const all = resourcesOf(template, "AWS::Lambda::Function");
    const fanOut = all.filter(([, f]) => /^mlwatch drift (shard|reduce):/.test(String(f.Properties.Description))).map(([id]) => id);
    expect(fanOut).toHaveLength(2);
    const fns = all.filter(([id]) => !fanOut.includes(id));
    const group = (base: string) =>
      resourcesOf(template, "AWS::CloudWatch::Alarm")
        .map(([, a]) => a.Properties)
        .filter((a) => new RegExp(`-${base}(-\\d+)?$`).test(String(a.AlarmName)))
        .flatMap((a) => a.Metrics.filter((m: any) => m.MetricStat));
    const errors = group("lambda-errors");
    expect(fns.length).toBeGreaterThan(10);
    expect(errors).toHaveLength(fns.length);
    for (const id of fanOut) expect(JSON.stringify(errors)).not.toContain(`"${id}"`);
    const failed = byName("drift-fanout-failed");
    expect(failed.Metrics.find((m: any) => m.Expression)?.Expression).toBe("failed + timedOut");
    expect(failed.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName).sort()).toEqual(["ExecutionsFailed", "ExecutionsTimedOut"]);
    expect(failed.Threshold).toBe(1);
    // Every function but the drift worker, whose reserved concurrency queues S3 checks by design.
    const worker = fns.find(([, f]) => String(f.Properties.Description).startsWith("mlwatch drift worker:"))![0];
    const throttles = group("lambda-throttles");
    expect(throttles).toHaveLength(fns.length - 1);
    expect(JSON.stringify(throttles)).not.toContain(`"${worker}"`);
    expect(JSON.stringify(errors)).toContain(`"${worker}"`);
  });

  it("takes thresholds from context", () => {
    const { template: t, stack: s } = synth({ alarmPerformanceDriftPercent: 25, alarmR2Below: 0.75, alarmApi5xxPercent: 2 });
    const found = resourcesOf(t, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    expect(found.find((a) => a.AlarmName === `${s.stackName}-performance-drift`).Threshold).toBe(25);
    expect(found.find((a) => a.AlarmName === `${s.stackName}-r2-low`).Threshold).toBe(0.75);
    expect(found.find((a) => a.AlarmName === `${s.stackName}-api-5xx-rate`).Threshold).toBe(2);
  });

  it("lets CloudWatch publish to the encrypted topic", () => {
    template.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: "cloudwatch.amazonaws.com" } })]) },
    });
  });
});
