import { describe, expect, it } from "vitest";
import { resourcesOf, synth, roleStatements } from "./synth.js";
import { expectRoutedTo } from "./gateway.js";
import { EnvName } from "../../lambdas/shared/env.js";
import { routeSpecs } from "../../lib/api.js";
import { performanceContract } from "../../lambdas/performance/contract.js";

const asList = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);

/** The performance function, its role's statements, and the template. */
function performanceFunction(context: Record<string, unknown> = {}) {
  const { template } = synth(context);
  const fns = resourcesOf(template, "AWS::Lambda::Function").filter(([, f]) => String(f.Properties.Description ?? "").startsWith("mlwatch performance"));
  expect(fns).toHaveLength(1);
  const [fnId, fn] = fns[0];
  const roleId = fn.Properties.Role["Fn::GetAtt"][0];
  const statements = roleStatements(template, roleId);
  return { template, fnId, fn, statements };
}

const actionsOf = (statements: any[]): string[] => statements.flatMap((s) => asList(s.Action) as string[]);
const json = (x: unknown): string => JSON.stringify(x);

describe("PerformanceService", () => {
  it("runs the performance handler with the shared environment and 1.5 GB for dataUri batches", () => {
    const { fn } = performanceFunction();
    expect(fn.Properties.MemorySize).toBe(1536);
    expect(fn.Properties.Handler).toBe("index.handler");
    const env = fn.Properties.Environment.Variables;
    for (const name of [EnvName.dataBucket, EnvName.table, EnvName.topicArn, EnvName.auditLogGroup, EnvName.metricsNamespace, EnvName.alertSuppressionHours]) {
      expect(env[name], name).toBeDefined();
    }
  });

  it("grants exactly the actions the service uses, none with a wildcard", () => {
    const { statements } = performanceFunction();
    const actions = new Set(actionsOf(statements));
    for (const a of actions) expect(a).not.toContain("*");
    for (const needed of [
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:Query",
      "s3:PutObject",
      "s3:GetObject",
      "s3:ListBucket",
      "cloudwatch:PutMetricData",
      "sns:Publish",
      "kms:GenerateDataKey",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]) {
      expect(actions.has(needed), needed).toBe(true);
    }
    for (const absent of ["logs:FilterLogEvents", "dynamodb:Scan", "s3:DeleteBucket"]) expect(actions.has(absent), absent).toBe(false);
  });

  it("hands Model Monitor joins above groundTruthJoinInlineBytes to the drift worker: its name, the bound, and invoke on the unqualified worker only", () => {
    const { template, fn, statements } = performanceFunction({ groundTruthJoinInlineBytes: 4096 });
    const [[workerId]] = resourcesOf(template, "AWS::Lambda::Function").filter(([, f]) => String(f.Properties.Description ?? "").startsWith("mlwatch drift worker"));
    const env = fn.Properties.Environment.Variables;
    expect(env[EnvName.driftQueueFunction]).toEqual({ Ref: workerId });
    expect(env[EnvName.groundTruthInlineBytes]).toBe("4096");
    expect(performanceFunction().fn.Properties.Environment.Variables[EnvName.groundTruthInlineBytes]).toBe(String(64 * 1024 ** 2));
    const invoke = statements.filter((s) => asList(s.Action).includes("lambda:InvokeFunction"));
    expect(invoke).toHaveLength(1);
    expect(asList(invoke[0].Action)).toEqual(["lambda:InvokeFunction"]);
    expect(invoke[0].Resource).toEqual({ "Fn::GetAtt": [workerId, "Arn"] });
    // The worker records the joined batch: it writes the raw rows under batches/, as this function does.
    const workerRole = resourcesOf(template, "AWS::Lambda::Function").find(([id]) => id === workerId)![1].Properties.Role["Fn::GetAtt"][0];
    const writes = roleStatements(template, workerRole).filter((s) => asList(s.Action).includes("s3:PutObject"));
    expect(json(writes.map((s) => s.Resource))).toContain("/batches/*");
  });

  it("limits object access in the data bucket to the batches/ prefix", () => {
    const { statements } = performanceFunction();
    const objectStatements = statements.filter((s) => asList(s.Action).includes("s3:PutObject"));
    expect(objectStatements).toHaveLength(1);
    expect(json(objectStatements[0].Resource)).toContain("/batches/*");
    expect(json(statements)).not.toContain("/artifacts/");
    const list = statements.find((s) => asList(s.Action).includes("s3:ListBucket") && s.Condition);
    expect(list.Condition).toEqual({ StringLike: { "s3:prefix": ["batches/*"] } });
  });

  it("publishes metrics only into the configured namespace and alerts only to the topic", () => {
    const { statements } = performanceFunction({ metricsNamespace: "TeamML" });
    const put = statements.find((s) => asList(s.Action).includes("cloudwatch:PutMetricData"));
    expect(put.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": "TeamML" } });
    const publish = statements.find((s) => asList(s.Action).includes("sns:Publish"));
    expect(json(publish.Resource)).toContain("AlertingTopic");
  });

  it("reads dataUri objects from the configured data buckets only", () => {
    const without = performanceFunction();
    expect(json(without.statements)).not.toContain("arn:aws:s3:::team-features");
    const { statements } = performanceFunction({ dataBuckets: "team-features" });
    const read = statements.find((s) => json(s.Resource).includes("arn:aws:s3:::team-features"));
    expect(asList(read.Action).sort()).toEqual(["s3:GetObject", "s3:ListBucket"]);
    expect(read.Resource).toEqual(["arn:aws:s3:::team-features", "arn:aws:s3:::team-features/*"]);
  });

  it("serves every performance route through the API with IAM auth, integrated with the performance function", () => {
    const { template, fnId } = performanceFunction();
    const specs = routeSpecs(performanceContract);
    expect(specs.map((s) => `${s.method} ${s.path}`).sort()).toEqual([
      "DELETE /models/{model}/versions/{version}/batches/{batchId}",
      "GET /models/{model}/performance",
      "GET /models/{model}/performance/compare",
      "GET /models/{model}/performance/ground-truth-jobs/{jobId}",
      "GET /models/{model}/performance/ground-truth-schedule",
      "GET /models/{model}/performance/thresholds",
      "GET /models/{model}/versions/{version}/estimation-reference",
      "POST /models/{model}/ground-truth",
      "POST /models/{model}/versions/{version}/batches",
      "POST /models/{model}/versions/{version}/predictions",
      "PUT /models/{model}/performance/ground-truth-schedule",
      "PUT /models/{model}/performance/thresholds",
      "PUT /models/{model}/versions/{version}/estimation-reference",
    ]);
    expectRoutedTo(template, specs, fnId);
  });
});
