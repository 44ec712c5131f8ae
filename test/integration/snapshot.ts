/**
 * Everything a test stack holds in the emulator, read back as one comparable value: every table item,
 * every object version in the bucket, every audit event, every metric name. Two equal snapshots mean
 * nothing was written in between.
 */
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { documentClient, logsClient, s3Client } from "../../lambdas/shared/aws.js";
import type { ResourceNames } from "../../lambdas/shared/env.js";
import { metricNames } from "./observe.js";

/** The stack's data, sorted so that two reads of unchanged data are deeply equal. */
export interface DataSnapshot {
  readonly items: unknown[];
  readonly objects: string[];
  readonly auditEvents: string[];
  readonly metrics: string[];
}

/** Reads every item, object version, audit event and metric name of the stack. */
export async function snapshotData(names: ResourceNames): Promise<DataSnapshot> {
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(new ScanCommand({ TableName: names.table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);

  const objects: string[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3Client().send(new ListObjectVersionsCommand({ Bucket: names.bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }));
    for (const v of page.Versions ?? []) objects.push(`${v.Key} ${v.VersionId} ${v.ETag} ${v.Size}`);
    for (const d of page.DeleteMarkers ?? []) objects.push(`${d.Key} ${d.VersionId} deleted`);
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);

  const auditEvents: string[] = [];
  let token: string | undefined;
  do {
    const page = await logsClient().send(new FilterLogEventsCommand({ logGroupName: names.auditLogGroup, nextToken: token }));
    for (const e of page.events ?? []) auditEvents.push(e.message as string);
    token = page.nextToken;
  } while (token);

  const sortedItems = items.map((i) => JSON.stringify(i)).sort().map((s) => JSON.parse(s));
  return { items: sortedItems, objects: objects.sort(), auditEvents: auditEvents.sort(), metrics: await metricNames(names.metricsNamespace) };
}
