/**
 * The HTTP layer every service shares.
 *
 * `createRoutes()` gives a service an OpenAPIHono that holds only its routes and formats validation
 * failures; `hostApp(...routes)` wraps one or more of them with everything a host needs — request id,
 * caller identity, one log line per request, JSON-only UTF-8 bodies, body size limit, well-formed URL
 * text, parse-time depth and key limits, idempotency, an access record of every mutation (the middlewares:
 * http-middleware.ts), and error mapping. A Lambda hosts one service (`handle(hostApp(routes))`); the local
 * server hosts them all.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { randomUUID } from "node:crypto";
import type { AppEnv } from "./app-env.js";
import { ErrorCode, formatIssues, mapError, ValidationError } from "./errors.js";
import { accessAudit, bodySizeLimit, jsonContentType, parsedJsonBody, requestContext, wellFormedUrlText } from "./http-middleware.js";
import { idempotency } from "./idempotency.js";
import { serviceLogger } from "./logger.js";

export type { AppEnv } from "./app-env.js";
export { localActorHeader, maxBodyBytes } from "./http-middleware.js";

/** A service's route collection. */
export type Routes = OpenAPIHono<AppEnv>;

/** Creates the route collection of one service, with the one validation-error format. */
export function createRoutes(): Routes {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const message = formatIssues(result.target, result.error.issues);
        return c.json({ error: { code: ErrorCode.validation, message } }, 400);
      }
      return undefined;
    },
  });
}

/**
 * Hosts route collections as one app.
 * @param service name used in logs (`mlwatch-{service}`)
 * @param routes the route collections to mount at `/`
 */
export function hostApp(service: string, ...routes: Routes[]): OpenAPIHono<AppEnv> {
  const logger = serviceLogger(service);
  const app = new OpenAPIHono<AppEnv>();

  app.use("*", requestContext(logger));
  app.use("*", jsonContentType());
  app.use("*", bodySizeLimit());
  app.use("*", wellFormedUrlText());
  app.use("*", parsedJsonBody());
  app.use("*", idempotency());
  app.use("*", accessAudit());

  for (const r of routes) app.route("/", r);

  app.notFound((c) => c.json({ error: { code: ErrorCode.notFound, message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

  app.onError((err, c) => {
    const requestId = c.get("requestId") ?? randomUUID();
    const mapped = mapError(err, requestId);
    if (mapped.internal) {
      logger.error("unhandled error", { requestId, method: c.req.method, path: c.req.path, error: err as Error });
    }
    return c.json(mapped.body, mapped.status);
  });

  return app;
}

/** Parses a positive integer query parameter with a default and an upper bound. */
export function intQuery(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value)) throw new ValidationError(`query.${name}: must be a positive integer`);
  const n = Number(value);
  if (n < 1 || n > max) throw new ValidationError(`query.${name}: must be between 1 and ${max}`);
  return n;
}
