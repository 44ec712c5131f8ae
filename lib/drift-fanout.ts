/**
 * Fan-out drift checks on Step Functions (lambdas/drift/fanout.ts explains the runtime side).
 *
 * State machine (standard, X-Ray tracing, every event logged to its own log group):
 * 1. `Shards` — a Distributed Map reads the check's manifest (`S3JsonItemReader`, bucket and key from the
 *    execution input), batches `shardObjects` objects per child (`ItemBatcher`, with the check's ids as
 *    `BatchInput`), at most `maxConcurrency` at once (context `driftMaxConcurrency`); each child invokes the
 *    shard function, which writes its summary under `reports/drift-shards/{model}/{checkId}/shards/`. The
 *    map's own result is discarded (the reduce lists the summaries), so no result hits the 256 KB state limit.
 * 2. `Reduce` — the reduce function merges the summaries and completes the check (reports, metrics, alert).
 * A Catch on both steps runs `MarkFailed` (the reduce function with `action: "fail"` and the caught error),
 * which marks the check failed with the error in words, then the execution fails.
 * Least privilege: the shard function reads the data prefixes, the profile and the table and writes only
 * under `reports/drift-shards/`; the reduce function reads that prefix and writes reports; the state
 * machine reads only objects under `reports/drift-shards/` (the manifests) and invokes only these two
 * functions; the worker and the monitor may start only this state machine.
 */
import { Duration, Stack, Validations } from "aws-cdk-lib";
import { Policy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import {
  DefinitionBody,
  DistributedMap,
  Fail,
  ItemBatcher,
  JsonPath,
  LogLevel,
  ResultWriterV2,
  S3JsonItemReader,
  StateMachine,
  StateMachineType,
  TaskInput,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import { BucketPrefix } from "../lambdas/shared/buckets.js";
import { deployedMemoryMb } from "../lambdas/shared/function-memory.js";
import { EnvName } from "../lambdas/shared/env.js";
import { MlwatchFunction } from "./function.js";
import { acknowledgeWildcard, flattenForNag } from "./nag.js";
import type { ServiceContext } from "./service-context.js";

/** Where the map writes its run's result manifest (under the fan-out prefix, expired with the reports). */
const mapResultsPrefix = `${BucketPrefix.driftShards}map-runs`;

/**
 * ResultWriterV2 without its generated grant: given a bucket path it grants s3:GetObject and s3:PutObject
 * on every bucket (`*`); the construct grants s3:PutObject under {@link mapResultsPrefix} of the data bucket instead.
 */
class PrefixResultWriter extends ResultWriterV2 {
  public override providePolicyStatements(): PolicyStatement[] {
    return [];
  }
}

/** Props of {@link DriftFanOut}. */
export interface DriftFanOutProps {
  readonly context: ServiceContext;
  readonly logRetention: RetentionDays;
  /** Shards at once (the map's MaxConcurrency). @default 40 */
  readonly maxConcurrency?: number;
  /** Objects per shard (MaxItemsPerBatch). @default 16 */
  readonly shardObjects?: number;
  /** Memory of the shard function in MB. @default 3008 */
  readonly shardMemorySize?: number;
}

/** The shard and reduce functions and the state machine of fan-out drift checks. */
export class DriftFanOut extends Construct {
  public readonly shard: MlwatchFunction;
  public readonly reduce: MlwatchFunction;
  public readonly stateMachine: StateMachine;
  public readonly logGroup: LogGroup;

  public constructor(scope: Construct, id: string, props: DriftFanOutProps) {
    super(scope, id);
    const { context } = props;
    this.shard = new MlwatchFunction(this, "Shard", {
      entry: "lambdas/drift/handlers/shard.ts",
      description: "mlwatch drift shard: summarise a batch of objects of a fan-out check",
      environment: context.environment,
      logRetention: props.logRetention,
      memorySize: props.shardMemorySize ?? deployedMemoryMb.driftShard,
      timeout: Duration.minutes(15),
    });
    this.reduce = new MlwatchFunction(this, "Reduce", {
      entry: "lambdas/drift/handlers/reduce.ts",
      description: "mlwatch drift reduce: merge shard summaries and complete a fan-out check",
      environment: context.environment,
      logRetention: props.logRetention,
      memorySize: deployedMemoryMb.driftReduce,
      timeout: Duration.minutes(15),
    });
    const shard = this.shard.function;
    const reduce = this.reduce.function;
    context.grantTable(shard, "read");
    context.grantBucket(shard, [BucketPrefix.baselines], "read");
    context.grantBucket(shard, [BucketPrefix.datasets, BucketPrefix.batches, BucketPrefix.dataCapture], "read");
    context.grantDataBuckets(shard);
    context.grantBucket(shard, [BucketPrefix.driftShards], "readWrite");

    context.grantTable(reduce, "readWrite");
    context.grantBucket(reduce, [BucketPrefix.baselines, BucketPrefix.driftShards], "read");
    context.grantBucket(reduce, [BucketPrefix.driftReports], "readWrite");
    context.grantMetrics(reduce);
    context.grantAlerts(reduce);
    context.grantAudit(reduce);

    const retry = { errors: ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2 };
    const ids = { model: JsonPath.stringAt("$.model"), checkId: JsonPath.stringAt("$.checkId"), objects: JsonPath.numberAt("$.objects") };

    const markFailed = new LambdaInvoke(this, "MarkFailed", {
      lambdaFunction: reduce,
      payload: TaskInput.fromObject({ action: "fail", ...ids, error: JsonPath.objectAt("$.error") }),
      payloadResponseOnly: true,
      resultPath: JsonPath.DISCARD,
    }).addRetry(retry);
    markFailed.next(new Fail(this, "CheckFailed", { error: "DriftCheckFailed", causePath: JsonPath.stringAt("$.error.Cause") }));

    const shardTask = new LambdaInvoke(this, "SummariseShard", { lambdaFunction: shard, payloadResponseOnly: true }).addRetry(retry);
    const map = new DistributedMap(this, "Shards", {
      itemReader: new S3JsonItemReader({ bucketNamePath: JsonPath.stringAt("$.bucket"), key: JsonPath.stringAt("$.manifestKey") }),
      itemBatcher: new ItemBatcher({
        maxItemsPerBatch: props.shardObjects ?? 16,
        // ASL reads "key.$" entries of BatchInput as paths into the state input.
        batchInput: { "model.$": "$.model", "checkId.$": "$.checkId", "baselineId.$": "$.baselineId", "psiBins.$": "$.psiBins" },
      }),
      maxConcurrency: props.maxConcurrency ?? 40,
      mapExecutionType: StateMachineType.STANDARD,
      // Child results go to S3 (no 256 KB state limit whatever the shard count) and the state keeps its input.
      resultWriterV2: new PrefixResultWriter({ bucketNamePath: JsonPath.stringAt("$.bucket"), prefix: mapResultsPrefix }),
      resultPath: JsonPath.DISCARD,
      toleratedFailurePercentage: 0,
    });
    map.itemProcessor(shardTask);
    map.addCatch(markFailed, { resultPath: "$.error" });

    const reduceTask = new LambdaInvoke(this, "MergeSummaries", {
      lambdaFunction: reduce,
      payload: TaskInput.fromObject({ action: "reduce", ...ids }),
      payloadResponseOnly: true,
    }).addRetry(retry);
    reduceTask.addCatch(markFailed, { resultPath: "$.error" });

    this.logGroup = new LogGroup(this, "Logs", { retention: props.logRetention });
    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(map.next(reduceTask)),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      timeout: Duration.hours(6),
    });
    // The manifests (the ItemReader's GetObject) and the map's result files, not the bucket's other objects.
    const manifests = context.storage.bucket.arnForObjects(`${BucketPrefix.driftShards}*`);
    const results = context.storage.bucket.arnForObjects(`${mapResultsPrefix}/*`);
    this.stateMachine.addToRolePolicy(new PolicyStatement({ actions: ["s3:GetObject"], resources: [manifests] }));
    this.stateMachine.addToRolePolicy(new PolicyStatement({ actions: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], resources: [results] }));
    acknowledgeWildcard(this.stateMachine.role, manifests, `The Distributed Map reads each check's manifest, generated per check under ${BucketPrefix.driftShards}{model}/{checkId}/; the grant is s3:GetObject on that prefix only.`);
    acknowledgeWildcard(
      this.stateMachine.role,
      "*",
      "Step Functions logging to CloudWatch Logs (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) have no resource-level permissions; AWS documents Resource * for them.",
    );
    for (const fn of [shard, reduce]) {
      acknowledgeWildcard(this.stateMachine.role, `${fn.functionArn}:*`, "The LambdaInvoke task may call the function's versions and aliases (`:*` of this one function); no other function.");
    }
    // The Distributed Map starts, describes and stops its own child executions: execution ARNs of this state machine only.
    const mapPolicy = this.stateMachine.node.tryFindChild("DistributedMapPolicy");
    if (mapPolicy instanceof Policy) {
      const stack = Stack.of(this);
      for (const statement of mapPolicy.document.toJSON()?.Statement ?? []) {
        for (const resource of [statement.Resource].flat()) {
          const flat = flattenForNag(stack.resolve(resource));
          if (!flat.includes("*")) continue;
          Validations.of(mapPolicy).acknowledge({
            id: `AwsSolutions::AwsSolutions-IAM5[Resource::${flat}]`,
            reason: "A Distributed Map runs child workflow executions of its own state machine, whose execution names are generated per run; the grant covers executions of this state machine only.",
          });
        }
      }
    }
    acknowledgeWildcard(this.stateMachine.role, results, `The Distributed Map writes each run's result files under ${mapResultsPrefix}/{run id}/ (ResultWriter); the grant is s3:PutObject on that prefix only.`);
  }

  /** Lets a function (the worker, the monitor) start this state machine, and tells it the ARN. */
  public grantStart(starter: MlwatchFunction): void {
    starter.function.addEnvironment(EnvName.driftFanOutStateMachine, this.stateMachine.stateMachineArn);
    this.stateMachine.grantStartExecution(starter.function);
  }
}
