/**
 * In-memory readers for the promotion rules: a model, its versions, artifact objects and batch summaries,
 * handed to planPromotion / evaluatePolicy in place of the real stores. Every batch query is recorded.
 */
import { classificationMetrics } from "../../../lambdas/core/metrics/classification.js";
import { classificationStats } from "../../../lambdas/core/performance/sufficient-stats.js";
import { NotFoundError } from "../../../lambdas/shared/errors.js";
import type { LiveWindowBatch, PromotionReaders } from "../../../lambdas/registry/promotion-readers.js";
import type { ModelState } from "../../../lambdas/registry/store/models.js";
import type { VersionRecord } from "../../../lambdas/registry/store/versions.js";

/** A model with `auc` (higher is better) as its primary metric. */
export function modelState(overrides: Partial<ModelState> = {}): ModelState {
  return {
    model: "churn",
    primaryMetric: "auc",
    direction: "higher",
    productionVersion: null,
    stagingVersions: [],
    highestVersion: "2.0.0",
    versionCount: 2,
    createdAt: "2026-01-01T00:00:00.000Z",
    createdBy: "alice",
    updatedAt: "2026-01-01T00:00:00.000Z",
    productionHistory: [],
    lifecycleRevision: 1,
    highestStored: "2.0.0",
    allocated: null,
    highestTaken: "2.0.0",
    ...overrides,
  };
}

/** A version with an available artifact. */
export function versionRecord(version: string, stage: VersionRecord["stage"], metrics: Record<string, number>, overrides: Partial<VersionRecord> = {}): VersionRecord {
  return {
    model: "churn",
    version,
    stage,
    artifact: { uri: `s3://artifacts-bucket/churn/${version}/model.tar.gz`, owned: false, status: "available", sizeBytes: 10, etag: "e", sha256: "a".repeat(64) },
    metrics,
    createdAt: "2026-02-01T00:00:00.000Z",
    createdBy: "alice",
    stageChangedAt: "2026-02-01T00:00:00.000Z",
    aliases: [],
    ...overrides,
  };
}

/** One classification batch whose rows give `accuracy` = correct / total. */
export function classificationBatch(correct: number, total: number): LiveWindowBatch {
  const actual = Array.from({ length: total }, (_, i) => i % 2);
  const predicted = actual.map((a, i) => (i < correct ? a : 1 - a));
  return { task: "classification", stats: classificationStats(classificationMetrics(actual, predicted)), fairness: null, latency: null };
}

/** A batch query as the readers received it. */
export interface BatchQuery {
  readonly model: string;
  readonly fromIso: string;
  readonly toIso: string;
  readonly versions: readonly string[];
  readonly recordedSince: string;
}

/** Readers over the given records; `batches` by version, `objects` (artifact facts) by URI. */
export function memoryReaders(options: {
  model?: ModelState;
  versions?: readonly VersionRecord[];
  batches?: Record<string, readonly LiveWindowBatch[]>;
  objects?: Record<string, { sizeBytes: number; etag: string; sha256: string }>;
}): PromotionReaders & { readonly queries: BatchQuery[] } {
  const queries: BatchQuery[] = [];
  const find = (model: string, version: string) => (options.model?.model === model ? options.versions?.find((v) => v.version === version) : undefined);
  return {
    queries,
    requireModel: async (model) => {
      if (!options.model || options.model.model !== model) throw new NotFoundError(`model ${model} does not exist`);
      return options.model;
    },
    requireVersion: async (model, version) => {
      const found = find(model, version);
      if (!found) throw new NotFoundError(`version ${version} of model ${model} does not exist`);
      return found;
    },
    getVersion: async (model, version) => find(model, version),
    settleUpload: async (_model, _version, uri) => {
      const found = options.objects?.[uri];
      if (!found) throw new Error(`NoSuchKey: ${uri}`);
      return found;
    },
    queryBatches: async (model, fromIso, toIso, versions, recordedSince) => {
      queries.push({ model, fromIso, toIso, versions, recordedSince });
      return { batches: versions.flatMap((v) => options.batches?.[v] ?? []) };
    },
  };
}
