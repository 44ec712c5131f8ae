/**
 * The OpenAPI 3.1 document of the whole API, generated from the services' contracts (zod route
 * definitions): the same definitions that validate requests, create the API Gateway methods (lib/api.ts)
 * and type the clients.
 * `npm run openapi` writes it to docs/openapi.json; the local server serves it at `GET /openapi.json`.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { ServiceContract } from "./contract.js";
import { idempotencyKeyPattern } from "./idempotency.js";

/** The document's `info.version`: the API's version, not the package's. */
export const apiVersion = "1.0.0";

/** Options of {@link buildOpenApiDocument}. */
export interface OpenApiOptions {
  /** Server URLs listed in the document. @default the deployed API's form and the local server */
  readonly servers?: { url: string; description?: string }[];
}

/** The document's servers: the deployed API's form, and the local server at `localUrl`. */
export function openApiServers(localUrl = "http://127.0.0.1:3000"): { url: string; description: string }[] {
  return [
    { url: "https://{restApiId}.execute-api.{region}.amazonaws.com/v1", description: "deployed API (AWS_IAM: sign requests with SigV4, service execute-api)" },
    { url: localUrl, description: "local server (`mlwatch serve`, no auth)" },
  ];
}

const defaultServers = openApiServers();

/** Builds the OpenAPI 3.1 document of every route of `contracts`, in order. */
export function buildOpenApiDocument(contracts: readonly ServiceContract[], options: OpenApiOptions = {}): ReturnType<OpenAPIHono["getOpenAPI31Document"]> {
  // Only the registry of an OpenAPIHono is used: no handler is bound, nothing is served.
  const app = new OpenAPIHono();
  // The operationId of each operation is its key in the contract: the one name the clients and the CLI use.
  const seen = new Set<string>();
  for (const contract of contracts) {
    for (const [operationId, route] of Object.entries(contract.routes)) {
      if (seen.has(operationId)) throw new Error(`operationId ${operationId} is declared twice (${contract.service})`);
      seen.add(operationId);
      app.openAPIRegistry.registerPath({ ...route, operationId });
    }
  }
  const doc = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "mlwatch API",
      version: apiVersion,
      description:
        "Model registry, drift detection, performance tracking and audit. Errors are `{ \"error\": { \"code\", \"message\" } }`. " +
        "The deployed API authorizes every method with AWS_IAM (SigV4, service `execute-api`).",
    },
    servers: options.servers ?? defaultServers,
  });
  // Deployed, every method needs a SigV4 signature: say so once for the whole document.
  doc.components = { ...doc.components, securitySchemes: { sigv4: { type: "apiKey", name: "Authorization", in: "header", description: "AWS Signature Version 4 (service execute-api)" } } };
  doc.security = [{ sigv4: [] }];
  // Every POST honours Idempotency-Key (idempotency.ts, one middleware for all services): list it on each.
  const idempotencyHeader = {
    name: "Idempotency-Key",
    in: "header" as const,
    required: false,
    description:
      "Retry safely: the first answer (status < 500) is stored for 24 h and replayed to a retry with the same key and the same JSON body (header `idempotent-replayed: true`); the same key with another body is a 422, a retry while the first is running a 409.",
    schema: { type: "string" as const, pattern: idempotencyKeyPattern.source },
  };
  for (const item of Object.values(doc.paths ?? {})) {
    if (item?.post) item.post.parameters = [...(item.post.parameters ?? []), idempotencyHeader];
  }
  return doc;
}
