/**
 * What planning a promotion reads, as one injectable set: the model and version records, the artifact's
 * object (size, ETag, sha256 of an upload still pending, moved to the artifact's key), and a version's recent performance batches (the
 * live fallback of policy gates, asked of the performance service through its front door). The default,
 * {@link storeReaders}, reads the real stores; unit tests hand in their own, so the promotion rules run
 * without the emulator.
 */
import type { LiveBatch } from "../core/performance/live-metrics.js";
import { queryBatches } from "../performance/index.js";
import { settleUpload, type ObjectFacts } from "./artifacts.js";
import { requireModel, type ModelState } from "./store/models.js";
import { getVersion, requireVersion, type VersionRecord } from "./store/versions.js";

/** A batch summary as the live fallback reads it: its task and the statistics the live metrics recombine. */
export type LiveWindowBatch = LiveBatch & { readonly task: string };

/**
 * Batch summaries of `versions` of a model placed in [fromIso, toIso], oldest first, received at or after
 * `recordedSince` (performance's `queryBatches`).
 */
export type BatchReader = (model: string, fromIso: string, toIso: string, versions: readonly string[], recordedSince: string) => Promise<{ readonly batches: readonly LiveWindowBatch[] }>;

/** What evaluating a policy's gates reads: the versions' batches, for metrics they have not registered. */
export interface LiveMetricsReader {
  readonly queryBatches: BatchReader;
}

/** What planning a promotion reads. */
export interface PromotionReaders extends LiveMetricsReader {
  /** The model's state. @throws NotFoundError when the model does not exist */
  readonly requireModel: (model: string) => Promise<ModelState>;
  /** A version. @throws NotFoundError naming the model or the version (never registered, or deleted) */
  readonly requireVersion: (model: string, version: string) => Promise<VersionRecord>;
  /** A version; undefined when it does not exist. */
  readonly getVersion: (model: string, version: string) => Promise<VersionRecord | undefined>;
  /** The bytes uploaded for the pending artifact at `uri` (an `s3://` URI), moved there (artifacts.ts `settleUpload`): size, ETag and sha256. @throws when nothing was uploaded or it cannot be read */
  readonly settleUpload: (model: string, version: string, uri: string) => Promise<ObjectFacts>;
}

/** The real stores: the registry's table, the artifact bucket, the performance service's batch summaries. */
export const storeReaders: PromotionReaders = {
  requireModel,
  requireVersion,
  getVersion,
  settleUpload,
  queryBatches: (model, fromIso, toIso, versions, recordedSince) => queryBatches(model, fromIso, toIso, versions, recordedSince),
};
