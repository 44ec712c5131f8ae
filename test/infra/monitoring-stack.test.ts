import { describe, expect, it } from "vitest";
import { Match } from "aws-cdk-lib/assertions";
import { App } from "aws-cdk-lib";
import { iamStatements, resourcesOf, synth } from "./synth.js";
import { functionId, templateGateway } from "./gateway.js";
import { routeThrough } from "../../lib/gateway-plan.js";
import { MonitoringStack } from "../../lib/monitoring-stack.js";
import { tableDefinition } from "../../lambdas/shared/table.js";

const asList = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);

describe("MonitoringStack storage", () => {
  const { template } = synth();

  it("encrypts, versions and blocks public access on every bucket", () => {
    const buckets = resourcesOf(template, "AWS::S3::Bucket");
    expect(buckets.length).toBeGreaterThanOrEqual(2);
    for (const [, bucket] of buckets) {
      const p = bucket.Properties;
      expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toMatch(/AES256|aws:kms/);
      expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(p.VersioningConfiguration).toEqual({ Status: "Enabled" });
      expect(p.LifecycleConfiguration.Rules.length).toBeGreaterThan(0);
    }
  });

  it("denies non-TLS access in every bucket policy", () => {
    const buckets = resourcesOf(template, "AWS::S3::Bucket").map(([id]) => id);
    const policies = resourcesOf(template, "AWS::S3::BucketPolicy");
    for (const id of buckets) {
      const policy = policies.find(([, p]) => p.Properties.Bucket.Ref === id);
      expect(policy, `bucket ${id} has a policy`).toBeDefined();
      const deny = policy![1].Properties.PolicyDocument.Statement.find(
        (s: any) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false",
      );
      expect(deny, `bucket ${id} denies insecure transport`).toBeDefined();
    }
  });

  it("expires reports and raw batches by prefix", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: "reports/", ExpirationInDays: 365, Status: "Enabled" }),
          Match.objectLike({ Prefix: "batches/", ExpirationInDays: 90, Status: "Enabled" }),
        ]),
      },
    });
  });

  it("creates one on-demand table with the shared key design, PITR, deletion protection and TTL", () => {
    const tables = resourcesOf(template, "AWS::DynamoDB::Table");
    expect(tables).toHaveLength(1);
    const p = tables[0][1].Properties;
    expect(p.BillingMode).toBe("PAY_PER_REQUEST");
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.DeletionProtectionEnabled).toBe(true);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: tableDefinition.ttlAttribute, Enabled: true });
    expect(p.KeySchema).toEqual([
      { AttributeName: tableDefinition.partitionKey.name, KeyType: "HASH" },
      { AttributeName: tableDefinition.sortKey.name, KeyType: "RANGE" },
    ]);
    expect(p.GlobalSecondaryIndexes.map((g: any) => g.IndexName)).toEqual(tableDefinition.globalSecondaryIndexes.map((g) => g.indexName));
  });
});

describe("MonitoringStack alerting", () => {
  it("encrypts the topic with a rotating customer key and subscribes the context's e-mails", () => {
    const { template } = synth({ alertEmails: "a@example.com,b@example.com", alertWebhookUrl: "https://hooks.example.com/x" });
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    const subs = resourcesOf(template, "AWS::SNS::Subscription").map(([, s]) => s.Properties);
    expect(subs.filter((s) => s.Protocol === "email").map((s) => s.Endpoint).sort()).toEqual(["a@example.com", "b@example.com"]);
    expect(subs.filter((s) => s.Protocol === "https").map((s) => s.Endpoint)).toEqual(["https://hooks.example.com/x"]);
  });

  it("refuses publishing over plain HTTP", () => {
    const { template } = synth();
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]) },
    });
  });
});

describe("MonitoringStack API and functions", () => {
  const { template } = synth();

  it("authorizes every API method with AWS_IAM", () => {
    const methods = resourcesOf(template, "AWS::ApiGateway::Method");
    expect(methods.length).toBeGreaterThan(0);
    for (const [id, m] of methods) expect(m.Properties.AuthorizationType, id).toBe("AWS_IAM");
  });

  it("leaves request validation to the services' zod schemas: no gateway validator or model to drift from them", () => {
    // The `{proxy+}` methods carry several routes each, so a gateway model could not say which body a route
    // wants; the service's app checks every parameter and body (test/integration/local/hostile-input.test.ts).
    expect(resourcesOf(template, "AWS::ApiGateway::RequestValidator")).toEqual([]);
    expect(resourcesOf(template, "AWS::ApiGateway::Model")).toEqual([]);
    for (const [id, m] of resourcesOf(template, "AWS::ApiGateway::Method")) expect(m.Properties.RequestValidatorId, id).toBeUndefined();
  });

  it("serves GET /health from the registry function", () => {
    const registry = functionId(template, "mlwatch registry:");
    expect(routeThrough(templateGateway(template), "GET", "/health")).toBe(registry);
  });

  it("throttles the stage and writes access logs", () => {
    template.hasResourceProperties("AWS::ApiGateway::Stage", {
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })]),
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      TracingEnabled: true,
    });
  });

  it("runs every function on Node 24, arm64, with tracing and source maps", () => {
    const fns = resourcesOf(template, "AWS::Lambda::Function");
    expect(fns.length).toBeGreaterThan(0);
    for (const [id, f] of fns) {
      expect(f.Properties.Runtime, id).toBe("nodejs24.x");
      expect(f.Properties.Architectures, id).toEqual(["arm64"]);
      expect(f.Properties.TracingConfig, id).toEqual({ Mode: "Active" });
      expect(f.Properties.Environment.Variables.NODE_OPTIONS, id).toBe("--enable-source-maps");
      expect(f.Properties.Handler, id).toBe("index.handler");
    }
  });

  it("sets a retention on every log group", () => {
    const groups = resourcesOf(template, "AWS::Logs::LogGroup");
    expect(groups.length).toBeGreaterThan(2);
    for (const [id, g] of groups) expect(g.Properties.RetentionInDays, id).toBeGreaterThan(0);
  });

  it("keeps the audit log ten years by default", () => {
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 3653 });
  });

  it("grants no IAM action with a wildcard", () => {
    const statements = iamStatements(template);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) for (const action of asList(s.Action)) expect(String(action), JSON.stringify(s)).not.toContain("*");
  });

  it("gives every function its own role with no AWS-managed policy, writing only to its own log group", () => {
    const fns = resourcesOf(template, "AWS::Lambda::Function");
    const roles = template.findResources("AWS::IAM::Role");
    for (const [id, f] of fns) {
      const role = roles[f.Properties.Role["Fn::GetAtt"][0]];
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
      const logs = role.Properties.Policies.filter((p: any) => p.PolicyName === "logs").flatMap((p: any) => p.PolicyDocument.Statement);
      expect(logs, id).toEqual([{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: { "Fn::GetAtt": [f.Properties.LoggingConfig.LogGroup.Ref, "Arn"] } }]);
    }
  });

  it("grants Resource * only for actions that have no resource-level permissions", () => {
    const { template: t } = synth({ dataBuckets: "team-data", alertEmails: "a@example.com" });
    const unscoped = new Set(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData", "cloudwatch:ListMetrics"]);
    // The fan-out state machine's logging (vended log delivery) and tracing: AWS documents Resource * for these.
    for (const a of ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery", "xray:GetSamplingRules", "xray:GetSamplingTargets"]) unscoped.add(a);
    const star = iamStatements(t).filter((s) => asList(s.Resource).includes("*"));
    expect(star.length).toBeGreaterThan(0);
    for (const s of star) {
      for (const action of asList(s.Action)) expect(unscoped, JSON.stringify(s)).toContain(action);
      if (asList(s.Action).includes("cloudwatch:PutMetricData")) expect(s.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": "MLWatch" } });
    }
    // The table's indexes are named one by one.
    for (const s of iamStatements(t)) expect(JSON.stringify(s.Resource)).not.toContain("/index/*");
  });

  it("scopes PutMetricData to the configured namespace", () => {
    const { template: t } = synth({ metricsNamespace: "TeamMetrics" });
    const statements = iamStatements(t).filter((s) => asList(s.Action).includes("cloudwatch:PutMetricData"));
    for (const s of statements) expect(s.Condition).toEqual({ StringEquals: { "cloudwatch:namespace": "TeamMetrics" } });
  });
});

describe("configuration", () => {
  it("reports every invalid context value in one error", () => {
    const app = new App({ context: { "aws:cdk:bundling-stacks": [], alertEmails: "not-an-email", logRetentionDays: 17, apiThrottleRate: -1 } });
    expect(() => new MonitoringStack(app, "Bad")).toThrow(/alertEmails: "not-an-email"[\s\S]*logRetentionDays[\s\S]*apiThrottleRate/);
  });
});
