/**
 * MlwatchMonitoring in someone else's stack: props are the context keys (props win over context, context over
 * defaults), invalid props are reported together, and the created resources are exposed.
 */
import { App, type CfnElement, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { MlwatchMonitoring } from "../../lib/index.js";
import { defaultConfig } from "../../lib/config.js";
import { lambdaEntries } from "../../lib/bundles.js";
import { cdkJsonContext } from "./synth.js";

const env = { account: "123456789012", region: "eu-west-1" };

describe("MlwatchMonitoring", () => {
  it("builds inside a user's stack under any id, with props over context over defaults", () => {
    // Prepare
    const app = new App({ context: { ...cdkJsonContext, "aws:cdk:bundling-stacks": [], apiThrottleRate: 7, logRetentionDays: 60 } });
    const stack = new Stack(app, "Platform", { env });
    // Act
    const monitoring = new MlwatchMonitoring(stack, "Mlwatch", { logRetentionDays: 14, alertEmails: ["ml@example.com"], retainData: false });
    const template = Template.fromStack(stack);
    // Assess
    expect(monitoring.config).toMatchObject({ logRetentionDays: 14, apiThrottleRate: 7, apiThrottleBurst: defaultConfig.apiThrottleBurst, retainData: false });
    expect(monitoring.functions).toHaveLength(Object.keys(lambdaEntries).length);
    template.hasResourceProperties("AWS::ApiGateway::Stage", { MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 7 })]) });
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 14 });
    template.hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email", Endpoint: "ml@example.com" });
    template.hasResource("AWS::DynamoDB::Table", { DeletionPolicy: "Delete" });
    expect(stack.resolve(monitoring.table.tableName)).toEqual({ Ref: stack.getLogicalId(monitoring.table.node.defaultChild as CfnElement) });
  });

  it("reports every invalid prop in one error", () => {
    const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
    const stack = new Stack(app, "Bad", { env });
    expect(() => new MlwatchMonitoring(stack, "Mlwatch", { alertEmails: ["not-an-email"], logRetentionDays: 17, apiThrottleRate: -1 })).toThrow(
      /alertEmails: "not-an-email"[\s\S]*logRetentionDays[\s\S]*apiThrottleRate/,
    );
  });
});
