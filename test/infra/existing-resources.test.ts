/**
 * MlwatchMonitoring on a team's own bucket, table and topic (aws-solutions-constructs' `existing…Obj`):
 * none of its own is created, and every function is told about and granted the team's resources.
 */
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AttributeType, BillingMode, Table } from "aws-cdk-lib/aws-dynamodb";
import { Key } from "aws-cdk-lib/aws-kms";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { Topic } from "aws-cdk-lib/aws-sns";
import { describe, expect, it } from "vitest";
import { MlwatchMonitoring } from "../../lib/index.js";
import { EnvName } from "../../lambdas/shared/env.js";
import { tableDefinition } from "../../lambdas/shared/table.js";
import { lambdaEntries } from "../../lib/bundles.js";
import { cdkJsonContext, resourcesOf, roleStatements } from "./synth.js";

const env = { account: "123456789012", region: "eu-west-1" };
const json = (x: unknown): string => JSON.stringify(x);
const asList = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);

/** A team's stack with its own bucket, table and key-encrypted topic, and mlwatch on them. */
function teamStack() {
  const app = new App({ context: { ...cdkJsonContext, "aws:cdk:bundling-stacks": [] } });
  const stack = new Stack(app, "Team", { env });
  const bucket = new Bucket(stack, "TeamBucket");
  const table = new Table(stack, "TeamTable", {
    partitionKey: { name: tableDefinition.partitionKey.name, type: AttributeType.STRING },
    sortKey: { name: tableDefinition.sortKey.name, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
  });
  const key = new Key(stack, "TeamKey");
  const topic = new Topic(stack, "TeamTopic", { masterKey: key });
  const monitoring = new MlwatchMonitoring(stack, "Mlwatch", { existingBucketObj: bucket, existingTableObj: table, existingTopicObj: topic, alertEmails: ["ml@example.com"] });
  const template = Template.fromStack(stack);
  const id = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as never);
  return { stack, template, monitoring, ids: { bucket: id(bucket), table: id(table), topic: id(topic), key: id(key) } };
}

describe("MlwatchMonitoring with existing resources", () => {
  const { template, monitoring, ids } = teamStack();

  it("creates no bucket, table, topic or key of its own", () => {
    expect(resourcesOf(template, "AWS::S3::Bucket").map(([id]) => id)).toEqual([ids.bucket]);
    expect(resourcesOf(template, "AWS::DynamoDB::Table").map(([id]) => id)).toEqual([ids.table]);
    expect(resourcesOf(template, "AWS::SNS::Topic").map(([id]) => id)).toEqual([ids.topic]);
    expect(resourcesOf(template, "AWS::KMS::Key").map(([id]) => id)).toEqual([ids.key]);
    // mlwatch's topic policy belongs to its own topic: none is written onto the team's.
    expect(resourcesOf(template, "AWS::SNS::TopicPolicy")).toEqual([]);
    expect(monitoring.functions).toHaveLength(Object.keys(lambdaEntries).length);
  });

  it("exposes the team's resources and subscribes the e-mails to the team's topic", () => {
    expect(monitoring.bucket.node.id).toBe("TeamBucket");
    expect(monitoring.table.node.id).toBe("TeamTable");
    expect(monitoring.alertTopic.node.id).toBe("TeamTopic");
    const subs = resourcesOf(template, "AWS::SNS::Subscription").map(([, s]) => s.Properties);
    expect(subs).toEqual([expect.objectContaining({ Protocol: "email", Endpoint: "ml@example.com", TopicArn: { Ref: ids.topic } })]);
  });

  it("tells every function that reads them the team's bucket, table and topic", () => {
    const fns = resourcesOf(template, "AWS::Lambda::Function").map(([, f]) => f.Properties.Environment.Variables);
    const told = (name: string) => fns.filter((v) => v[name] !== undefined).map((v) => v[name]);
    expect(told(EnvName.dataBucket).length).toBeGreaterThan(5);
    for (const v of told(EnvName.dataBucket)) expect(v).toEqual({ Ref: ids.bucket });
    for (const v of told(EnvName.table)) expect(v).toEqual({ Ref: ids.table });
    for (const v of told(EnvName.topicArn)) expect(v).toEqual({ Ref: ids.topic });
  });

  it("grants the functions the team's table, bucket prefixes, topic and the topic's key — nothing of resources that do not exist", () => {
    const statements = resourcesOf(template, "AWS::Lambda::Function").flatMap(([, f]) => roleStatements(template, f.Properties.Role["Fn::GetAtt"][0]));
    const on = (action: string): string => json(statements.filter((s) => asList(s.Action).includes(action)).map((s) => s.Resource));
    expect(on("dynamodb:PutItem")).toContain(ids.table);
    expect(on("s3:PutObject")).toContain(ids.bucket);
    expect(on("sns:Publish")).toContain(ids.topic);
    expect(on("kms:GenerateDataKey")).toContain(ids.key);
    // Every resource a statement names is in the template (or is a plain ARN string).
    const refs = [...json(statements).matchAll(/"(?:Ref|Fn::GetAtt)":\[?"([A-Za-z0-9]+)"/g)].map((m) => m[1]);
    const defined = new Set(Object.keys(template.toJSON().Resources));
    for (const r of refs) expect(defined.has(r), r).toBe(true);
  });

  it("alarms to the team's topic", () => {
    const alarms = resourcesOf(template, "AWS::CloudWatch::Alarm");
    expect(alarms.length).toBeGreaterThan(0);
    for (const [id, a] of alarms) expect(a.Properties.AlarmActions, id).toEqual([{ Ref: ids.topic }]);
  });

  it("works with resources imported by name from elsewhere: no bucket, table or topic in the template at all", () => {
    const app = new App({ context: { ...cdkJsonContext, "aws:cdk:bundling-stacks": [] } });
    const stack = new Stack(app, "Imported", { env });
    new MlwatchMonitoring(stack, "Mlwatch", {
      existingBucketObj: Bucket.fromBucketName(stack, "B", "team-ml-data"),
      existingTableObj: Table.fromTableName(stack, "T", "team-ml-table"),
      existingTopicObj: Topic.fromTopicArn(stack, "Tp", "arn:aws:sns:eu-west-1:123456789012:team-alerts"),
    });
    const t = Template.fromStack(stack);
    for (const type of ["AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::SNS::Topic", "AWS::KMS::Key"]) expect(resourcesOf(t, type), type).toEqual([]);
    const env0 = resourcesOf(t, "AWS::Lambda::Function")[0][1].Properties.Environment.Variables;
    expect(env0[EnvName.dataBucket]).toBe("team-ml-data");
    expect(env0[EnvName.table]).toBe("team-ml-table");
    expect(env0[EnvName.topicArn]).toBe("arn:aws:sns:eu-west-1:123456789012:team-alerts");
  });

  it("refuses retention settings that an existing bucket's own lifecycle decides, naming them together", () => {
    const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
    const stack = new Stack(app, "Conflict", { env });
    expect(
      () => new MlwatchMonitoring(stack, "Mlwatch", { existingBucketObj: Bucket.fromBucketName(stack, "B", "team-ml-data"), reportRetentionDays: 30, rawDataRetentionDays: 7 }),
    ).toThrow(/conflicting props: reportRetentionDays with existingBucketObj[\s\S]*rawDataRetentionDays with existingBucketObj/);
  });
});
