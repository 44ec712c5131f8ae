/**
 * A service's contract: its route definitions (`createRoute` with zod request and response schemas),
 * keyed by operation name. The contract is what CDK (the API Gateway methods), the OpenAPI generator and
 * the clients read; the service's app binds one handler to each of its routes. A contract module imports
 * zod, the shared schemas and pure core definitions only — never a handler, a store or an SDK — so that
 * `cdk synth` and the clients load no Lambda code.
 */
import type { RouteConfig } from "@hono/zod-openapi";

/** The route definitions of one service, in the order they are documented and mounted. */
export interface ServiceContract<R extends Record<string, RouteConfig> = Record<string, RouteConfig>> {
  /** The service's name (`registry`, `drift`, …). */
  readonly service: string;
  /** Operation name → route definition. */
  readonly routes: R;
}

/** Declares a service's contract (identity, typed: each route keeps its own request and response types). */
export function defineContract<const R extends Record<string, RouteConfig>>(service: string, routes: R): ServiceContract<R> {
  return { service, routes };
}

/** A contract's route definitions, in order. */
export function contractRoutes(contract: ServiceContract): RouteConfig[] {
  return Object.values(contract.routes);
}
