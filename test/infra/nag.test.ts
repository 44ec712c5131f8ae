import { describe, expect, it } from "vitest";
import { App, Stack, Validations } from "aws-cdk-lib";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { AwsSolutionsChecks } from "cdk-nag";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MonitoringStack } from "../../lib/monitoring-stack.js";
import { flattenForNag } from "../../lib/nag.js";

/** The context `npx cdk synth` uses (cdk.json), so the checks see the template that is deployed. */
const cdkJsonContext = JSON.parse(readFileSync(join(import.meta.dirname, "../../cdk.json"), "utf8")).context as Record<string, unknown>;

interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

interface NagRun {
  readonly findings: Finding[];
  /** Every acknowledgement in the tree: where it sits, the rule, the reason. */
  readonly acknowledgements: Array<{ path: string; id: string; reason: string }>;
}

/**
 * Synthesizes an app with the AwsSolutions checks and returns what is left unacknowledged. cdk-nag 3
 * reports through CDK's policy validation: a failing synth throws and leaves validation-report.json.
 */
function runNag(context: Record<string, unknown>, build: (app: App) => Stack): NagRun {
  const outdir = mkdtempSync(join(tmpdir(), "mlwatch-nag-"));
  try {
    const app = new App({ outdir, context: { ...cdkJsonContext, "aws:cdk:bundling-stacks": [], ...context } });
    const stack = build(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    let failed = false;
    try {
      app.synth();
    } catch (err) {
      if (!/ValidationFailed|Validation failed/.test(String(err))) throw err;
      failed = true;
    }
    const reportFile = join(outdir, "validation-report.json");
    const findings: Finding[] = [];
    if (existsSync(reportFile)) {
      const report = JSON.parse(readFileSync(reportFile, "utf8"));
      for (const plugin of report.pluginReports) {
        for (const v of plugin.violations) {
          findings.push({ rule: v.ruleName, severity: v.severity, paths: v.violatingConstructs.map((c: any) => c.constructPath) });
        }
      }
    }
    if (failed) expect(findings.length, "a failed validation names its findings").toBeGreaterThan(0);
    const acknowledgements = stack.node.findAll().flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
    );
    return { findings, acknowledgements };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const mlwatch = (withEnv: boolean) => (app: App) =>
  new MonitoringStack(app, "NagStack", withEnv ? { env: { account: "123456789012", region: "eu-west-1" } } : {});

const describeFindings = (findings: Finding[]): string => findings.map((f) => `${f.rule} (${f.severity}) at ${f.paths.join(", ")}`).join("\n");

/** Every optional resource on: e-mail and webhook subscriptions, the team's buckets, endpoints, retraining pipelines, data not retained. */
const everyOption = {
  alertEmails: "ml-team@example.com,oncall@example.com",
  alertWebhookUrl: "https://relay.example.com/slack",
  dataBuckets: "team-training-data,team-capture",
  endpointNames: "churn-prod,fraud-prod/canary",
  retrainingPipeline: "churn=churn-retrain,fraud=arn:aws:sagemaker:eu-west-1:123456789012:pipeline/fraud-retrain",
  retainData: false,
};

describe("cdk-nag AwsSolutions checks", () => {
  it("leave no unacknowledged finding on the stack as cdk.json configures it", () => {
    const { findings } = runNag({}, mlwatch(true));
    expect(describeFindings(findings)).toBe("");
  });

  it("leave no unacknowledged finding on an environment-agnostic stack (npx cdk synth without a profile)", () => {
    const { findings } = runNag({}, mlwatch(false));
    expect(describeFindings(findings)).toBe("");
  });

  it("leave no unacknowledged finding with every optional resource enabled", () => {
    const { findings } = runNag(everyOption, mlwatch(true));
    expect(describeFindings(findings)).toBe("");
  });

  it("acknowledge only on specific resources, each with a specific written reason", () => {
    const { acknowledgements } = runNag(everyOption, mlwatch(true));
    expect(acknowledgements.length).toBeGreaterThan(0);
    const rules = new Set<string>();
    for (const a of acknowledgements) {
      const where = `${a.id} at ${a.path}`;
      // On a resource or its owner, never the stack or the app.
      expect(a.path.split("/").length, where).toBeGreaterThan(1);
      // A wildcard acknowledgement names the exact resource it covers.
      if (a.id.includes("IAM5")) expect(a.id, where).toMatch(/IAM5\[Resource::.+\]$/);
      expect(a.reason.length, where).toBeGreaterThanOrEqual(80);
      // Qualified with the plugin's name, as cdk-nag's report asks ('AwsSolutions::AwsSolutions-S1').
      expect(a.id, where).toMatch(/^AwsSolutions::AwsSolutions-/);
      rules.add(a.id.replace(/\[.*$/, "").replace(/^AwsSolutions::/, ""));
    }
    // Each rule's reason is its own, not one sentence pasted everywhere.
    const reasonsByRule = new Map<string, Set<string>>();
    for (const a of acknowledgements) {
      const rule = a.id.replace(/\[.*$/, "").replace(/^AwsSolutions::/, "");
      reasonsByRule.set(rule, (reasonsByRule.get(rule) ?? new Set()).add(a.reason));
    }
    const allReasons = [...reasonsByRule.values()].map((s) => [...s].join("|"));
    expect(new Set(allReasons).size).toBe(reasonsByRule.size);
    // What we acknowledge, and nothing else: findings that do not apply, never ones we could fix.
    expect([...rules].sort()).toEqual(["AwsSolutions-APIG2", "AwsSolutions-APIG3", "AwsSolutions-COG4", "AwsSolutions-IAM4", "AwsSolutions-IAM5"]);
    expect(acknowledgements.filter((a) => a.id.includes("IAM4")).map((a) => a.id)).toEqual([
      expect.stringContaining("AmazonAPIGatewayPushToCloudWatchLogs"),
    ]);
  });

  it("report a resource that breaks a rule (the check is live)", () => {
    const { findings } = runNag({}, (app) => {
      const stack = new Stack(app, "Careless", { env: { account: "123456789012", region: "eu-west-1" } });
      new Bucket(stack, "Open");
      return stack;
    });
    const rules = findings.map((f) => f.rule);
    expect(rules).toContain("AwsSolutions-S1");
    expect(rules).toContain("AwsSolutions-S10");
  });
});

describe("flattenForNag", () => {
  it("prints references the way cdk-nag names IAM5 findings", () => {
    const arn = { "Fn::Join": ["", [{ "Fn::GetAtt": ["StorageData6BB23F4E", "Arn"] }, "/batches/*"]] };
    expect(flattenForNag(arn)).toBe("<StorageData6BB23F4E.Arn>/batches/*");
    expect(flattenForNag({ "Fn::Join": [":", ["arn", { Ref: "AWS::Partition" }, "logs"]] })).toBe("arn:<AWS::Partition>:logs");
    expect(flattenForNag({ "Fn::Sub": "arn:${AWS::Partition}:s3:::b/*" })).toBe("arn:<AWS::Partition>:s3:::b/*");
    expect(flattenForNag("*")).toBe("*");
  });
});
