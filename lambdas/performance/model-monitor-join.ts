/**
 * Model quality from SageMaker's own files: ground truth uploaded in Model Monitor's format joined to the
 * endpoint's data capture, then recorded as one batch (same metrics, alerts and reports as any batch).
 *
 * Ground truth (the SageMaker developer guide, "Ingest Ground Truth labels and merge them with
 * predictions"): JSON Lines of `{"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata":
 * {"eventId": "…"}, "eventVersion": "0"}`. Data capture: JSON Lines of `{"captureData": {"endpointInput":
 * {…}, "endpointOutput": {"observedContentType", "mode", "data", "encoding"}}, "eventMetadata": {"eventId",
 * "inferenceId"?, "inferenceTime"}}`. As Model Monitor does, a capture record is matched by its
 * `inferenceId` when it has one, else by its `eventId`, to the ground truth record whose `eventId` equals it.
 *
 * The prediction is the first value of `endpointOutput` (CSV text, a JSON number, or the first element of a
 * JSON array); with `probabilityThreshold` it is a probability of class 1: the label is 1 when it is ≥ the
 * threshold, and the probability is kept as the score (ROC AUC, log loss). Labels are `data` as text, read as
 * numbers when they are numbers. Records on either side without a partner are counted and the first ids
 * listed; the last of several records with one id wins (each duplicate is counted).
 * Both inputs are read by one function (the API's, or the worker's above the size bound: join-job.ts): at most
 * {@link maxJoinRecords} lines each.
 */
import { UnprocessableError, ValidationError } from "../shared/errors.js";
import { captureInputRows, type CaptureInput } from "../shared/readers/data-capture.js";
import { objectLines, type S3ObjectRef } from "../shared/readers/s3-source.js";

/** Most lines read from each side. */
export const maxJoinRecords = 1_000_000;
/** Ids listed per unmatched side. */
const listedIds = 100;

/** One captured prediction. */
export interface CapturedPrediction {
  readonly id: string;
  readonly value: number | string;
  readonly inferenceTime?: string;
}

/** What the join found. */
export interface JoinResult {
  readonly predictions: (number | string)[];
  readonly actuals: (number | string)[];
  readonly ids: string[];
  readonly latestInferenceTime?: string;
  readonly report: {
    readonly groundTruthRecords: number;
    readonly captureRecords: number;
    readonly matched: number;
    readonly duplicateIds: number;
    readonly unmatchedGroundTruth: { readonly count: number; readonly eventIds: string[] };
    readonly unmatchedCaptures: { readonly count: number; readonly eventIds: string[] };
  };
}

function payloadText(input: { data?: unknown; encoding?: unknown }, where: string): string {
  if (typeof input.data !== "string") throw new UnprocessableError(`${where}: data must be a string`);
  return input.encoding === "BASE64" ? Buffer.from(input.data, "base64").toString("utf-8") : input.data;
}

const asValue = (text: string): number | string => {
  const t = text.trim();
  const n = Number(t);
  return t !== "" && Number.isFinite(n) ? n : t;
};

/** The label of one ground-truth line. */
export function parseGroundTruthLine(line: string, where: string): { id: string; label: number | string } {
  let value: { groundTruthData?: { data?: unknown; encoding?: unknown }; eventMetadata?: { eventId?: unknown } };
  try {
    value = JSON.parse(line);
  } catch {
    throw new UnprocessableError(`${where}: not a JSON line`);
  }
  const id = value?.eventMetadata?.eventId;
  if (typeof id !== "string" || id === "") throw new UnprocessableError(`${where}: eventMetadata.eventId must be a non-empty string`);
  if (typeof value.groundTruthData !== "object" || value.groundTruthData === null) throw new UnprocessableError(`${where}: groundTruthData is required`);
  const text = payloadText(value.groundTruthData, `${where}: groundTruthData`);
  const label = value.groundTruthData.encoding === "JSON" ? (JSON.parse(text) as unknown) : asValue(text);
  if (typeof label !== "number" && typeof label !== "string") throw new UnprocessableError(`${where}: groundTruthData.data must be one label`);
  return { id, label };
}

/** The prediction of one capture line (undefined when the line has no endpointOutput). */
export function parseCaptureLine(line: string, where: string): CapturedPrediction | undefined {
  let value: { captureData?: { endpointOutput?: CaptureInput }; eventMetadata?: { eventId?: unknown; inferenceId?: unknown; inferenceTime?: unknown } };
  try {
    value = JSON.parse(line);
  } catch {
    throw new UnprocessableError(`${where}: not a JSON line`);
  }
  const output = value?.captureData?.endpointOutput;
  if (!output) return undefined;
  const meta = value.eventMetadata ?? {};
  const id = typeof meta.inferenceId === "string" && meta.inferenceId !== "" ? meta.inferenceId : meta.eventId;
  if (typeof id !== "string" || id === "") throw new UnprocessableError(`${where}: eventMetadata.eventId must be a non-empty string`);
  payloadText(output, `${where}: captureData.endpointOutput`);
  const rows = captureInputRows(output);
  const first = rows.positional[0]?.[0] ?? (rows.named[0] ? Object.values(rows.named[0])[0] : undefined);
  if (typeof first !== "number" && typeof first !== "string") throw new UnprocessableError(`${where}: captureData.endpointOutput holds no prediction`);
  return { id, value: typeof first === "string" ? asValue(first) : first, ...(typeof meta.inferenceTime === "string" ? { inferenceTime: meta.inferenceTime } : {}) };
}

/**
 * Joins labels to captured predictions by id.
 * @param probabilityThreshold when given, predictions are probabilities of class 1
 */
export function joinRecords(labels: Iterable<{ id: string; label: number | string }>, captured: Iterable<CapturedPrediction>, probabilityThreshold?: number): JoinResult & { scores?: number[] } {
  let duplicateIds = 0;
  let groundTruthRecords = 0;
  const truth = new Map<string, number | string>();
  for (const { id, label } of labels) {
    groundTruthRecords++;
    if (truth.has(id)) duplicateIds++;
    truth.set(id, label);
  }
  let captureRecords = 0;
  const byId = new Map<string, CapturedPrediction>();
  for (const c of captured) {
    captureRecords++;
    if (byId.has(c.id)) duplicateIds++;
    byId.set(c.id, c);
  }
  const predictions: (number | string)[] = [];
  const actuals: (number | string)[] = [];
  const scores: number[] = [];
  const ids: string[] = [];
  const unmatchedCaptures: string[] = [];
  let latest: string | undefined;
  for (const [id, c] of byId) {
    if (!truth.has(id)) {
      unmatchedCaptures.push(id);
      continue;
    }
    if (probabilityThreshold !== undefined) {
      if (typeof c.value !== "number" || c.value < 0 || c.value > 1) throw new ValidationError(`probabilityThreshold: the prediction of ${id} is ${JSON.stringify(c.value)}, not a probability in [0, 1]`);
      scores.push(c.value);
      predictions.push(c.value >= probabilityThreshold ? 1 : 0);
    } else predictions.push(c.value);
    actuals.push(truth.get(id) as number | string);
    ids.push(id);
    if (c.inferenceTime && (latest === undefined || c.inferenceTime > latest)) latest = c.inferenceTime;
  }
  const unmatchedGroundTruth = [...truth.keys()].filter((id) => !byId.has(id));
  return {
    predictions,
    actuals,
    ids,
    ...(probabilityThreshold !== undefined ? { scores } : {}),
    ...(latest ? { latestInferenceTime: latest } : {}),
    report: {
      groundTruthRecords,
      captureRecords,
      matched: ids.length,
      duplicateIds,
      unmatchedGroundTruth: { count: unmatchedGroundTruth.length, eventIds: unmatchedGroundTruth.slice(0, listedIds) },
      unmatchedCaptures: { count: unmatchedCaptures.length, eventIds: unmatchedCaptures.slice(0, listedIds) },
    },
  };
}

/** Every line of every listed object (bounded), with where it came from. */
async function* linesOf(refs: readonly S3ObjectRef[], field: string): AsyncGenerator<{ line: string; where: string }> {
  let count = 0;
  for (const ref of refs) {
    let n = 0;
    for await (const line of objectLines(ref)) {
      n++;
      if (line.trim() === "") continue;
      if (++count > maxJoinRecords) throw new UnprocessableError(`${field}: more than ${maxJoinRecords.toLocaleString("en-US")} records; join smaller windows (one hour's prefix at a time)`);
      yield { line, where: `${field} s3://${ref.bucket}/${ref.key} line ${n}` };
    }
  }
}

/**
 * Reads listed ground-truth and capture objects and joins them (the scheduled join lists only the objects
 * that are new since its last run).
 * @param uris named in the messages when a side holds no record; `emptyCapture: "report"` joins ground truth
 *   to no capture at all (every record unmatched) instead of refusing it
 */
export async function joinObjects(
  labelRefs: readonly S3ObjectRef[],
  captureRefs: readonly S3ObjectRef[],
  probabilityThreshold: number | undefined,
  uris: { readonly dataUri: string; readonly captureUri: string; readonly emptyCapture?: "refuse" | "report" },
): Promise<JoinResult & { scores?: number[] }> {
  const labels: { id: string; label: number | string }[] = [];
  for await (const { line, where } of linesOf(labelRefs, "dataUri")) labels.push(parseGroundTruthLine(line, where));
  const captured: CapturedPrediction[] = [];
  for await (const { line, where } of linesOf(captureRefs, "captureUri")) {
    const c = parseCaptureLine(line, where);
    if (c) captured.push(c);
  }
  if (labels.length === 0) throw new UnprocessableError(`dataUri: no ground truth record under ${uris.dataUri}`);
  if (captured.length === 0 && uris.emptyCapture !== "report") throw new UnprocessableError(`captureUri: no captured prediction under ${uris.captureUri}`);
  return joinRecords(labels, captured, probabilityThreshold);
}
