/**
 * SageMaker events in: the rules on `aws.sagemaker` (from lambdas/shared/event-rules.ts), their one Lambda
 * target, that function's least-privilege role, the TrainingJobFailures alarm, and CloudWatch's limit of
 * 10 metrics per alarm (the Lambda error and throttle alarms are split to stay under it).
 */
import { describe, expect, it } from "vitest";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { Code, Function as LambdaFn, Runtime } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import { resourcesOf, synth, roleStatements } from "./synth.js";
import { eventRules, sageMakerRule } from "../../lambdas/shared/event-rules.js";
import { maxAlarmMetrics, MonitoringAlarms } from "../../lib/alarms.js";
import { defaultConfig } from "../../lib/config.js";

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const json = (v: unknown): string => JSON.stringify(v);

/** The metrics (MetricStat entries) each alarm's metric math reads. */
function metricsPerAlarm(template: Template): Array<{ name: string; metrics: number }> {
  return resourcesOf(template, "AWS::CloudWatch::Alarm").map(([, a]) => ({
    name: json(a.Properties.AlarmName),
    metrics: a.Properties.Metrics ? asList(a.Properties.Metrics).filter((m: any) => m.MetricStat).length : 1,
  }));
}

describe("SageMaker events in", () => {
  const { template } = synth();
  const functions = resourcesOf(template, "AWS::Lambda::Function").map(([id, f]) => ({ id, ...f.Properties }));
  const handler = functions.find((f) => String(f.Description ?? "").startsWith("mlwatch sagemaker"))!;
  const rules = resourcesOf(template, "AWS::Events::Rule").map(([id, r]) => ({ id, ...r.Properties }));
  const sageMakerRules = rules.filter((r) => json(r.EventPattern?.source) === json(["aws.sagemaker"]));

  it("has one rule for both SageMaker cases, with the definition's pattern", () => {
    expect(eventRules.filter((r) => r.target === "sagemaker")).toEqual([sageMakerRule]);
    expect(sageMakerRules).toHaveLength(1);
    expect(sageMakerRules[0].EventPattern).toEqual({
      source: ["aws.sagemaker"],
      $or: [
        { "detail-type": ["SageMaker Training Job State Change"], detail: { TrainingJobStatus: ["Failed", "Stopped"] } },
        { "detail-type": ["SageMaker Endpoint State Change"], detail: { EndpointStatus: ["IN_SERVICE", "InService"] } },
      ],
    });
    for (const r of sageMakerRules) expect(r.State ?? "ENABLED").toBe("ENABLED");
  });

  it("targets only the SageMaker events function, with retries, and lets EventBridge invoke it from those rules alone", () => {
    expect(handler).toBeDefined();
    for (const r of sageMakerRules) {
      const targets = asList(r.Targets) as any[];
      expect(targets).toHaveLength(1);
      expect(targets[0].Arn).toEqual({ "Fn::GetAtt": [handler.id, "Arn"] });
      expect(targets[0].RetryPolicy).toMatchObject({ MaximumRetryAttempts: 4 });
    }
    // No other rule reaches this function; no SageMaker rule reaches another.
    for (const r of rules.filter((x) => !sageMakerRules.includes(x))) expect(json(r.Targets)).not.toContain(handler.id);
    const permissions = resourcesOf(template, "AWS::Lambda::Permission")
      .map(([, p]) => p.Properties)
      .filter((p) => json(p.FunctionName).includes(handler.id));
    expect(permissions).toHaveLength(sageMakerRules.length);
    for (const p of permissions) {
      expect(p.Principal).toBe("events.amazonaws.com");
      expect(p.Action).toBe("lambda:InvokeFunction");
      expect(sageMakerRules.map((r) => json({ "Fn::GetAtt": [r.id, "Arn"] }))).toContain(json(p.SourceArn));
    }
  });

  it("grants the function the table, the topic and its key, metrics and the audit log — nothing of SageMaker, no wildcard actions", () => {
    const roleId = handler.Role["Fn::GetAtt"][0];
    const statements = roleStatements(template, roleId);
    const actions = statements.flatMap((s) => asList(s.Action) as string[]);
    expect(actions.some((a) => a.startsWith("sagemaker:"))).toBe(false);
    expect(actions.some((a) => a.includes("*"))).toBe(false);
    expect(actions).toEqual(expect.arrayContaining(["dynamodb:PutItem", "dynamodb:UpdateItem", "sns:Publish", "kms:GenerateDataKey", "cloudwatch:PutMetricData", "logs:PutLogEvents"]));
    expect(actions).not.toContain("events:PutEvents");
    expect(actions).not.toContain("s3:GetObject");
    const publish = statements.find((s) => asList(s.Action).includes("sns:Publish"))!;
    expect(asList(publish.Resource)).toHaveLength(1);
    expect(json(publish.Resource)).toContain("Ref");
    for (const s of statements.filter((x) => json(x.Resource) === json("*"))) {
      expect((asList(s.Action) as string[]).every((a) => ["cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords"].includes(a))).toBe(true);
    }
  });

  it("alarms on TrainingJobFailures of any model (Metrics Insights), notifying the topic", () => {
    const alarms = resourcesOf(template, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const alarm = alarms.find((a) => json(a.AlarmName).includes("training-failures"))!;
    expect(alarm).toBeDefined();
    const expression = (asList(alarm.Metrics) as any[]).map((m) => m.Expression).find(Boolean);
    expect(expression).toBe('SELECT SUM(TrainingJobFailures) FROM SCHEMA("MLWatch", ModelName)');
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: "GreaterThanOrEqualToThreshold", TreatMissingData: "notBreaching" });
    expect(asList(alarm.AlarmActions)).toHaveLength(1);
    expect(asList(alarm.OKActions)).toHaveLength(1);
  });
});

describe("the 10-metric limit of an alarm", () => {
  it("holds for every alarm of the stack", () => {
    const { template } = synth();
    const counts = metricsPerAlarm(template);
    expect(counts.length).toBeGreaterThan(5);
    for (const c of counts) expect(c.metrics, c.name).toBeLessThanOrEqual(maxAlarmMetrics);
  });

  it("splits the Lambda error and throttle sums into groups of 10 functions, each function in exactly one", () => {
    // Prepare: 23 functions (more than the stack has today)
    const app = new App();
    const stack = new Stack(app, "ManyFunctions");
    const fns = Array.from({ length: 23 }, (_, i) => new LambdaFn(stack, `F${i}`, { runtime: Runtime.NODEJS_22_X, handler: "index.handler", code: Code.fromInline("exports.handler=async()=>{}") }));
    // Act
    new MonitoringAlarms(stack, "Alarms", { config: defaultConfig, topic: new Topic(stack, "T"), apiName: "api", apiStage: "v1", functions: fns, monitorFunction: fns[0], prefix: "many" });
    const template = Template.fromStack(stack);
    // Assess
    const alarms = resourcesOf(template, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties);
    const errors = alarms.filter((a) => /^many-lambda-errors(-\d+)?$/.test(a.AlarmName));
    expect(errors.map((a) => a.AlarmName).sort()).toEqual(["many-lambda-errors", "many-lambda-errors-2", "many-lambda-errors-3"]);
    expect(alarms.filter((a) => /^many-lambda-throttles(-\d+)?$/.test(a.AlarmName))).toHaveLength(3);
    const watched = errors.flatMap((a) => (asList(a.Metrics) as any[]).filter((m) => m.MetricStat).map((m) => json(m.MetricStat.Metric.Dimensions)));
    expect(watched).toHaveLength(23);
    expect(new Set(watched).size).toBe(23);
    for (const c of metricsPerAlarm(template)) expect(c.metrics, c.name).toBeLessThanOrEqual(maxAlarmMetrics);
  });
});
