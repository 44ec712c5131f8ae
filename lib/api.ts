/**
 * The REST API: AWS_IAM authorization on every method, stage throttling, JSON access logs, X-Ray, and
 * gateway errors in the same `{ "error": { "code", "message" } }` shape as the services'.
 *
 * Routes are not listed by hand: each service's contract (lambdas/<service>/contract.ts, its zod route
 * definitions) gives the paths and methods, so the API and the code cannot disagree. Only contracts are
 * imported here, never an app: synthesis loads no Lambda code. The routes are laid out as few resources as
 * keep each one on its service's function (lib/gateway-plan.ts: `{proxy+}` + `ANY` wherever one service owns
 * a subtree), with one invoke permission per function: 51 resources where a resource, a method and two
 * permissions per route made 229. The service's app (Hono) routes within its function and validates every
 * request with the contract's zod schemas; an unknown path or method gets the app's 404 JSON.
 * docs/security.md shows why route-level `execute-api:Invoke` policies hold unchanged.
 */
import { RemovalPolicy, Validations } from "aws-cdk-lib";
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type IResource,
  ResponseType,
  RestApi,
} from "aws-cdk-lib/aws-apigateway";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { contractRoutes, type ServiceContract } from "../lambdas/shared/contract.js";
import { gatewayPlan, pathSegments, type PlannedRoute } from "./gateway-plan.js";

/** A method and path as API Gateway writes them (`/models/{model}`). */
export interface RouteSpec {
  readonly method: string;
  readonly path: string;
  /** Whether the route requires a JSON body. */
  readonly bodyRequired: boolean;
}

/** The routes a service's contract defines. */
export function routeSpecs(contract: ServiceContract): RouteSpec[] {
  return contractRoutes(contract).map((route) => ({ method: route.method.toUpperCase(), path: route.path, bodyRequired: route.request?.body?.required === true }));
}

/** Props of {@link MonitoringApi}. */
export interface MonitoringApiProps {
  /** Steady-state requests per second. */
  readonly throttleRate: number;
  /** Burst capacity. */
  readonly throttleBurst: number;
  /** Access log retention. */
  readonly logRetention: RetentionDays;
}

/** The API's one stage. */
export const apiStageName = "v1";

/** The REST API and its access log. */
export class MonitoringApi extends Construct {
  public readonly api: RestApi;
  public readonly accessLogs: LogGroup;
  private readonly services = new Map<string, { fn: IFunction; contract: ServiceContract }>();
  private mounted = false;

  public constructor(scope: Construct, id: string, props: MonitoringApiProps) {
    super(scope, id);
    this.accessLogs = new LogGroup(this, "AccessLogs", { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.api = new RestApi(this, "Api", {
      restApiName: "mlwatch",
      description: "mlwatch: model registry, drift detection, performance tracking, audit",
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: true,
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      deployOptions: {
        stageName: apiStageName,
        throttlingRateLimit: props.throttleRate,
        throttlingBurstLimit: props.throttleBurst,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const errorTemplate = {
      "application/json": '{"error":{"code":"$context.error.responseType","message":$context.error.messageString}}',
    };
    this.api.addGatewayResponse("Default4xx", { type: ResponseType.DEFAULT_4XX, templates: errorTemplate });
    this.api.addGatewayResponse("Default5xx", { type: ResponseType.DEFAULT_5XX, templates: errorTemplate });

    const role = this.api.node.tryFindChild("CloudWatchRole");
    if (role) {
      Validations.of(role).acknowledge({
        id: "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
        reason:
          "This is API Gateway's account-wide logging role (AWS::ApiGateway::Account holds one per account and region, shared by every REST API there); " +
          "the AWS-managed AmazonAPIGatewayPushToCloudWatchLogs policy is what AWS documents for it, and narrowing it to mlwatch's log groups would break the execution logs of the account's other APIs.",
      });
    }
    Validations.of(this.api).acknowledge({
      id: "AwsSolutions::AwsSolutions-APIG2",
      reason:
        "Each service's app validates every path parameter, query and body with its contract's zod schemas before any store is called, and answers a 400 JSON; " +
        "the routes share `{proxy+}` methods (lib/gateway-plan.ts), so a gateway model could not tell one route's body from another's.",
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: "AwsSolutions::AwsSolutions-APIG3",
      reason:
        "Every method requires SigV4 (AWS_IAM): API Gateway rejects unsigned or unauthorised requests before any function runs, and the stage is throttled. " +
        "The callers are a team's pipeline roles, not the public; a WAF web ACL would add about $6/month at rest for no extra protection of this surface.",
    });
  }

  /** Registers `fn` as the function serving every route of `contract`; {@link mount} lays the routes out. */
  public addService(fn: IFunction, contract: ServiceContract): void {
    if (this.mounted) throw new Error(`service ${contract.service} added after the API's routes were mounted`);
    if (this.services.has(contract.service)) throw new Error(`service ${contract.service} added twice`);
    this.services.set(contract.service, { fn, contract });
  }

  /**
   * Creates the resources and methods of every registered service's routes (once, after all services
   * were added: which service owns a shared path segment depends on all of them).
   */
  public mount(): void {
    if (this.mounted) throw new Error("the API's routes are already mounted");
    this.mounted = true;
    const routes: PlannedRoute[] = [...this.services.values()].flatMap(({ contract }) =>
      routeSpecs(contract).map((r) => ({ service: contract.service, method: r.method, path: r.path })),
    );
    // One permission per function, on the API's execution ARN (`…:api-id/*/*/*`), instead of two per method.
    const integrations = new Map([...this.services].map(([name, { fn }]) => [name, new LambdaIntegration(fn, { proxy: true, scopePermissionToMethod: false })]));
    const resources = new Map<string, IResource>([["/", this.api.root]]);
    const resourceAt = (path: string): IResource => {
      let resource = resources.get(path);
      if (!resource) {
        const segments = pathSegments(path);
        resource = resourceAt(`/${segments.slice(0, -1).join("/")}`).addResource(segments[segments.length - 1]);
        resources.set(path, resource);
      }
      return resource;
    };
    for (const node of gatewayPlan(routes)) {
      const resource = resourceAt(node.path);
      for (const [httpMethod, service] of node.methods) {
        const method = resource.addMethod(httpMethod, integrations.get(service)!, { authorizationType: AuthorizationType.IAM });
        Validations.of(method).acknowledge({
          id: "AwsSolutions::AwsSolutions-COG4",
          reason:
            "mlwatch's callers are SageMaker pipelines, training and batch jobs authenticating as IAM principals: every method uses AWS_IAM (SigV4) authorization, " +
            "which identifies the caller's role for the audit trail; a Cognito user pool would add a second identity store for machine callers.",
        });
      }
    }
  }
}
