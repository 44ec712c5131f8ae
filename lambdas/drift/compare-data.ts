/**
 * From loaded data to a drift report, without I/O: the one path the service (inline and S3 checks, the
 * monitor) and the CLI (`mlwatch drift`) share, so the same data gives the same report.
 *
 * Baseline: column tables → `ColumnCollector` (types: `categorical`, else numerical unless a value is not a
 * number) → `buildProfile` (the stored sketch). Check: column tables → `ColumnCollector` with the profile's
 * types (`onlyKnown`) → `pairsOf` → `buildDriftReport`, with the current columns the baseline lacks listed
 * as `unexpectedFeatures`.
 */
import { buildDriftReport, type DriftReport, type DriftThresholds, type FeaturePair, type FeatureSample } from "../core/drift/index.js";
import type { ColumnTable } from "../shared/readers/columns.js";
import { UnprocessableError } from "../shared/errors.js";
import { ColumnCollector, type ColumnCollectorOptions } from "./columns.js";
import { baselineSamples, currentSamples, type BaselineProfile } from "./profile.js";
import { warningsOf, type LoadedData } from "./loaded-data.js";

/** Merges already-read column tables (one per file) into loaded data. */
export function loadTables(tables: Iterable<ColumnTable>, options: ColumnCollectorOptions = {}): LoadedData {
  const collector = new ColumnCollector(options);
  for (const table of tables) collector.addTable(table);
  const columns = collector.finish();
  return { columns, rows: collector.rows, objects: 0, bytes: 0, formats: [], warnings: warningsOf(collector, columns, []), unexpectedFeatures: collector.unexpected };
}

/** The baseline and current samples of every baseline feature. */
export function pairsOf(profile: BaselineProfile, data: LoadedData): Record<string, FeaturePair> {
  if (data.rows === 0) throw new UnprocessableError("the current data has no rows");
  const base = baselineSamples(profile);
  const current = currentSamples(data.columns, profile);
  if (Object.keys(current).length === 0) {
    throw new UnprocessableError(`the current data has none of the baseline's features (${profile.features.slice(0, 10).join(", ")}${profile.features.length > 10 ? ", …" : ""})`);
  }
  const pairs: Record<string, { baseline?: FeatureSample; current?: FeatureSample }> = Object.create(null);
  for (const name of profile.features) {
    pairs[name] = { baseline: base[name], current: Object.hasOwn(current, name) ? current[name] : undefined };
  }
  return pairs;
}

/** Compares loaded data with a baseline profile. */
export function compareWithBaseline(profile: BaselineProfile, data: LoadedData, thresholds?: Partial<DriftThresholds>): DriftReport {
  return buildDriftReport(pairsOf(profile, data), thresholds, { unexpectedFeatures: data.unexpectedFeatures });
}
