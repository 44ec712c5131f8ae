/**
 * Typed errors thrown anywhere in mlwatch and mapped to HTTP answers in one place
 * (`lambdas/shared/errors.ts`). Pure: no I/O, safe to use from `lambdas/core`.
 */

/** Error codes that reach callers in `{ "error": { "code", "message" } }`. */
export const ErrorCode = {
  validation: "VALIDATION_ERROR",
  notFound: "NOT_FOUND",
  modelNotRegistered: "MODEL_NOT_REGISTERED",
  versionNotRegistered: "VERSION_NOT_REGISTERED",
  conflict: "CONFLICT",
  idempotencyInProgress: "IDEMPOTENCY_IN_PROGRESS",
  gateFailed: "GATE_FAILED",
  forbidden: "FORBIDDEN",
  unprocessable: "UNPROCESSABLE",
  payloadTooLarge: "PAYLOAD_TOO_LARGE",
  unsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE",
  bodyTooDeep: "BODY_TOO_DEEP",
  invalidText: "INVALID_TEXT",
  serviceUnavailable: "SERVICE_UNAVAILABLE",
  internal: "INTERNAL_ERROR",
  approvalCancelled: "APPROVAL_CANCELLED",
  versionNumberRetired: "VERSION_NUMBER_RETIRED",
  invalidPageToken: "INVALID_PAGE_TOKEN",
  emptyArtifact: "EMPTY_ARTIFACT",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every error that carries an HTTP status and a stable code. */
export class MlwatchError extends Error {
  public readonly status: number;
  public readonly code: ErrorCode;
  /** Structured facts for the caller, answered as `error.details` (e.g. every failed gate). */
  public readonly details?: Readonly<Record<string, unknown>>;
  public constructor(message: string, status: number, code: ErrorCode, options?: { cause?: unknown; details?: Readonly<Record<string, unknown>> }) {
    super(message, options);
    this.name = "MlwatchError";
    this.status = status;
    this.code = code;
    if (options?.details !== undefined) this.details = options.details;
  }
}

/** The input is malformed: wrong type, out of range, missing field. HTTP 400. */
export class ValidationError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 400, ErrorCode.validation, options);
    this.name = "ValidationError";
  }
}

/** The named resource does not exist. HTTP 404, code `NOT_FOUND` unless a more precise one is given. */
export class NotFoundError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown; code?: typeof ErrorCode.notFound | typeof ErrorCode.modelNotRegistered | typeof ErrorCode.versionNotRegistered; details?: Readonly<Record<string, unknown>> }) {
    super(message, 404, options?.code ?? ErrorCode.notFound, options);
    this.name = "NotFoundError";
  }
}

/** The request conflicts with the current state (version exists, illegal transition, …). HTTP 409. */
export class ConflictError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 409, ErrorCode.conflict, options);
    this.name = "ConflictError";
  }
}

/**
 * The first request with this `Idempotency-Key` is still running (a client gave up waiting and sent it again).
 * HTTP 409, code `IDEMPOTENCY_IN_PROGRESS`: the clients wait and send the same request again.
 */
export class IdempotencyInProgressError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 409, ErrorCode.idempotencyInProgress, options);
    this.name = "IdempotencyInProgressError";
  }
}

/** An artifact of 0 bytes, when the registration did not allow one (`allowEmptyArtifact: true`). HTTP 422, code `EMPTY_ARTIFACT`. */
export class EmptyArtifactError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 422, ErrorCode.emptyArtifact, options);
    this.name = "EmptyArtifactError";
  }
}

/** One promotion gate that did not pass: the metric, the value it had (null when it had none) and the rule. */
export interface FailedGate {
  readonly metric: string;
  readonly value: number | null;
  readonly rule: string;
}

/** A promotion's policy gates failed. HTTP 409, code `GATE_FAILED`, `details.failed` lists every failed gate. */
export class GateFailedError extends MlwatchError {
  public constructor(message: string, failed: readonly FailedGate[], options?: { cause?: unknown }) {
    super(message, 409, ErrorCode.gateFailed, { ...options, details: { failed: failed.map((f) => ({ ...f })) } });
    this.name = "GateFailedError";
  }
}

/** The caller may not do this (e.g. approve their own promotion request). HTTP 403, code `FORBIDDEN`; `details.reason` names the rule. */
export class ForbiddenError extends MlwatchError {
  public constructor(message: string, reason: string, options?: { cause?: unknown }) {
    super(message, 403, ErrorCode.forbidden, { ...options, details: { reason } });
    this.name = "ForbiddenError";
  }
}

/** The input is well-formed but cannot be processed (e.g. no common features). HTTP 422. */
export class UnprocessableError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 422, ErrorCode.unprocessable, options);
    this.name = "UnprocessableError";
  }
}

/** The body exceeds the size limit. HTTP 413. */
export class PayloadTooLargeError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 413, ErrorCode.payloadTooLarge, options);
    this.name = "PayloadTooLargeError";
  }
}

/** The body is not in a supported content type. HTTP 415. */
export class UnsupportedMediaTypeError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 415, ErrorCode.unsupportedMediaType, options);
    this.name = "UnsupportedMediaTypeError";
  }
}

/** The JSON body nests deeper than the parse-time limit. HTTP 400 `BODY_TOO_DEEP`. */
export class BodyTooDeepError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 400, ErrorCode.bodyTooDeep, options);
    this.name = "BodyTooDeepError";
  }
}

/**
 * An approval request can no longer be decided: it was cancelled (its version deleted, archived or moved, or
 * what was reviewed — artifact, metrics, policy — changed). HTTP 409 `APPROVAL_CANCELLED`; `details` names
 * the request and why it was cancelled.
 */
export class ApprovalCancelledError extends MlwatchError {
  public constructor(message: string, details: { approvalId: string; reason: string }, options?: { cause?: unknown }) {
    super(message, 409, ErrorCode.approvalCancelled, { ...options, details: { ...details } });
    this.name = "ApprovalCancelledError";
  }
}

/** A version number that was deleted is never registered again. HTTP 409 `VERSION_NUMBER_RETIRED`. */
export class VersionNumberRetiredError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 409, ErrorCode.versionNumberRetired, options);
    this.name = "VersionNumberRetiredError";
  }
}

/** A page token that this listing (for this model, state, …) did not issue, or that was altered. HTTP 400 `INVALID_PAGE_TOKEN`. */
export class InvalidPageTokenError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 400, ErrorCode.invalidPageToken, options);
    this.name = "InvalidPageTokenError";
  }
}

/** A string in the request is not well-formed UTF-16 (a lone surrogate). HTTP 400 `INVALID_TEXT`, naming the field. */
export class InvalidTextError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 400, ErrorCode.invalidText, options);
    this.name = "InvalidTextError";
  }
}

/**
 * A write was cancelled for a reason other than its conditions (a conflicting transaction that outlasted
 * the retries, throttling, a refused item) and nothing was written. HTTP 503 `SERVICE_UNAVAILABLE`: the
 * same request can be sent again.
 */
export class ServiceUnavailableError extends MlwatchError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, 503, ErrorCode.serviceUnavailable, options);
    this.name = "ServiceUnavailableError";
  }
}
