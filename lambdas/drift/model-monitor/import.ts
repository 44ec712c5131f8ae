/**
 * Importing a Model Monitor baseline: statistics.json + constraints.json → an mlwatch baseline profile
 * (`source.kind` `model_monitor`) carrying the constraints every later check evaluates.
 * Inline documents are imported by the API at once; documents in S3 are read by the drift worker (the same
 * path as a baseline built from S3 data), each at most {@link maxDocumentBytes}.
 */
import { UnprocessableError } from "../../shared/errors.js";
import { objectChunks, parseS3Uri } from "../../shared/readers/s3-source.js";
import { type BaselineProfile, baselineBounds, profileFormat } from "../profile.js";
import { parseConstraints } from "./constraints.js";
import { JsonPath } from "./read-json.js";
import { profilesFromStatistics } from "./statistics.js";

/** Largest statistics.json or constraints.json read from S3. */
export const maxDocumentBytes = 64 * 1024 * 1024;

/** The two documents, already parsed as JSON. */
export interface ModelMonitorDocuments {
  readonly statistics: unknown;
  readonly constraints: unknown;
  readonly statisticsUri?: string;
  readonly constraintsUri?: string;
}

/**
 * Builds the baseline profile of an imported Model Monitor baseline.
 * @throws {ValidationError} naming the JSON path (`modelMonitor.statistics.features[0]…`) of a bad field.
 */
export function profileFromModelMonitor(docs: ModelMonitorDocuments, meta: { model: string; baselineId: string; createdAt: string }): { profile: BaselineProfile; warnings: string[] } {
  const root = new JsonPath("modelMonitor");
  const imported = profilesFromStatistics(docs.statistics, root.key("statistics"));
  const constraints = parseConstraints(docs.constraints, root.key("constraints"));
  const warnings = [...imported.warnings];
  const known = new Set(imported.features);
  for (const f of constraints.features) {
    if (!known.has(f.name) && f.inferredType !== "Unknown") warnings.push(`${f.name}: in constraints.json but not in statistics.json; only missing_column_check applies to it`);
  }
  const profile: BaselineProfile = {
    format: profileFormat,
    model: meta.model,
    baselineId: meta.baselineId,
    createdAt: meta.createdAt,
    rows: imported.rows,
    features: imported.features,
    profiles: imported.profiles,
    bounds: baselineBounds,
    source: { kind: "model_monitor", ...(docs.statisticsUri ? { statisticsUri: docs.statisticsUri } : {}), ...(docs.constraintsUri ? { constraintsUri: docs.constraintsUri } : {}) },
    modelMonitor: { constraints, inferredTypes: imported.inferredTypes },
  };
  return { profile, warnings };
}

/** Reads one JSON document from S3 (bounded size), naming the request field on failure. */
export async function readJsonDocument(uri: string, field: string): Promise<unknown> {
  const { bucket, key } = parseS3Uri(uri);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of objectChunks({ bucket, key, size: 0, lastModified: new Date(0) })) {
    size += chunk.length;
    if (size > maxDocumentBytes) throw new UnprocessableError(`modelMonitor.${field}: ${uri} is larger than ${maxDocumentBytes / (1024 * 1024)} MB`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf-8"));
  } catch {
    throw new UnprocessableError(`modelMonitor.${field}: ${uri} is not a JSON document`);
  }
}
