/**
 * The retraining service in the template: its function and grants, events:PutEvents on the default bus
 * only (and only for the functions that publish), and the pipeline rules of context `retrainingPipeline`
 * with their parameters and start-only roles.
 */
import { describe, expect, it } from "vitest";
import { Match } from "aws-cdk-lib/assertions";
import { iamStatements, resourcesOf, synth, roleStatements } from "./synth.js";
import { functionId, samplePath, templateGateway } from "./gateway.js";
import { routeThrough } from "../../lib/gateway-plan.js";
import { routeSpecs } from "../../lib/api.js";
import { retrainingContract } from "../../lambdas/retraining/contract.js";
import { readConfig } from "../../lib/config.js";
import { App } from "aws-cdk-lib";

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** The statements of the policies attached to the role of the function whose description starts with `prefix`. */
function functionStatements(template: ReturnType<typeof synth>["template"], prefix: string): any[] {
  const [, fn] = resourcesOf(template, "AWS::Lambda::Function").find(([, f]) => String(f.Properties.Description ?? "").startsWith(prefix)) ?? [];
  if (!fn) throw new Error(`no function ${prefix}`);
  const roleId = fn.Properties.Role["Fn::GetAtt"][0];
  return roleStatements(template, roleId);
}

// cdk.json's feature flags let CDK write the partition of a stack with a known region as a literal.
const defaultBus = "arn:aws:events:eu-west-1:123456789012:event-bus/default";

describe("mlwatch events: IAM", () => {
  const { template } = synth();

  it("grants events:PutEvents on the default bus only, never with a wildcard", () => {
    const puts = iamStatements(template).filter((s) => asList(s.Action).some((a: string) => a.startsWith("events:")));
    expect(puts.length).toBeGreaterThan(0);
    for (const s of puts) {
      expect(s.Action).toBe("events:PutEvents");
      expect(s.Effect).toBe("Allow");
      expect(s.Resource).toEqual(defaultBus);
    }
  });

  it("only the functions that publish may put events", () => {
    const publishes = (prefix: string) => functionStatements(template, prefix).some((s) => asList(s.Action).includes("events:PutEvents"));
    for (const prefix of ["mlwatch drift API", "mlwatch drift worker", "mlwatch drift monitor", "mlwatch performance", "mlwatch registry", "mlwatch retraining"]) {
      expect(publishes(prefix), prefix).toBe(true);
    }
    expect(publishes("mlwatch events")).toBe(false);
  });

  it("gives the retraining function the table, metrics in the namespace and the audit trail, and nothing of S3 or SNS", () => {
    const actions = new Set(functionStatements(template, "mlwatch retraining").flatMap((s) => asList(s.Action)));
    for (const a of ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query", "cloudwatch:PutMetricData", "logs:PutLogEvents", "events:PutEvents"]) expect(actions.has(a), a).toBe(true);
    expect([...actions].filter((a) => a.startsWith("s3:") || a.startsWith("sns:") || a.startsWith("sagemaker:"))).toEqual([]);
  });

  it("routes the retraining paths to the retraining function", () => {
    const gateway = templateGateway(template);
    const fnId = functionId(template, "mlwatch retraining");
    const specs = routeSpecs(retrainingContract);
    expect(specs.length).toBeGreaterThan(3);
    for (const s of specs) expect(routeThrough(gateway, s.method, samplePath(s.path)), `${s.method} ${s.path}`).toBe(fnId);
  });

  it("has no pipeline rule without context retrainingPipeline", () => {
    const rules = resourcesOf(template, "AWS::Events::Rule").map(([, r]) => r.Properties);
    // mlwatch's own retention follow-up rule is the only one on source mlwatch (registry-retention.test.ts).
    expect(rules.filter((r) => r.EventPattern?.source?.includes("mlwatch") && r.EventPattern?.["detail-type"]?.[0] !== "mlwatch Retention Pending")).toEqual([]);
  });
});

describe("retraining pipeline rules", () => {
  const pattern = (model?: string) => ({
    source: ["mlwatch"],
    "detail-type": ["mlwatch Retraining Requested"],
    ...(model ? { detail: { model: [model] } } : {}),
  });
  const parameters = [
    { Name: "MlwatchModel", Value: "$.detail.model" },
    { Name: "MlwatchTrigger", Value: "$.detail.trigger" },
    { Name: "MlwatchEvidence", Value: "$.detail.evidenceId" },
  ];

  it("one pipeline for every model: a rule on Retraining Requested starting it with model, trigger and evidence", () => {
    const { template } = synth({ retrainingPipeline: "retrain-all" });
    const arn = "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/retrain-all";
    const rules = resourcesOf(template, "AWS::Events::Rule").map(([, r]) => r.Properties).filter((r) => r.EventPattern?.source?.includes("mlwatch") && r.EventPattern?.["detail-type"]?.[0] === "mlwatch Retraining Requested");
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ EventBusName: "default", State: "ENABLED", EventPattern: pattern() });
    expect(rules[0].Targets).toHaveLength(1);
    const target = rules[0].Targets[0];
    expect(target.Arn).toEqual(arn);
    expect(target.SageMakerPipelineParameters).toEqual({ PipelineParameterList: parameters });
    // The target's role: assumed by EventBridge, allowed only to start this pipeline.
    const roleId = target.RoleArn["Fn::GetAtt"][0];
    const role = template.toJSON().Resources[roleId].Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "events.amazonaws.com" } }]);
    const statements = role.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(statements).toEqual([{ Action: "sagemaker:StartPipelineExecution", Effect: "Allow", Resource: arn }]);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(resourcesOf(template, "AWS::IAM::Policy").filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))).toEqual([]);
    // No other principal may start pipelines.
    const starters = resourcesOf(template, "AWS::IAM::Role").filter(([, r]) =>
      (r.Properties.Policies ?? []).some((p: any) => p.PolicyDocument.Statement.some((s: any) => asList(s.Action).some((a: string) => a.startsWith("sagemaker:")))),
    );
    expect(starters.map(([id]) => id)).toEqual([roleId]);
    const sagemakerElsewhere = iamStatements(template).filter((s) => asList(s.Action).some((a: string) => a.startsWith("sagemaker:")));
    expect(sagemakerElsewhere).toHaveLength(1);
  });

  it("model=pipeline pairs: one rule per model, filtered on detail.model, each role limited to its own pipeline ARN", () => {
    const given = "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/fraud-retrain";
    const { template } = synth({ retrainingPipeline: `churn=churn-retrain, fraud=${given}` });
    const rules = resourcesOf(template, "AWS::Events::Rule").map(([, r]) => r.Properties).filter((r) => r.EventPattern?.source?.includes("mlwatch") && r.EventPattern?.["detail-type"]?.[0] === "mlwatch Retraining Requested");
    expect(rules.map((r) => r.EventPattern)).toEqual([pattern("churn"), pattern("fraud")]);
    const fraud = rules[1].Targets[0];
    expect(fraud.Arn).toBe(given);
    expect(fraud.SageMakerPipelineParameters.PipelineParameterList).toEqual(parameters);
    const role = template.toJSON().Resources[fraud.RoleArn["Fn::GetAtt"][0]].Properties;
    expect(role.Policies[0].PolicyDocument.Statement).toEqual([{ Action: "sagemaker:StartPipelineExecution", Effect: "Allow", Resource: given }]);
    template.hasResourceProperties("AWS::Events::Rule", { Targets: Match.arrayWith([Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 } })]) });
  });

  it("refuses invalid retrainingPipeline values, every problem at once", () => {
    const read = (value: string) => {
      const app = new App({ context: { retrainingPipeline: value } });
      return () => readConfig(app.node);
    };
    expect(read("bad pipeline!")).toThrow(/retrainingPipeline: "bad pipeline!" is neither a SageMaker pipeline name nor a pipeline ARN/);
    expect(read("churn=a,churn=b")).toThrow(/model churn is named twice/);
    expect(read("churn=a,fraud")).toThrow(/"fraud" must be model=pipeline/);
    expect(read("-x=a")).toThrow(/"-x" is not a model name/);
    expect(read("arn:aws:sagemaker:eu-west-1:123:pipeline/x")).toThrow(/neither a SageMaker pipeline name nor a pipeline ARN/);
    const app = new App({ context: { retrainingPipeline: "churn=a,fraud=b!" } });
    expect(() => readConfig(app.node)).toThrow(/"b!" \(for fraud\)/);
  });
});
