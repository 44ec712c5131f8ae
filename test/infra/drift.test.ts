import { describe, expect, it } from "vitest";
import { resourcesOf, synth, roleStatements } from "./synth.js";
import { expectRoutedTo } from "./gateway.js";
import { EnvName } from "../../lambdas/shared/env.js";
import { defaultCheckPrices } from "../../lambdas/core/cost/check-cost.js";
import { routeSpecs } from "../../lib/api.js";
import { driftContract } from "../../lambdas/drift/contract.js";

const asList = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);
const json = (x: unknown): string => JSON.stringify(x);
const actionsOf = (statements: any[]): string[] => statements.flatMap((s) => asList(s.Action) as string[]);

/** A drift function by its description prefix, its role's statements, and the template. */
function driftFunction(which: "API" | "worker" | "monitor", context: Record<string, unknown> = {}) {
  const { template } = synth(context);
  const fns = resourcesOf(template, "AWS::Lambda::Function").filter(([, f]) => String(f.Properties.Description ?? "").startsWith(`mlwatch drift ${which}`));
  expect(fns).toHaveLength(1);
  const [fnId, fn] = fns[0];
  const roleId = fn.Properties.Role["Fn::GetAtt"][0];
  const statements = roleStatements(template, roleId);
  return { template, fnId, fn, statements };
}

describe("DriftService", () => {
  it("gives the API 29 s and the worker and monitor 15 minutes at 3,008 MB", () => {
    const api = driftFunction("API");
    expect(api.fn.Properties.Timeout).toBe(29);
    expect(api.fn.Properties.Handler).toBe("index.handler");
    for (const which of ["worker", "monitor"] as const) {
      const { fn } = driftFunction(which);
      expect(fn.Properties.Timeout, which).toBe(900);
      expect(fn.Properties.MemorySize, which).toBe(3008);
      const env = fn.Properties.Environment.Variables;
      for (const name of [EnvName.dataBucket, EnvName.table, EnvName.topicArn, EnvName.auditLogGroup, EnvName.metricsNamespace, EnvName.alertSuppressionHours]) {
        expect(env[name], `${which} ${name}`).toBeDefined();
      }
    }
  });

  it("gives every function that completes a check the stack's prices (defaults: us-east-1; context overrides)", () => {
    for (const which of ["API", "worker", "monitor"] as const) {
      const { fn } = driftFunction(which);
      expect(JSON.parse(fn.Properties.Environment.Variables[EnvName.checkPrices]), which).toEqual(defaultCheckPrices);
      const custom = driftFunction(which, { priceLambdaGbSecondUsd: "0.0000166667", priceS3ReadRequestUsd: "0.00000043" });
      expect(JSON.parse(custom.fn.Properties.Environment.Variables[EnvName.checkPrices]), which).toEqual({ ...defaultCheckPrices, lambdaGbSecondUsd: 0.0000166667, s3ReadRequestUsd: 0.00000043 });
    }
    const { template } = synth();
    const reduce = resourcesOf(template, "AWS::Lambda::Function").filter(([, f]) => String(f.Properties.Description ?? "").startsWith("mlwatch drift reduce"));
    expect(reduce).toHaveLength(1);
    expect(JSON.parse(reduce[0][1].Properties.Environment.Variables[EnvName.checkPrices])).toEqual(defaultCheckPrices);
  });

  it("tells the API the worker's name and lets it invoke that function only", () => {
    const api = driftFunction("API");
    const worker = driftFunction("worker");
    expect(api.fn.Properties.Environment.Variables[EnvName.driftQueueFunction]).toEqual({ Ref: worker.fnId });
    const invoke = api.statements.filter((s) => asList(s.Action).includes("lambda:InvokeFunction"));
    expect(invoke).toHaveLength(1);
    expect(json(invoke[0].Resource)).toContain(worker.fnId);
    expect(json(invoke[0].Resource)).not.toContain(driftFunction("monitor").fnId);
    // The monitor invokes the worker only, to hand it scheduled ground-truth joins above the size bound.
    const monitor = driftFunction("monitor", { groundTruthJoinInlineBytes: 1000 });
    const monitorInvoke = monitor.statements.filter((s) => asList(s.Action).includes("lambda:InvokeFunction"));
    expect(monitorInvoke.map((s) => s.Resource)).toEqual([{ "Fn::GetAtt": [worker.fnId, "Arn"] }]);
    expect(monitor.fn.Properties.Environment.Variables[EnvName.driftQueueFunction]).toEqual({ Ref: worker.fnId });
    expect(monitor.fn.Properties.Environment.Variables[EnvName.groundTruthInlineBytes]).toBe("1000");
    const config = resourcesOf(api.template, "AWS::Lambda::EventInvokeConfig").find(([, c]) => json(c.Properties.FunctionName).includes(worker.fnId));
    expect(config![1].Properties.MaximumRetryAttempts).toBe(1);
  });

  it("grants exactly the actions the functions use, none with a wildcard", () => {
    for (const which of ["API", "worker", "monitor"] as const) {
      const actions = new Set(actionsOf(driftFunction(which).statements));
      for (const a of actions) expect(a, which).not.toContain("*");
      for (const needed of [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "dynamodb:ConditionCheckItem",
        "s3:PutObject",
        "s3:GetObject",
        "s3:ListBucket",
        "cloudwatch:PutMetricData",
        "sns:Publish",
        "kms:GenerateDataKey",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]) {
        expect(actions.has(needed), `${which} ${needed}`).toBe(true);
      }
      for (const absent of ["dynamodb:Scan", "logs:FilterLogEvents", "s3:DeleteBucket"]) expect(actions.has(absent), `${which} ${absent}`).toBe(false);
    }
  });

  it("limits writes to baselines/ and reports/drift/, and data reads to the data prefixes and the team's buckets", () => {
    const api = driftFunction("API");
    const writes = api.statements.filter((s) => asList(s.Action).includes("s3:PutObject"));
    expect(writes).toHaveLength(1);
    expect(json(writes[0].Resource)).toContain("/baselines/*");
    expect(json(writes[0].Resource)).toContain("/reports/drift/*");
    expect(json(api.statements)).not.toContain("/datasets/");
    const worker = driftFunction("worker", { dataBuckets: "team-capture" });
    const reads = worker.statements.filter((s) => json(s.Action) === json("s3:GetObject"));
    expect(json(reads)).toContain("/datasets/*");
    expect(json(reads)).toContain("/data-capture/*");
    const team = worker.statements.find((s) => json(s.Resource).includes("arn:aws:s3:::team-capture"));
    expect(asList(team.Action).sort()).toEqual(["s3:GetObject", "s3:ListBucket"]);
    const list = worker.statements.filter((s) => asList(s.Action).includes("s3:ListBucket") && s.Condition);
    expect(list.flatMap((s) => s.Condition.StringLike["s3:prefix"]).sort()).toEqual(["baselines/*", "batches/*", "data-capture/*", "datasets/*", "reports/drift-shards/*", "reports/drift/*"]);
  });

  it("publishes metrics only into the configured namespace", () => {
    const { statements } = driftFunction("monitor", { metricsNamespace: "TeamML" });
    const put = statements.find((s) => asList(s.Action).includes("cloudwatch:PutMetricData"));
    expect(put.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": "TeamML" } });
  });

  it("starts the monitor hourly from EventBridge and alarms when it stops running", () => {
    const { template, fnId } = driftFunction("monitor");
    const rules = resourcesOf(template, "AWS::Events::Rule").filter(([, r]) => json(r.Properties.Targets).includes(fnId));
    expect(rules).toHaveLength(1);
    expect(rules[0][1].Properties.ScheduleExpression).toBe("rate(1 hour)");
    expect(rules[0][1].Properties.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
    const permission = resourcesOf(template, "AWS::Lambda::Permission").find(([, p]) => json(p.Properties.FunctionName).includes(fnId) && p.Properties.Principal === "events.amazonaws.com");
    expect(permission).toBeDefined();
    const alarm = resourcesOf(template, "AWS::CloudWatch::Alarm").find(([, a]) => String(a.Properties.AlarmName ?? "").endsWith("monitor-not-running"));
    expect(json(alarm![1].Properties.Dimensions)).toContain(fnId);
  });

  it("serves every drift route through the API with IAM auth, integrated with the drift API function", () => {
    const { template, fnId } = driftFunction("API");
    const specs = routeSpecs(driftContract);
    expect(specs.map((s) => `${s.method} ${s.path}`).sort()).toEqual([
      "GET /models/{model}/baselines",
      "GET /models/{model}/baselines/{baselineId}",
      "GET /models/{model}/baselines/{baselineId}/constraints.json",
      "GET /models/{model}/baselines/{baselineId}/statistics.json",
      "GET /models/{model}/drift-checks",
      "GET /models/{model}/drift-checks/{checkId}",
      "GET /models/{model}/drift-checks/{checkId}/constraint_violations.json",
      "GET /models/{model}/drift-checks/{checkId}/report.html",
      "GET /models/{model}/monitoring",
      "POST /models/{model}/baselines",
      "POST /models/{model}/baselines/{baselineId}/activate",
      "POST /models/{model}/drift-checks",
      "PUT /models/{model}/monitoring",
    ]);
    expectRoutedTo(template, specs, fnId);
  });
});
