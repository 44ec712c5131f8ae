/**
 * The one place where errors become HTTP answers: `{ "error": { "code", "message" } }`.
 * Typed errors (lambdas/core/errors.ts) keep their status; malformed JSON and other framework errors
 * become 400/404/413/415; anything unknown becomes a 500 that names a request id and never a stack.
 */
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ErrorCode, MlwatchError } from "../core/errors.js";
import { WriteFailure, classifyWriteError } from "./write-failure.js";

export * from "../core/errors.js";

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Readonly<Record<string, unknown>>; requestId?: string };
}

/** An error translated for the caller, plus whether it is our fault (to log the stack). */
export interface MappedError {
  status: ContentfulStatusCode;
  body: ErrorBody;
  internal: boolean;
}

/** Maps any thrown value to the status and body the caller receives. */
export function mapError(err: unknown, requestId: string): MappedError {
  if (err instanceof MlwatchError) {
    const error = err.details === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, details: err.details };
    return { status: err.status as ContentfulStatusCode, body: { error }, internal: false };
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code =
      status === 413 ? ErrorCode.payloadTooLarge : status === 415 ? ErrorCode.unsupportedMediaType : status === 404 ? ErrorCode.notFound : ErrorCode.validation;
    const message = /malformed json/i.test(err.message)
      ? "request body is not valid JSON"
      : err.message || "bad request";
    if (status >= 400 && status < 500) return { status, body: { error: { code, message } }, internal: false };
  }
  // An AWS call that failed transiently (throttling, a server error, a lost connection) and was not handled
  // closer to it: the service was unavailable, not broken — 503, logged like a 500.
  if (typeof err === "object" && err !== null && "$metadata" in err && classifyWriteError(err) === WriteFailure.retry) {
    const name = String((err as { name?: unknown }).name ?? "error");
    return {
      status: 503,
      body: { error: { code: ErrorCode.serviceUnavailable, message: `a service mlwatch depends on was unavailable (${name}); send the request again (request id ${requestId})`, requestId } },
      internal: true,
    };
  }
  return {
    status: 500,
    body: { error: { code: ErrorCode.internal, message: `internal error; quote request id ${requestId} when reporting it`, requestId } },
    internal: true,
  };
}

// Hono's validation targets, as a caller reads them.
const targetNames: Record<string, string> = { json: "body", param: "path", query: "query", header: "header" };

/** Formats zod issues as one readable line: `body.version: must be a semantic version major.minor.patch`. */
export function formatIssues(target: string, issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  const where = targetNames[target] ?? target;
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = [where, ...issue.path.map(String)].join(".");
      return `${path}: ${issue.message}`;
    })
    .join("; ");
}
