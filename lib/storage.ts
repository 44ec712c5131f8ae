/**
 * Where mlwatch keeps its data: one versioned, encrypted, private, TLS-only bucket (artifacts, baselines,
 * reports, raw batches, each under its own prefix with its own lifecycle — the layout of
 * lambdas/shared/buckets.ts), a bucket for its access logs, and the single DynamoDB table whose key design
 * comes from lambdas/shared/table.ts.
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, type ITable, ProjectionType, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from "aws-cdk-lib/aws-s3";
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
  /** A bucket to use instead of creating one (and its access-log bucket); its lifecycle is its owner's. @default a new bucket */
  readonly existingBucket?: IBucket;
  /** A table to use instead of creating one; it must have lib/shared/table.ts's keys, indexes and TTL attribute. @default a new table */
  readonly existingTable?: ITable;
}

/** The data bucket, its access-log bucket and the table. */
export class Storage extends Construct {
  public readonly bucket: IBucket;
  /** The access-log bucket, when mlwatch created the data bucket. */
  public readonly accessLogsBucket?: Bucket;
  public readonly table: ITable;

  public constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const retain = props.retainData ?? true;
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    if (props.existingBucket) this.bucket = props.existingBucket;
    else {
      this.accessLogsBucket = this.createAccessLogsBucket(removalPolicy, retain);
      this.bucket = this.createBucket(props, this.accessLogsBucket, removalPolicy, retain);
    }
    this.table = props.existingTable ?? this.createTable(removalPolicy, retain);
  }

  private createAccessLogsBucket(removalPolicy: RemovalPolicy, retain: boolean): Bucket {
    return new Bucket(this, "AccessLogs", {
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
  }

  private createBucket(props: StorageProps, accessLogs: Bucket, removalPolicy: RemovalPolicy, retain: boolean): Bucket {
    return new Bucket(this, "Data", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: accessLogPrefix,
      removalPolicy,
      autoDeleteObjects: !retain,
      lifecycleRules: [
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { id: "expire-reports", prefix: BucketPrefix.reports, expiration: Duration.days(props.reportRetentionDays), noncurrentVersionExpiration: Duration.days(30) },
        { id: "expire-raw-batches", prefix: BucketPrefix.batches, expiration: Duration.days(props.rawDataRetentionDays), noncurrentVersionExpiration: Duration.days(7) },
        { id: "old-artifact-versions", prefix: BucketPrefix.artifacts, noncurrentVersionExpiration: Duration.days(90) },
        // Verification copies an upload to artifacts/ and deletes it; what a stale upload URL writes later goes within a day.
        { id: "expire-artifact-uploads", prefix: BucketPrefix.artifactUploads, expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1) },
        { id: "old-baseline-versions", prefix: BucketPrefix.baselines, noncurrentVersionExpiration: Duration.days(90) },
      ],
    });

  }

  private createTable(removalPolicy: RemovalPolicy, retain: boolean): Table {
    const d = tableDefinition;
    const table = new Table(this, "Table", {
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
      table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey.name, type: AttributeType.STRING },
        sortKey: { name: gsi.sortKey.name, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }
}
