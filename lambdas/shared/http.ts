/**
 * The HTTP layer every service shares.
 *
 * `createRoutes()` gives a service an OpenAPIHono that holds only its routes and formats validation
 * failures; `hostApp(...routes)` wraps one or more of them with everything a host needs — request id,
 * caller identity, one log line per request, body size limit, JSON-only UTF-8 bodies, parse-time
 * depth and key limits (json-limits.ts), idempotency, error mapping. A Lambda hosts one service (`handle(hostApp(routes))`); the local server hosts them all.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { randomUUID } from "node:crypto";
import { ErrorCode, formatIssues, mapError, MlwatchError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "./errors.js";
import { serviceLogger } from "./logger.js";
import { idempotency } from "./idempotency.js";
import { recordAudit } from "./audit.js";
import { checkJsonLimits, checkText } from "./json-limits.js";

/** Largest request body accepted (API Gateway's own limit is 10 MB; inline records are capped at 5 MB). */
export const maxBodyBytes = 6 * 1024 * 1024;

/** The Hono environment of every mlwatch app. */
export interface AppEnv {
  Bindings: {
    event?: { requestContext?: { requestId?: string; identity?: { userArn?: string | null; caller?: string | null } } };
    lambdaContext?: { awsRequestId?: string };
  };
  Variables: {
    requestId: string;
    caller: string;
  };
}

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

/** The request header that names the actor on a local host (`x-mlwatch-actor: alice`). */
export const localActorHeader = "x-mlwatch-actor";

/** What a local actor name may be: a plain token of 1-64 characters, as it is logged, audited and compared (docs/alerts.md). */
const localActorPattern = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}$/;

/**
 * The caller. Behind API Gateway (a Lambda invocation carries its event) it is the IAM principal from the
 * request context, and the {@link localActorHeader} header is ignored: nobody can claim another identity.
 * On a local host (the local server, in-process tests: no Lambda event) it is the header's name when one is
 * sent, so that approval by a second person can be tried on one machine; otherwise `local`.
 * @throws ValidationError when a local request sends a malformed actor name
 */
function callerOf(c: Context<AppEnv>): string {
  const event = c.env?.event;
  if (event !== undefined) {
    const identity = event.requestContext?.identity;
    return identity?.userArn ?? identity?.caller ?? "unknown";
  }
  const named = c.req.header(localActorHeader);
  if (named === undefined) return "local";
  if (!localActorPattern.test(named)) {
    throw new ValidationError(`header.${localActorHeader}: must be 1-64 characters of letters, digits, '.', '_', '@', ':' or '-', starting with a letter or digit`);
  }
  return named;
}

const bodyMethods = new Set(["POST", "PUT", "PATCH"]);
const mutatingMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A path segment decoded; a malformed escape (`%FF`, `%`) is kept as sent rather than thrown. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The model and version a path names, if any (`/models/{model}/versions/{version}/…`). */
function targetOf(path: string): { model?: string; version?: string } {
  const m = /^\/models\/([^/]+)(?:\/versions\/([^/]+))?/.exec(path);
  return m ? { model: decodeSegment(m[1]), version: m[2] ? decodeSegment(m[2]) : undefined } : {};
}

/** A caller-chosen request id is used only when it is a plain token (it is echoed and logged). */
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Hosts route collections as one app.
 * @param service name used in logs (`mlwatch-{service}`)
 * @param routes the route collections to mount at `/`
 */
export function hostApp(service: string, ...routes: Routes[]): OpenAPIHono<AppEnv> {
  const logger = serviceLogger(service);
  const app = new OpenAPIHono<AppEnv>();

  app.use("*", async (c, next) => {
    const offered = c.req.header("x-request-id");
    const requestId = c.env?.lambdaContext?.awsRequestId ?? (offered !== undefined && requestIdPattern.test(offered) ? offered : randomUUID());
    // On Lambda: function name, memory, cold start and the Lambda request id on every line of this invocation.
    if (c.env?.lambdaContext) logger.addContext(c.env.lambdaContext as Parameters<typeof logger.addContext>[0]);
    c.set("requestId", requestId);
    c.set("caller", callerOf(c));
    const started = performance.now();
    await next();
    c.header("x-request-id", requestId);
    const target = targetOf(c.req.path);
    logger.info("request", {
      requestId,
      model: target.model,
      version: target.version,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      caller: c.get("caller"),
    });
  });

  app.use("*", async (c, next) => {
    if (bodyMethods.has(c.req.method)) {
      const type = c.req.header("content-type");
      const length = Number(c.req.header("content-length") ?? "0");
      // A declared non-JSON type is refused; so is a body that declares a length but no type at all.
      if ((type !== undefined && !/^application\/(.+\+)?json\b/i.test(type)) || (type === undefined && length > 0)) {
        throw new UnsupportedMediaTypeError(`request body must be JSON (Content-Type: application/json), got ${type ? `"${type.slice(0, 100)}"` : "no content type"}`);
      }
      // JSON is UTF-8 (RFC 8259); a body declared in another charset would be decoded wrongly, so it is refused.
      const charset = type === undefined ? undefined : /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(type)?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
        throw new UnsupportedMediaTypeError(`request body must be UTF-8 JSON; charset "${charset.slice(0, 40)}" is not supported`);
      }
    }
    await next();
  });

  const limit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new PayloadTooLargeError(`request body exceeds the ${maxBodyBytes / (1024 * 1024)} MB limit`);
    },
  });
  // The limit reads a body sent without a length itself; a read that fails there is the client's doing.
  // (Errors of later handlers never reach this catch: Hono answers them at their own level.)
  app.use("*", async (c, next) => {
    try {
      await limit(c, next);
    } catch (err) {
      throw err instanceof MlwatchError ? err : abortedBody(err);
    }
  });

  // Text that reaches a store from the URL (path segments, query values) is well-formed UTF-16, as bodies are.
  app.use("*", async (c, next) => {
    checkText(decodeSegment(c.req.path), "path");
    for (const [name, values] of Object.entries(c.req.queries())) {
      checkText(name, "query");
      for (const v of values) checkText(v, `query.${name}`);
    }
    await next();
  });

  // Parse once, then check depth, keys per object and reserved keys before any schema or store sees the
  // value; the parsed body is what the route validators read.
  app.use("*", async (c, next) => {
    if (bodyMethods.has(c.req.method)) {
      let text: string;
      try {
        text = await c.req.text();
      } catch (err) {
        throw err instanceof MlwatchError ? err : abortedBody(err);
      }
      if (text.trim() !== "") {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new ValidationError("request body is not valid JSON");
        }
        checkJsonLimits(parsed);
        // The validators read this value: the body is parsed once, not once per reader.
        Object.defineProperty(c.req, "json", { value: () => Promise.resolve(parsed), configurable: true });
      }
    }
    await next();
  });

  app.use("*", idempotency());

  // Every successful mutating call leaves an access record in the audit trail, whatever the service;
  // services add their own entries with before/after for the changes they make. Replays answered by the
  // idempotency layer never get here: they change nothing.
  app.use("*", async (c, next) => {
    await next();
    if (!mutatingMethods.has(c.req.method) || c.res.status >= 400 || c.req.path === "/events") return;
    const target = targetOf(c.req.path);
    await recordAudit({
      type: "api.request",
      actor: c.get("caller"),
      model: target.model,
      version: target.version,
      target: c.req.path,
      details: { method: c.req.method, status: c.res.status },
      requestId: c.get("requestId"),
    });
  });

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

/**
 * A request body that could not be read: the client closed the connection before sending all of it.
 * A 400, logged as one (not a 500: nothing on our side failed).
 */
function abortedBody(cause: unknown): ValidationError {
  return new ValidationError("request body ended before it was complete (the client closed the connection)", { cause });
}

/** Parses a positive integer query parameter with a default and an upper bound. */
export function intQuery(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value)) throw new ValidationError(`query.${name}: must be a positive integer`);
  const n = Number(value);
  if (n < 1 || n > max) throw new ValidationError(`query.${name}: must be between 1 and ${max}`);
  return n;
}
