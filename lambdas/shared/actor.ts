/**
 * Who asks, for the record: the caller (an IAM principal on AWS, `local` in local mode) and the request id,
 * written into history and audit entries by every mutation.
 */

/** Who asks, for the record. */
export interface Actor {
  readonly caller: string;
  readonly requestId: string;
}
