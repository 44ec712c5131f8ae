/**
 * Retention's follow-up in the template: one rule on mlwatch's own `mlwatch Retention Pending` events of this
 * stack's table, whose only target is the registry function (retries, maximum age, the events dead-letter
 * queue), one Lambda permission for that rule alone, the function's own dead-letter queue for failed
 * asynchronous runs — and no self-invocation: the registry's role may publish to the default bus but not
 * invoke any function, and carries no MLWATCH_RETENTION_FUNCTION (the dependency cycle the rule avoids; the
 * template synthesizes, and footprint.test.ts checks it for cycles).
 */
import { describe, expect, it } from "vitest";
import { retentionPendingRule, eventRules } from "../../lambdas/shared/event-rules.js";
import { resourcesOf, roleStatements, synth } from "./synth.js";

const json = (x: unknown): string => JSON.stringify(x);
const asList = (x: unknown): unknown[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

describe("registry: retention's follow-up rule", () => {
  const { template } = synth();
  const functions = resourcesOf(template, "AWS::Lambda::Function");
  const registry = functions.filter(([, f]) => String(f.Properties.Description ?? "").startsWith("mlwatch registry:"));
  const [registryId, registryFn] = registry[0];
  const rules = resourcesOf(template, "AWS::Events::Rule");
  const retentionRules = rules.filter(([, r]) => json(r.Properties.EventPattern?.["detail-type"]) === json(["mlwatch Retention Pending"]));
  const tables = resourcesOf(template, "AWS::DynamoDB::Table");

  it("has one rule: source mlwatch, the detail-type, this stack's table", () => {
    expect(registry).toHaveLength(1);
    expect(eventRules.filter((r) => r.target === "registry")).toEqual([retentionPendingRule]);
    expect(retentionRules).toHaveLength(1);
    expect(tables).toHaveLength(1);
    expect(retentionRules[0][1].Properties.EventPattern).toEqual({ source: ["mlwatch"], "detail-type": ["mlwatch Retention Pending"], detail: { table: [{ Ref: tables[0][0] }] } });
    expect(retentionRules[0][1].Properties.State ?? "ENABLED").toBe("ENABLED");
  });

  it("targets the registry function alone, with retries, a maximum age and the events dead-letter queue", () => {
    const targets = asList(retentionRules[0][1].Properties.Targets) as any[];
    expect(targets).toHaveLength(1);
    expect(targets[0].Arn).toEqual({ "Fn::GetAtt": [registryId, "Arn"] });
    expect(targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 });
    const dlq = targets[0].DeadLetterConfig.Arn["Fn::GetAtt"][0];
    expect(template.toJSON().Resources[dlq].Type).toBe("AWS::SQS::Queue");
    // The function's own failed asynchronous runs (after Lambda's retries) land in the same queue.
    expect(registryFn.Properties.DeadLetterConfig.TargetArn).toEqual({ "Fn::GetAtt": [dlq, "Arn"] });
    // No other rule reaches the registry.
    for (const [id, r] of rules) if (id !== retentionRules[0][0]) expect(json(r.Properties.Targets)).not.toContain(registryId);
  });

  it("lets EventBridge invoke the registry from that rule only", () => {
    const permissions = resourcesOf(template, "AWS::Lambda::Permission")
      .map(([, p]) => p.Properties)
      .filter((p) => json(p.FunctionName).includes(registryId) && p.Principal === "events.amazonaws.com");
    expect(permissions).toHaveLength(1);
    expect(permissions[0]).toMatchObject({ Action: "lambda:InvokeFunction", SourceArn: { "Fn::GetAtt": [retentionRules[0][0], "Arn"] } });
  });

  it("gives the registry's role PutEvents on the default bus and no lambda:InvokeFunction; no self-invocation setting", () => {
    const statements = roleStatements(template, registryFn.Properties.Role["Fn::GetAtt"][0]);
    const actions = statements.flatMap((s) => asList(s.Action) as string[]);
    expect(actions.some((a) => a.startsWith("lambda:"))).toBe(false);
    const put = statements.filter((s) => asList(s.Action).includes("events:PutEvents"));
    expect(put).toHaveLength(1);
    expect(asList(put[0].Action)).toEqual(["events:PutEvents"]);
    expect(json(put[0].Resource)).toContain(":event-bus/default");
    const sqs = statements.filter((s) => (asList(s.Action) as string[]).some((a) => a.startsWith("sqs:")));
    expect(sqs.flatMap((s) => asList(s.Action))).toEqual(["sqs:SendMessage"]);
    expect(Object.keys(registryFn.Properties.Environment.Variables)).not.toContain("MLWATCH_RETENTION_FUNCTION");
  });
});
