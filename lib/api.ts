/**
 * The REST API: AWS_IAM authorization on every method, stage throttling, JSON access logs, X-Ray, and
 * gateway errors in the same `{ "error": { "code", "message" } }` shape as the services'.
 *
 * Routes are not listed by hand: each service's contract (lambdas/<service>/contract.ts, its zod route
 * definitions) gives the paths and methods, so the API and the code cannot disagree. Only contracts are
 * imported here, never an app: synthesis loads no Lambda code.
 */
import { RemovalPolicy, Validations } from "aws-cdk-lib";
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  JsonSchemaType,
  JsonSchemaVersion,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type Model,
  type RequestValidator,
  ResponseType,
  RestApi,
} from "aws-cdk-lib/aws-apigateway";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { contractRoutes, type ServiceContract } from "../lambdas/shared/contract.js";

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
  /** Validates path parameters and, on routes that need a body, that the body is a JSON object. */
  public readonly validator: RequestValidator;
  private readonly jsonObject: Model;

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

    // The gateway checks the request's shape (path parameters present, a JSON object where a body is
    // required) before a function is invoked; the services' zod schemas check every field.
    this.validator = this.api.addRequestValidator("Validator", { validateRequestBody: true, validateRequestParameters: true });
    this.jsonObject = this.api.addModel("JsonObject", {
      contentType: "application/json",
      description: "any JSON object; the service validates its fields",
      schema: { schema: JsonSchemaVersion.DRAFT4, type: JsonSchemaType.OBJECT },
    });

    const role = this.api.node.tryFindChild("CloudWatchRole");
    if (role) {
      Validations.of(role).acknowledge({
        id: "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
        reason:
          "This is API Gateway's account-wide logging role (AWS::ApiGateway::Account holds one per account and region, shared by every REST API there); " +
          "the AWS-managed AmazonAPIGatewayPushToCloudWatchLogs policy is what AWS documents for it, and narrowing it to mlwatch's log groups would break the execution logs of the account's other APIs.",
      });
    }
    Validations.of(this.api.deploymentStage).acknowledge({
      id: "AwsSolutions::AwsSolutions-APIG3",
      reason:
        "Every method requires SigV4 (AWS_IAM): API Gateway rejects unsigned or unauthorised requests before any function runs, and the stage is throttled. " +
        "The callers are a team's pipeline roles, not the public; a WAF web ACL would add about $6/month at rest for no extra protection of this surface.",
    });
  }

  /** Sends every route of `contract` to `fn` (proxy integration, AWS_IAM). */
  public addService(fn: IFunction, contract: ServiceContract): void {
    const integration = new LambdaIntegration(fn, { proxy: true });
    for (const spec of routeSpecs(contract)) {
      const pathParameters = [...spec.path.matchAll(/\{([^}]+)\}/g)].map((m) => `method.request.path.${m[1]}`);
      const method = this.api.root.resourceForPath(spec.path).addMethod(spec.method, integration, {
        authorizationType: AuthorizationType.IAM,
        requestValidator: this.validator,
        requestParameters: Object.fromEntries(pathParameters.map((p) => [p, true])),
        requestModels: spec.bodyRequired ? { "application/json": this.jsonObject } : undefined,
      });
      Validations.of(method).acknowledge({
        id: "AwsSolutions::AwsSolutions-COG4",
        reason:
          "mlwatch's callers are SageMaker pipelines, training and batch jobs authenticating as IAM principals: every method uses AWS_IAM (SigV4) authorization, " +
          "which identifies the caller's role for the audit trail; a Cognito user pool would add a second identity store for machine callers.",
      });
    }
  }
}
