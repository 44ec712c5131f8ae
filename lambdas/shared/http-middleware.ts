/**
 * The middlewares `hostApp` (http.ts) runs before every route, in this order: {@link requestContext} (request
 * id, caller, one log line), {@link jsonContentType} (JSON-only UTF-8 bodies), {@link bodySizeLimit},
 * {@link wellFormedUrlText}, {@link parsedJsonBody} (parse once, then depth and key limits), idempotency
 * (idempotency.ts), {@link accessAudit}. Each is a function of its own so that it can be tried alone on a
 * one-route app (`app.request()`), without AWS.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { randomUUID } from "node:crypto";
import type { AppEnv } from "./app-env.js";
import { recordAudit, type AuditEntry } from "./audit.js";
import { MlwatchError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "./errors.js";
import { checkJsonLimits, checkText } from "./json-limits.js";

/** Largest request body accepted (API Gateway's own limit is 10 MB; inline records are capped at 5 MB). */
export const maxBodyBytes = 6 * 1024 * 1024;

/** The request header that names the actor on a local host (`x-mlwatch-actor: alice`). */
export const localActorHeader = "x-mlwatch-actor";

/** What a local actor name may be: a plain token of 1-64 characters, as it is logged, audited and compared (docs/alerts.md). */
const localActorPattern = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}$/;

/** A caller-chosen request id is used only when it is a plain token (it is echoed and logged). */
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

const bodyMethods = new Set(["POST", "PUT", "PATCH"]);
const mutatingMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The caller. Behind API Gateway (a Lambda invocation carries its event) it is the IAM principal from the
 * request context, and the {@link localActorHeader} header is ignored: nobody can claim another identity.
 * On a local host (the local server, in-process tests: no Lambda event) it is the header's name when one is
 * sent, so that approval by a second person can be tried on one machine; otherwise `local`.
 * @throws ValidationError when a local request sends a malformed actor name
 */
export function callerOf(c: Context<AppEnv>): string {
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

/** A path segment decoded; a malformed escape (`%FF`, `%`) is kept as sent rather than thrown. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The model and version a path names, if any (`/models/{model}/versions/{version}/…`). */
export function targetOf(path: string): { model?: string; version?: string } {
  const m = /^\/models\/([^/]+)(?:\/versions\/([^/]+))?/.exec(path);
  return m ? { model: decodeSegment(m[1]), version: m[2] ? decodeSegment(m[2]) : undefined } : {};
}

/**
 * Sets `requestId` (the Lambda request id, else a plain-token `x-request-id` the caller sent, else a new
 * UUID) and `caller` (see {@link callerOf}), answers the request id in `x-request-id`, and logs one line per
 * request: id, model and version named by the path, method, path, status, duration, caller.
 */
export function requestContext(logger: Pick<Logger, "info" | "addContext">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
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
  };
}

/**
 * Bodies are JSON in UTF-8: a POST, PUT or PATCH declaring another content type, or a length but no type, or
 * a charset other than UTF-8 (RFC 8259), is refused with 415 before anything reads it.
 */
export function jsonContentType(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (bodyMethods.has(c.req.method)) {
      const type = c.req.header("content-type");
      const length = Number(c.req.header("content-length") ?? "0");
      if ((type !== undefined && !/^application\/(.+\+)?json\b/i.test(type)) || (type === undefined && length > 0)) {
        throw new UnsupportedMediaTypeError(`request body must be JSON (Content-Type: application/json), got ${type ? `"${type.slice(0, 100)}"` : "no content type"}`);
      }
      const charset = type === undefined ? undefined : /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(type)?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
        throw new UnsupportedMediaTypeError(`request body must be UTF-8 JSON; charset "${charset.slice(0, 40)}" is not supported`);
      }
    }
    await next();
  };
}

/**
 * Refuses a body over `maxBytes` with 413 (declared or counted while read: hono's bodyLimit); a body the
 * client stopped sending half-way is a 400 (the client's doing), not a 500.
 * @param maxBytes @default maxBodyBytes (6 MB)
 */
export function bodySizeLimit(maxBytes = maxBodyBytes): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PayloadTooLargeError(`request body exceeds the ${maxBytes / (1024 * 1024)} MB limit`);
    },
  });
  // (Errors of later handlers never reach this catch: Hono answers them at their own level.)
  return async (c, next) => {
    try {
      await limit(c, next);
    } catch (err) {
      throw err instanceof MlwatchError ? err : abortedBody(err);
    }
  };
}

/** Text that reaches a store from the URL (the path, query names and values) is well-formed UTF-16, as bodies are: else 400. */
export function wellFormedUrlText(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    checkText(decodeSegment(c.req.path), "path");
    for (const [name, values] of Object.entries(c.req.queries())) {
      checkText(name, "query");
      for (const v of values) checkText(v, `query.${name}`);
    }
    await next();
  };
}

/**
 * Parses a JSON body once and checks depth, keys per object and reserved keys (json-limits.ts) before any
 * schema or store sees it; the route validators then read that parsed value (`c.req.json()`). Invalid JSON
 * is a 400.
 */
export function parsedJsonBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
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
        Object.defineProperty(c.req, "json", { value: () => Promise.resolve(parsed), configurable: true });
      }
    }
    await next();
  };
}

/**
 * Every successful mutating call (POST, PUT, PATCH, DELETE answered below 400, `/events` aside: it writes its
 * own entry) leaves an `api.request` access record in the audit trail, whatever the service; services add
 * their own entries with before/after for the changes they make. Replays answered by the idempotency layer
 * never get here: they change nothing.
 * @param record where the entry goes @default recordAudit (the audit log group)
 */
export function accessAudit(record: (entry: AuditEntry) => Promise<unknown> = recordAudit): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!mutatingMethods.has(c.req.method) || c.res.status >= 400 || c.req.path === "/events") return;
    const target = targetOf(c.req.path);
    await record({
      type: "api.request",
      actor: c.get("caller"),
      model: target.model,
      version: target.version,
      target: c.req.path,
      details: { method: c.req.method, status: c.res.status },
      requestId: c.get("requestId"),
    });
  };
}

/**
 * A request body that could not be read: the client closed the connection before sending all of it.
 * A 400, logged as one (not a 500: nothing on our side failed).
 */
function abortedBody(cause: unknown): ValidationError {
  return new ValidationError("request body ended before it was complete (the client closed the connection)", { cause });
}
