import { describe, expect, it } from "vitest";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { Rule } from "aws-cdk-lib/aws-events";
import { SnsTopic } from "aws-cdk-lib/aws-events-targets";
import { MonitoringStack } from "../../lib/monitoring-stack.js";
import { alertsContract } from "../../lambdas/alerts/contract.js";
import { routeSpecs } from "../../lib/api.js";
import { EnvName } from "../../lambdas/shared/env.js";
import { TableKeys } from "../../lambdas/shared/table.js";
import { iamStatements, resourcesOf, roleStatements, synth } from "./synth.js";
import { expectRoutedTo } from "./gateway.js";

const asList = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const json = (x: unknown): string => JSON.stringify(x);

/** The statements of the topic's policies that Allow a service principal to sns:Publish on `topicRef`. */
function publishStatements(template: Template, topicRef: string, service: string): any[] {
  return resourcesOf(template, "AWS::SNS::TopicPolicy")
    .filter(([, p]) => json(p.Properties.Topics).includes(topicRef))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[])
    .filter((s) => s.Effect === "Allow" && asList(s.Principal?.Service).includes(service) && asList(s.Action).some((a: string) => a.toLowerCase() === "sns:publish"));
}

/** A condition limits the publisher to this account and to named sources. */
function expectConfusedDeputyGuard(statement: any): void {
  expect(statement.Condition?.StringEquals?.["aws:SourceAccount"]).toEqual({ Ref: "AWS::AccountId" });
  expect(json(statement.Condition?.ArnLike?.["aws:SourceArn"])).toMatch(/arn:|Partition/);
}

/** Checks every alarm action and every rule target that is a topic against the topic and key policies. */
function checkPublishers(template: Template): number {
  let checked = 0;
  const keys = resourcesOf(template, "AWS::KMS::Key");
  const topics = new Map(resourcesOf(template, "AWS::SNS::Topic").map(([id, t]) => [id, t]));
  const keyStatementsFor = (topicId: string, service: string): any[] => {
    const keyRef = json(topics.get(topicId)!.Properties.KmsMasterKeyId);
    const key = keys.find(([id]) => keyRef.includes(id));
    expect(key, `the key of ${topicId}`).toBeDefined();
    return (key![1].Properties.KeyPolicy.Statement as any[]).filter(
      (s) => s.Effect === "Allow" && asList(s.Principal?.Service).includes(service) && asList(s.Action).includes("kms:GenerateDataKey*") && asList(s.Action).includes("kms:Decrypt"),
    );
  };
  const check = (topicId: string, service: string, sourceArn: string | undefined, what: string): void => {
    const statements = publishStatements(template, topicId, service);
    expect(statements.length, `${what}: a topic-policy statement allows ${service}`).toBeGreaterThan(0);
    for (const s of statements) expectConfusedDeputyGuard(s);
    if (sourceArn) {
      // The ArnLike pattern admits this source: `prefix-*` matches the alarm's name.
      const pattern = json(statements[0].Condition.ArnLike["aws:SourceArn"]);
      const literal = /alarm:([^*"]*)\*/.exec(pattern)?.[1];
      if (literal !== undefined) expect(sourceArn.startsWith(literal), `${what} is under ${literal}*`).toBe(true);
    }
    const keyStatements = keyStatementsFor(topicId, service);
    expect(keyStatements.length, `${what}: the key policy lets ${service} use the key`).toBeGreaterThan(0);
    for (const s of keyStatements) expectConfusedDeputyGuard(s);
    checked++;
  };
  for (const [id, alarm] of resourcesOf(template, "AWS::CloudWatch::Alarm")) {
    for (const action of [...asList(alarm.Properties.AlarmActions), ...asList(alarm.Properties.OKActions)]) {
      const topicId = (action as { Ref?: string }).Ref;
      if (topicId && topics.has(topicId)) check(topicId, "cloudwatch.amazonaws.com", alarm.Properties.AlarmName, `alarm ${id}`);
    }
  }
  for (const [id, rule] of resourcesOf(template, "AWS::Events::Rule")) {
    for (const target of asList(rule.Properties.Targets) as any[]) {
      const topicId = target.Arn?.Ref;
      if (topicId && topics.has(topicId)) check(topicId, "events.amazonaws.com", undefined, `rule ${id}`);
    }
  }
  return checked;
}

/** The alerting construct of a stack. */
const alertingOf = (s: MonitoringStack) => s.monitoring.alerting;

describe("alert delivery permissions", () => {
  const { template, stack } = synth();

  it("allows each alarm's publisher (CloudWatch) on the topic and the key, limited to this account and mlwatch's alarms", () => {
    const checked = checkPublishers(template);
    expect(checked).toBe(2 * resourcesOf(template, "AWS::CloudWatch::Alarm").length);
    const [statement] = publishStatements(template, resourcesOf(template, "AWS::SNS::Topic")[0][0], "cloudwatch.amazonaws.com");
    expect(json(statement.Condition.ArnLike["aws:SourceArn"])).toContain(`:alarm:${stack.stackName}-*`);
  });

  it("covers rules that target the topic too (EventBridge), so a rule added later is checked", () => {
    // Prepare: the stack plus a rule that sends to the alert topic, as the SageMaker rules will.
    const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
    const s = new MonitoringStack(app, "RuleStack", { env: { account: "123456789012", region: "eu-west-1" } });
    new Rule(s, "ToTopic", { eventPattern: { source: ["aws.sagemaker"] }, targets: [alertingOf(s).ruleTarget()] });
    // Act
    const t = Template.fromStack(s);
    const rules = resourcesOf(t, "AWS::Events::Rule").filter(([, r]) => asList(r.Properties.Targets).some((x: any) => x.Arn?.Ref));
    // Assess: every alarm action and the rule's target are covered by a conditioned statement.
    expect(rules.length).toBeGreaterThan(0);
    expect(checkPublishers(t)).toBe(2 * resourcesOf(t, "AWS::CloudWatch::Alarm").length + rules.length);
  });

  it("would catch a publisher allowed without a condition (CDK's own SnsTopic target adds one)", () => {
    const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
    const s = new MonitoringStack(app, "UnguardedStack", { env: { account: "123456789012", region: "eu-west-1" } });
    new Rule(s, "ToTopic", { eventPattern: { source: ["aws.sagemaker"] }, targets: [new SnsTopic(alertingOf(s).topic)] });
    expect(() => checkPublishers(Template.fromStack(s))).toThrow(/SourceAccount|expected undefined/);
  });

  it("no longer lets any service use the key without a condition", () => {
    const [, key] = resourcesOf(template, "AWS::KMS::Key")[0];
    for (const s of key.Properties.KeyPolicy.Statement as any[]) {
      if (s.Principal?.Service) expectConfusedDeputyGuard(s);
    }
  });
});

describe("alert inbox service", () => {
  const { template, stack } = synth();
  const functions = resourcesOf(template, "AWS::Lambda::Function").map(([id, f]) => ({ id, ...f.Properties }));
  const inbox = functions.find((f) => /alert inbox/.test(f.Description ?? ""))!;
  const ruleFn = functions.find((f) => /alarm state changes/.test(f.Description ?? ""))!;

  it("has an API function and a rule function, both told the resources they use", () => {
    expect(inbox).toBeDefined();
    expect(ruleFn).toBeDefined();
    for (const name of [EnvName.table, EnvName.metricsNamespace, EnvName.auditLogGroup, EnvName.reportRetentionDays]) {
      expect(inbox.Environment.Variables[name], name).toBeDefined();
      expect(ruleFn.Environment.Variables[name], name).toBeDefined();
    }
    expect(inbox.Environment.Variables[EnvName.testAlarmName]).toBe(`${stack.stackName}-data-drift`);
  });

  it("sends every inbox route to the inbox function through the API", () => {
    const specs = routeSpecs(alertsContract);
    expect(specs.map((s) => `${s.method} ${s.path}`).sort()).toEqual(["GET /alerts", "GET /alerts/{alertId}", "POST /alerts/test", "POST /alerts/{alertId}/acknowledge", "POST /alerts/{alertId}/resolve"]);
    expectRoutedTo(template, specs, inbox.id);
  });

  it("routes state changes of mlwatch's alarms (and only those) to the rule function", () => {
    const rules = resourcesOf(template, "AWS::Events::Rule").map(([, r]) => r.Properties).filter((r) => r.EventPattern?.["detail-type"]);
    const rule = rules.find((r) => r.EventPattern["detail-type"].includes("CloudWatch Alarm State Change"));
    expect(rule.EventPattern).toEqual({ source: ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"], detail: { alarmName: [{ prefix: `${stack.stackName}-` }] } });
    expect(json(rule.Targets)).toContain(ruleFn.id);
    // Every alarm is named under that prefix, so each state change reaches the inbox.
    for (const [, a] of resourcesOf(template, "AWS::CloudWatch::Alarm")) expect(a.Properties.AlarmName.startsWith(`${stack.stackName}-`)).toBe(true);
  });

  it("grants only what the inbox needs: the table, metrics, audit, and SetAlarmState on the test alarm alone", () => {
    const statements = iamStatements(template);
    const setState = statements.filter((s) => asList(s.Action).includes("cloudwatch:SetAlarmState"));
    expect(setState).toHaveLength(1);
    expect(json(setState[0].Resource)).toContain(`:alarm:${stack.stackName}-data-drift`);
    expect(json(setState[0].Resource)).not.toContain("*");
    // Neither inbox function may publish: the test goes through the alarm, alarm alerts were sent by CloudWatch.
    for (const fn of [inbox, ruleFn]) {
      const granted = roleStatements(template, fn.Role["Fn::GetAtt"][0]);
      expect(granted.length).toBeGreaterThan(0);
      expect(json(granted)).not.toContain("sns:Publish");
    }
  });

  it("keeps resolved alerts only until the table's TTL removes them", () => {
    const [, table] = resourcesOf(template, "AWS::DynamoDB::Table")[0];
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TableKeys.ttlAttribute, Enabled: true });
  });
});
