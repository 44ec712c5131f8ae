/**
 * Creates the stack's resources in an emulator (or any endpoint-overridden AWS), with names and the
 * table's key design taken from the same definitions CDK uses. Idempotent: existing resources are kept.
 */
import { CreateBucketCommand, HeadBucketCommand } from "@aws-sdk/client-s3";
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, UpdateTimeToLiveCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { CreateLogGroupCommand, ResourceAlreadyExistsException } from "@aws-sdk/client-cloudwatch-logs";
import { dynamoClient, logsClient, s3Client, snsClient } from "../shared/aws.js";
import { EnvName, type ResourceNames } from "../shared/env.js";
import { defaultMetricsNamespace } from "../shared/metrics.js";
import { tableDefinition } from "../shared/table.js";

/** The resource names for a local stack called `prefix`. */
export function localResourceNames(prefix: string, namespace = defaultMetricsNamespace): Omit<ResourceNames, "topicArn"> & { topicName: string } {
  return {
    bucket: `${prefix}-data`,
    table: `${prefix}-table`,
    topicName: `${prefix}-alerts`,
    auditLogGroup: `/mlwatch/${prefix}/audit`,
    metricsNamespace: namespace,
  };
}

async function ensureBucket(bucket: string): Promise<void> {
  try {
    await s3Client().send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await s3Client().send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

async function ensureTable(table: string): Promise<void> {
  try {
    await dynamoClient().send(new DescribeTableCommand({ TableName: table }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const d = tableDefinition;
  const gsi = d.globalSecondaryIndexes;
  const attributes = new Map<string, string>([
    [d.partitionKey.name, d.partitionKey.type],
    [d.sortKey.name, d.sortKey.type],
    ...gsi.flatMap((g) => [
      [g.partitionKey.name, g.partitionKey.type] as [string, string],
      [g.sortKey.name, g.sortKey.type] as [string, string],
    ]),
  ]);
  await dynamoClient().send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType: AttributeType as "S" })),
      KeySchema: [
        { AttributeName: d.partitionKey.name, KeyType: "HASH" },
        { AttributeName: d.sortKey.name, KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: gsi.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey.name, KeyType: "HASH" },
          { AttributeName: g.sortKey.name, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: g.projection },
      })),
    }),
  );
  await waitUntilTableExists({ client: dynamoClient(), maxWaitTime: 30, minDelay: 0.2, maxDelay: 1 }, { TableName: table });
  await dynamoClient().send(
    new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: d.ttlAttribute, Enabled: true } }),
  );
}

async function ensureLogGroup(name: string): Promise<void> {
  try {
    await logsClient().send(new CreateLogGroupCommand({ logGroupName: name }));
  } catch (err) {
    if (!(err instanceof ResourceAlreadyExistsException)) throw err;
  }
}

/**
 * Creates bucket, table, topic and audit log group for `prefix`, and returns their names
 * (the topic's ARN included).
 */
export async function bootstrapResources(prefix: string, namespace?: string): Promise<ResourceNames> {
  const names = localResourceNames(prefix, namespace);
  await Promise.all([ensureBucket(names.bucket), ensureTable(names.table), ensureLogGroup(names.auditLogGroup)]);
  const topic = await snsClient().send(new CreateTopicCommand({ Name: names.topicName }));
  return {
    bucket: names.bucket,
    table: names.table,
    topicArn: topic.TopicArn as string,
    auditLogGroup: names.auditLogGroup,
    metricsNamespace: names.metricsNamespace,
  };
}

/** Points this process at `endpoint` with a region and dummy credentials when none are set. */
export function useEndpoint(endpoint: string): void {
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "test";
  process.env.AWS_SECRET_ACCESS_KEY ??= "test";
}

/** Sets the environment variables the services read to `names`. */
export function exportResourceNames(names: ResourceNames): void {
  process.env[EnvName.dataBucket] = names.bucket;
  process.env[EnvName.table] = names.table;
  process.env[EnvName.topicArn] = names.topicArn;
  process.env[EnvName.auditLogGroup] = names.auditLogGroup;
  process.env[EnvName.metricsNamespace] = names.metricsNamespace;
}
