/**
 * The drift service: the API function, the worker that builds S3 baselines and runs S3 checks, the
 * scheduled monitor with its hourly EventBridge rule, their least-privilege grants and the routes.
 *
 * - API (`lambdas/drift/handlers/api.ts`, 29 s): answers every route; inline work is synchronous, S3 work is
 *   handed to the worker with an asynchronous invocation (`lambda:InvokeFunction` on the worker only).
 * - Worker (`lambdas/drift/handlers/worker.ts`, 15 min, 3,008 MB): reads the data, builds profiles and reports.
 * - Monitor (`lambdas/drift/handlers/monitor.ts`, 15 min, 3,008 MB): one pass over enabled models per hour.
 * - Fan-out (lib/drift-fanout.ts): checks at or above the size switch (context `driftFanOutBytes`,
 *   `driftFanOutObjects`) run as a Distributed Map of shard functions and a reduce function; the worker
 *   (on-demand checks) or the monitor (scheduled checks) writes the manifest and starts the state machine.
 * - Worker failures (`lambdas/drift/handlers/failure.ts`): the worker's on-failure destination; marks a job
 *   whose invocations all failed `failed`. Worker concurrency is reserved (context `driftWorkerConcurrency`,
 *   default 10), the monitor's is 1; their failed asynchronous events go to an encrypted dead-letter queue.
 * All three read and write the table, write profiles under `baselines/` and reports under `reports/drift/`,
 * publish metrics into mlwatch's namespace, alert to the encrypted topic and write the audit trail; the
 * worker and monitor also read data under `datasets/` and `data-capture/` of the data bucket and the team's
 * buckets named in `dataBuckets`, and read and write `batches/` (ground-truth joins record batches).
 * - Ground-truth joins above `groundTruthJoinInlineBytes` (lambdas/performance/join-job.ts): the performance
 *   function and the monitor hand them to the worker ({@link DriftService.grantJoinJobs}), the one function
 *   with the time (15 min), memory and failure handling a large join needs; no new resource.
 */
import { Duration } from "aws-cdk-lib";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IDestination, IFunction } from "aws-cdk-lib/aws-lambda";
import { Queue, QueueEncryption, type IQueue } from "aws-cdk-lib/aws-sqs";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { driftContract } from "../lambdas/drift/contract.js";
import { EnvName } from "../lambdas/shared/env.js";
import { MlwatchFunction } from "./function.js";
import { DriftFanOut } from "./drift-fanout.js";
import { BucketPrefix } from "../lambdas/shared/buckets.js";
import { deployedMemoryMb } from "../lambdas/shared/function-memory.js";
import type { MonitoringApi } from "./api.js";
import type { ServiceContext } from "./service-context.js";

/** Props of {@link DriftService}. */
export interface DriftServiceProps {
  readonly context: ServiceContext;
  readonly api: MonitoringApi;
  readonly logRetention: RetentionDays;
  /**
   * Memory of the worker and the monitor in MB (1M rows × 20 features needs about 1 GB).
   * @default 3008
   */
  readonly workerMemorySize?: number;
  /**
   * Memory of the API function in MB (inline records ≤ 5 MB are checked in it).
   * @default 1536
   */
  readonly apiMemorySize?: number;
  /**
   * How often the monitor runs; each model's own schedule (hourly/daily, or everyMinutes) decides whether it is due.
   * @default every `monitorEveryMinutes` of the configuration (60: Schedule.rate(Duration.hours(1)))
   */
  readonly monitorSchedule?: Schedule;
  /** Where the monitor's scheduled events end when EventBridge cannot deliver them. @default none */
  readonly eventDeadLetterQueue?: IQueue;
  /**
   * Concurrent executions reserved for the worker (the monitor always has 1: one pass at a time).
   * @default 10
   */
  readonly workerConcurrency?: number;
}

/**
 * A function as an on-failure destination, invokable by its unqualified ARN only (the library's
 * LambdaDestination grants `:*`, every version and alias; Lambda invokes a destination by the ARN given).
 */
function unqualifiedDestination(target: IFunction): IDestination {
  return {
    bind: (_scope, source) => {
      source.addToRolePolicy(new PolicyStatement({ actions: ["lambda:InvokeFunction"], resources: [target.functionArn] }));
      return { destination: target.functionArn };
    },
  };
}

/** The drift Lambdas behind the API and on the hourly schedule. */
export class DriftService extends Construct {
  public readonly handler: MlwatchFunction;
  public readonly worker: MlwatchFunction;
  public readonly monitor: MlwatchFunction;
  public readonly monitorRule: Rule;
  /** Fan-out checks: the shard and reduce functions and the Distributed Map state machine (lib/drift-fanout.ts). */
  public readonly fanOut: DriftFanOut;
  /** Failure handler of the worker: marks a job whose invocations all failed `failed` (job-failure.ts). */
  public readonly failureHandler: MlwatchFunction;
  /**
   * Encrypted dead-letter queue of the worker, the monitor and the failure handler: asynchronous events
   * whose retries are exhausted land here (14 days), and its depth alarms to the alert topic.
   */
  public readonly deadLetterQueue: Queue;

  public constructor(scope: Construct, id: string, props: DriftServiceProps) {
    super(scope, id);
    const { context } = props;
    const heavy = { memorySize: props.workerMemorySize ?? deployedMemoryMb.driftWorker, timeout: Duration.minutes(15), logRetention: props.logRetention };

    this.deadLetterQueue = new Queue(this, "DeadLetters", {
      encryption: QueueEncryption.KMS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.worker = new MlwatchFunction(this, "Worker", {
      entry: "lambdas/drift/handlers/worker.ts",
      description: "mlwatch drift worker: baselines and checks of data in S3",
      environment: context.environment,
      // Each S3 check or baseline starts a worker; at most this many run at once, the rest wait in the queue.
      reservedConcurrentExecutions: props.workerConcurrency ?? 10,
      deadLetterQueue: this.deadLetterQueue,
      ...heavy,
    });
    this.monitor = new MlwatchFunction(this, "Monitor", {
      entry: "lambdas/drift/handlers/monitor.ts",
      description: "mlwatch drift monitor: scheduled checks of SageMaker data capture",
      environment: context.environment,
      // One pass at a time: a slow pass and the next hour's start must not check the same models twice.
      reservedConcurrentExecutions: 1,
      deadLetterQueue: this.deadLetterQueue,
      ...heavy,
    });
    this.failureHandler = new MlwatchFunction(this, "WorkerFailures", {
      entry: "lambdas/drift/handlers/failure.ts",
      description: "mlwatch drift failures: marks a job whose worker died failed (the worker's on-failure destination)",
      environment: context.environment,
      logRetention: props.logRetention,
      memorySize: 256,
      timeout: Duration.seconds(30),
      deadLetterQueue: this.deadLetterQueue,
    });
    context.grantTable(this.failureHandler.function, "readWrite");
    this.handler = new MlwatchFunction(this, "Handler", {
      entry: "lambdas/drift/handlers/api.ts",
      description: "mlwatch drift API: baselines, drift checks, monitoring settings",
      environment: { ...context.environment, [EnvName.driftQueueFunction]: this.worker.function.functionName },
      logRetention: props.logRetention,
      memorySize: props.apiMemorySize ?? deployedMemoryMb.driftApi,
      timeout: Duration.seconds(29),
    });

    const api = this.handler.function;
    const readers = [this.worker.function, this.monitor.function];
    for (const fn of [api, ...readers]) {
      context.grantTable(fn, "readWrite");
      context.grantBucket(fn, [BucketPrefix.baselines, BucketPrefix.driftReports], "readWrite");
      context.grantMetrics(fn);
      context.grantAlerts(fn);
      context.grantAudit(fn);
      // Drift Detected and Retraining Requested (checks crossing the policy; the monitor's retraining schedule).
      context.grantEvents(fn);
    }
    for (const fn of readers) {
      context.grantBucket(fn, [BucketPrefix.datasets, BucketPrefix.dataCapture], "read");
      context.grantDataBuckets(fn);
      // Ground-truth joins (lambdas/performance/): the monitor's pass runs the scheduled ones within the size
      // bound, the worker the large ones (join jobs); both record batches like the performance function,
      // whose raw rows they write.
      context.grantBucket(fn, [BucketPrefix.batches], "readWrite");
    }
    // The monitor hands a scheduled join above the size bound to the worker, as the performance API does.
    this.grantJoinJobs(this.monitor, context.config.groundTruthJoinInlineBytes);
    // The unqualified function only (grantInvoke would add `:*`, every version and alias).
    api.addToRolePolicy(new PolicyStatement({ actions: ["lambda:InvokeFunction"], resources: [this.worker.function.functionArn] }));
    // One retry after a crash (timeout, out of memory); a recorded failure is never retried (the worker does not
    // throw). When the retry fails too, or the event waited an hour for a free worker, the failure handler
    // marks the job failed (and the event also lands in the dead-letter queue).
    this.worker.function.configureAsyncInvoke({ retryAttempts: 1, maxEventAge: Duration.hours(1), onFailure: unqualifiedDestination(this.failureHandler.function) });

    // Checks at or above the size switch fan out on Step Functions (lambdas/drift/fanout.ts).
    this.fanOut = new DriftFanOut(this, "FanOut", {
      context,
      logRetention: props.logRetention,
      maxConcurrency: context.config.driftMaxConcurrency,
      shardObjects: context.config.driftShardObjects,
    });
    // The worker (on-demand checks) and the monitor (scheduled checks) apply the same switch and start the same machine.
    for (const starter of [this.worker, this.monitor]) {
      this.fanOut.grantStart(starter);
      context.grantBucket(starter.function, [BucketPrefix.driftShards], "readWrite");
      starter.function.addEnvironment(EnvName.driftFanOutBytes, String(context.config.driftFanOutBytes));
      starter.function.addEnvironment(EnvName.driftFanOutObjects, String(context.config.driftFanOutObjects));
      starter.function.addEnvironment(EnvName.driftShardObjects, String(context.config.driftShardObjects));
    }

    // Every function that completes a check costs it at the stack's prices.
    const prices = JSON.stringify({
      lambdaGbSecondUsd: context.config.priceLambdaGbSecondUsd,
      stepFunctionsTransitionUsd: context.config.priceStepFunctionsTransitionUsd,
      s3WriteRequestUsd: context.config.priceS3WriteRequestUsd,
      s3ReadRequestUsd: context.config.priceS3ReadRequestUsd,
    });
    for (const fn of [api, this.worker.function, this.monitor.function, this.fanOut.reduce.function]) fn.addEnvironment(EnvName.checkPrices, prices);

    // The API refuses a model period shorter than the stack's; the monitor reads it for the same reason.
    const everyMinutes = context.config.monitorEveryMinutes;
    for (const fn of [api, this.monitor.function]) fn.addEnvironment(EnvName.monitorEveryMinutes, String(everyMinutes));
    this.monitorRule = new Rule(this, "MonitorSchedule", {
      description: "mlwatch: start the drift monitor (each model's schedule decides whether it is due)",
      schedule: props.monitorSchedule ?? (everyMinutes === 60 ? Schedule.rate(Duration.hours(1)) : Schedule.rate(Duration.minutes(everyMinutes))),
      targets: [new LambdaFunction(this.monitor.function, { retryAttempts: 2, maxEventAge: Duration.hours(1), deadLetterQueue: props.eventDeadLetterQueue })],
    });

    props.api.addService(api, driftContract);
  }

  /**
   * Lets a function hand Model Monitor ground-truth joins above the size bound to the worker
   * (lambdas/performance/join-job.ts): the worker's name, the bound, and `lambda:InvokeFunction` on the
   * unqualified worker only. The worker's on-failure destination marks a job whose worker died failed.
   */
  public grantJoinJobs(starter: MlwatchFunction, inlineBytes: number): void {
    const fn = starter.function;
    fn.addEnvironment(EnvName.driftQueueFunction, this.worker.function.functionName);
    fn.addEnvironment(EnvName.groundTruthInlineBytes, String(inlineBytes));
    fn.addToRolePolicy(new PolicyStatement({ actions: ["lambda:InvokeFunction"], resources: [this.worker.function.functionArn] }));
  }
}
