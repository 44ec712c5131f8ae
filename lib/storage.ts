/**
 * Where mlwatch keeps its data: one versioned, encrypted, private, TLS-only bucket (artifacts, baselines,
 * reports, raw batches, each under its own prefix with its own lifecycle — the layout of
 * lambdas/shared/buckets.ts), a bucket for its access logs, and the single DynamoDB table whose key design
 * comes from lambdas/shared/table.ts.
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { accessLogPrefix, BucketPrefix } from "../lambdas/shared/buckets.js";
import { tableDefinition } from "../lambdas/shared/table.js";

/** Props of {@link Storage}. */
export interface StorageProps {
  /** Days after which reports expire. */
  readonly reportRetentionDays: number;
  /** Days after which raw batches expire. */
  readonly rawDataRetentionDays: number;
  /** Keep bucket and table when the stack is deleted. @default true */
  readonly retainData?: boolean;
}

/** The data bucket, its access-log bucket and the table. */
export class Storage extends Construct {
  public readonly bucket: Bucket;
  public readonly accessLogsBucket: Bucket;
  public readonly table: Table;

  public constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const retain = props.retainData ?? true;
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.accessLogsBucket = new Bucket(this, "AccessLogs", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy,
      autoDeleteObjects: !retain,
      lifecycleRules: [{ id: "expire-access-logs", expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(7) }],
    });

    this.bucket = new Bucket(this, "Data", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: accessLogPrefix,
      removalPolicy,
      autoDeleteObjects: !retain,
      lifecycleRules: [
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { id: "expire-reports", prefix: BucketPrefix.reports, expiration: Duration.days(props.reportRetentionDays), noncurrentVersionExpiration: Duration.days(30) },
        { id: "expire-raw-batches", prefix: BucketPrefix.batches, expiration: Duration.days(props.rawDataRetentionDays), noncurrentVersionExpiration: Duration.days(7) },
        { id: "old-artifact-versions", prefix: BucketPrefix.artifacts, noncurrentVersionExpiration: Duration.days(90) },
        { id: "old-baseline-versions", prefix: BucketPrefix.baselines, noncurrentVersionExpiration: Duration.days(90) },
      ],
    });

    const d = tableDefinition;
    this.table = new Table(this, "Table", {
      partitionKey: { name: d.partitionKey.name, type: AttributeType.STRING },
      sortKey: { name: d.sortKey.name, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: retain,
      timeToLiveAttribute: d.ttlAttribute,
      removalPolicy,
    });
    for (const gsi of d.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey.name, type: AttributeType.STRING },
        sortKey: { name: gsi.sortKey.name, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
