/**
 * The REST API: AWS_IAM authorization on every method, stage throttling, JSON access logs, X-Ray, and
 * gateway errors in the same `{ "error": { "code", "message" } }` shape as the services'.
 *
 * Routes are not listed by hand: each service's OpenAPI definitions (from its zod route schemas) give
 * the paths and methods, so the API and the code cannot disagree.
 */
import { RemovalPolicy } from "aws-cdk-lib";
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from "aws-cdk-lib/aws-apigateway";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { Routes } from "../lambdas/shared/http.js";

/** A method and path as API Gateway writes them (`/models/{model}`). */
export interface RouteSpec {
  readonly method: string;
  readonly path: string;
}

/** The routes a service's route collection defines, from its OpenAPI registry. */
export function routeSpecs(routes: Routes): RouteSpec[] {
  const specs: RouteSpec[] = [];
  for (const def of routes.openAPIRegistry.definitions) {
    if (def.type === "route") specs.push({ method: def.route.method.toUpperCase(), path: def.route.path });
  }
  return specs;
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
  }

  /** Sends every route of `routes` to `fn` (proxy integration, AWS_IAM). */
  public addService(fn: IFunction, routes: Routes): void {
    const integration = new LambdaIntegration(fn, { proxy: true });
    for (const spec of routeSpecs(routes)) {
      this.api.root.resourceForPath(spec.path).addMethod(spec.method, integration, { authorizationType: AuthorizationType.IAM });
    }
  }
}
