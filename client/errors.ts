/**
 * The client's exceptions: an answer the API refused (`MlwatchApiError`, with the API's code and message),
 * a request that got no answer (`MlwatchNetworkError`), an upload that did not arrive whole
 * (`MlwatchUploadError`) and a local data file that cannot be sent (`MlwatchFileError`).
 */
import type { ApiErrorCode } from "./api-types.js";

export { ApiErrorCode } from "./api-types.js";

/** The API answered with a 4xx or 5xx status (after the client's retries, for 429 and 5xx). */
export class MlwatchApiError extends Error {
  /** HTTP status. */
  public readonly status: number;
  /** The API's error code (`NOT_FOUND`, `CONFLICT`, …); API Gateway's own errors use its response types (`ACCESS_DENIED`, `THROTTLED`, …). */
  public readonly code: ApiErrorCode | (string & {});
  /** The request id (`x-request-id`), when the API gave one. */
  public readonly requestId: string | undefined;
  /** The method and path of the request. */
  public readonly request: string;
  /** Structured facts of some errors: `failed` (every failed gate) with GATE_FAILED, `reason` (SELF_APPROVAL) with FORBIDDEN, `approvalId` and `reason` with APPROVAL_CANCELLED. */
  public readonly details: Readonly<Record<string, unknown>> | undefined;

  public constructor(status: number, code: string, message: string, request: string, options?: { requestId?: string | undefined; cause?: unknown; details?: Readonly<Record<string, unknown>> | undefined }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MlwatchApiError";
    this.status = status;
    this.code = code;
    this.request = request;
    this.requestId = options?.requestId;
    if (options?.details !== undefined) this.details = options.details;
  }
}

/** The request got no answer (connection refused, reset, timeout), after the client's retries. */
export class MlwatchNetworkError extends Error {
  public readonly request: string;

  public constructor(message: string, request: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MlwatchNetworkError";
    this.request = request;
  }
}

/**
 * An artifact upload did not arrive whole: the presigned PUT was refused (`status`), or the checksum the
 * registry recorded on verification is not the local file's (`expectedSha256` / `recordedSha256`).
 */
export class MlwatchUploadError extends Error {
  /** The storage's HTTP status when the PUT was refused. */
  public readonly status: number | undefined;

  public constructor(message: string, options?: { status?: number | undefined; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MlwatchUploadError";
    this.status = options?.status;
  }
}

/** A local data file the client was asked to send cannot be used: unreadable, not CSV/JSON as its name says, or a row lacks a column. */
export class MlwatchFileError extends Error {
  /** The file. */
  public readonly path: string;

  public constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MlwatchFileError";
    this.path = path;
  }
}
