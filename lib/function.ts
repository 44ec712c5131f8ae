/**
 * The one function construct every service uses: Node 24 on arm64, ESM bundle minified with source maps,
 * X-Ray tracing, its own log group with retention, and its own role whose only standing permission is
 * writing to that log group (no AWS-managed policy); services add what they use.
 *
 * The code is prebuilt when `lambda/<name>/index.mjs` exists next to lib/ (inside the @mlwatch/cdk package,
 * built by scripts/package-cdk.mjs with the same esbuild options): a user's app then needs neither esbuild
 * nor our lockfile. In this repository there is no prebuilt code and the function is bundled at synth by
 * scripts/build-lambda.mjs (lib/bundles.ts's options) from CDK's local bundling. Not NodejsFunction: it
 * writes one file (esbuild --outfile), and the bundles are split (an entry plus chunks loaded on first use).
 */
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from "aws-cdk-lib";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { type AddToPrincipalPolicyResult, PolicyDocument, PolicyStatement, Role, type RoleProps, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing, type FunctionProps } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { acknowledgeWildcard } from "./nag.js";
import { lambdaName } from "./bundles.js";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in lib/), or the package root of @mlwatch/cdk. */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Where the prebuilt bundle of a function is, when there is one. */
export function prebuiltCodeDir(entry: string): string | undefined {
  const dir = join(projectRoot, "lambda", lambdaName(entry));
  return existsSync(join(dir, "index.mjs")) ? dir : undefined;
}

/**
 * A role that keeps what it is granted in an inline policy (`grants`) of the role itself instead of a
 * separate `AWS::IAM::Policy` resource: the same inline role policy in IAM (PutRolePolicy either way, the
 * same size limit), one CloudFormation resource fewer per function. Safe here because no resource the
 * grants name refers back to the role (the infra tests check the template has no dependency cycle).
 */
export class InlineGrantsRole extends Role {
  private readonly grantsDocument: PolicyDocument;

  public constructor(scope: Construct, id: string, props: RoleProps) {
    const grants = new PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { ...props.inlinePolicies, grants } });
    this.grantsDocument = grants;
  }

  public override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.grantsDocument.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/** Props of {@link MlwatchFunction}. */
export interface MlwatchFunctionProps {
  /** Handler file relative to the repository root, e.g. `lambdas/registry/handlers/api.ts`. */
  readonly entry: string;
  /** Environment variables. */
  readonly environment: Record<string, string>;
  /** Log retention. */
  readonly logRetention: RetentionDays;
  /** Memory in MB. @default 1024 */
  readonly memorySize?: number;
  /** Timeout. @default Duration.seconds(29) */
  readonly timeout?: Duration;
  /** Short description shown in the console. */
  readonly description?: string;
  /** Concurrent executions reserved (and capped) for the function. @default none (the account's pool) */
  readonly reservedConcurrentExecutions?: number;
  /** Queue that receives asynchronous events whose retries are exhausted. @default none */
  readonly deadLetterQueue?: IQueue;
}

/** A service Lambda with mlwatch's defaults. */
export class MlwatchFunction extends Construct {
  /** The function. */
  public readonly function: LambdaFunction;
  /** Its handler file, relative to the repository root. */
  public readonly entry: string;
  /** Its log group. */
  public readonly logGroup: LogGroup;
  /** Its execution role. */
  public readonly role: Role;

  public constructor(scope: Construct, id: string, props: MlwatchFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, "Logs", { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    // Instead of AWSLambdaBasicExecutionRole (logs:CreateLogGroup/CreateLogStream/PutLogEvents on every
    // log group): streams and events in this function's own group only. The group's ARN attribute
    // (`…:log-group:name:*`) is what covers its streams.
    this.role = new InlineGrantsRole(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `mlwatch ${props.entry}: execution role`,
      inlinePolicies: {
        logs: new PolicyDocument({
          statements: [new PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [this.logGroup.logGroupArn] })],
        }),
      },
    });
    this.entry = props.entry;
    const common: Omit<FunctionProps, "code" | "handler"> = {
      // The architecture named Node 22; Node 22 reaches end of life in April 2027, five months after this
      // was written, and Lambda deprecates runtimes at end of life — so the functions run the current LTS.
      runtime: Runtime.NODEJS_24_X,
      role: this.role,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(29),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      description: props.description,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      deadLetterQueue: props.deadLetterQueue,
      environment: { NODE_OPTIONS: "--enable-source-maps", ...props.environment },
    };
    const prebuilt = prebuiltCodeDir(props.entry);
    this.function = new LambdaFunction(this, "Function", { ...common, code: prebuilt ? Code.fromAsset(prebuilt) : bundledCode(props.entry), handler: "index.handler" });
    acknowledgeWildcard(
      this.role,
      "*",
      "xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) have no resource-level permissions; AWS requires Resource * for them.",
    );
  }
}

/**
 * The function's code bundled at synth: scripts/build-lambda.mjs writes `index.mjs` and its chunks into the
 * asset folder. The asset is hashed by its output (as NodejsFunction does), so the repository is not
 * fingerprinted and an unchanged bundle keeps its asset. Stacks excluded from bundling
 * (`aws:cdk:bundling-stacks`) skip the build.
 */
function bundledCode(entry: string): Code {
  const name = lambdaName(entry);
  return Code.fromAsset(join(projectRoot, "lambdas"), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry("mlwatch-local-bundling-only"),
      // What runs, for the record — and part of the asset cache key, which ignores `local` (a function):
      // without it every function would share the first one's bundle.
      command: ["node", "scripts/build-lambda.mjs", name, "<asset output>"],
      local: {
        tryBundle(outputDir: string): boolean {
          const run = spawnSync(process.execPath, [join(projectRoot, "scripts", "build-lambda.mjs"), name, outputDir], { encoding: "utf8" });
          if (run.status !== 0) throw new Error(`bundling ${entry} failed:\n${run.stderr || run.error?.message}`);
          return true;
        },
      },
    },
  });
}
