/**
 * `mlwatch performance report MODEL` — a model's live performance over a window, through the API;
 * `mlwatch performance record MODEL VERSION --data FILE` — a batch of predictions with their actuals;
 * `mlwatch ground-truth record MODEL --data FILE` — actuals of predictions logged earlier.
 */
import { readRecords, type Answer, type Body, type RecordBatchInput, type RecordedBatch } from "../../client/index.js";
import { batchBody, columnValues } from "../../client/files.js";
import { clientOf, commonFlagsHelp, flag, fmt, formatTable, parseArgs, print, processIo, runCommand, UsageError, type CommandIo, type ParsedArgs } from "./api-common.js";

export const PERFORMANCE_RECORD_USAGE = `usage: mlwatch performance record MODEL VERSION (--data FILE | --data-uri s3://…) [--task regression|classification] [options]

Records a batch of VERSION's predictions with their actuals: metrics, the comparison with the baseline, and a
performance-drift alert when the primary metric degrades. FILE is CSV with a header row, JSON Lines or a JSON
array, one row per prediction.

options:
  --data FILE                 the rows (sent inline: at most 10,000)
  --data-uri S3URI            rows already in S3 (CSV, JSON Lines, Parquet), read by the service
  --task T                    regression or classification (default: classification when a score column is
                              present or a label is not a number, or every label is 0/1; else regression)
  --prediction-column NAME    the predictions' column (default prediction)
  --actual-column NAME        the actuals' column (default actual)
  --score-column NAME         binary classification: probability of class 1 (default score, when present)
${commonFlagsHelp}

exit codes: 0 recorded, 2 bad usage or refused by the API`;

export const GROUND_TRUTH_USAGE = `usage: mlwatch ground-truth record MODEL --data FILE [--id-column id] [--actual-column actual] [options]
       mlwatch ground-truth record MODEL --data-uri S3URI --capture-uri S3URI --version X.Y.Z
                                   (--probability-threshold P | --task T) [--wait] [options]

Joins actuals to the predictions logged earlier (POST …/predictions) by their id; the joined rows are recorded
as a batch of each version. FILE is CSV with a header row, JSON Lines or a JSON array.
With --data-uri, joins SageMaker Model Monitor's ground-truth files to the endpoint's data capture by event id
and records one batch of --version (docs/model-monitor.md). Inputs above the stack's groundTruthJoinInlineBytes
(64 MiB) are joined by the worker: the command prints the job, or with --wait waits for it.

options:
  --data FILE               the rows: an id and the actual value or label (at most 10,000)
  --id-column NAME          the ids' column (default id)
  --actual-column NAME      the actuals' column (default actual)
  --data-uri S3URI          Model Monitor ground truth (groundTruthData + eventMetadata.eventId)
  --capture-uri S3URI       the endpoint's data capture
  --version X.Y.Z           the version the captured predictions came from
  --probability-threshold P the capture holds probabilities of class 1: label 1 at or above P
  --task T                  classification or regression (captured labels or values)
  --wait                    a join run by the worker: wait until it completes or fails
${commonFlagsHelp}

exit codes: 0 joined (or a join job accepted), 2 bad usage, refused by the API, or a failed job`;

/** API fields as the record commands' flags, for messages. */
const recordFlags = { "body.task": "--task", "body.predictions": "--prediction-column", "body.actuals": "--actual-column", "body.scores": "--score-column", "body.dataUri": "--data-uri", "body.records": "--data" };

function oneOrTwo(args: ParsedArgs, names: string[]): string[] {
  if (args.positionals.length < names.length) throw new UsageError(`missing ${names.slice(args.positionals.length).join(" and ")}`);
  if (args.positionals.length > names.length) throw new UsageError(`unexpected argument "${args.positionals[names.length]}"`);
  return args.positionals;
}

/** Runs `mlwatch performance record …`. */
async function runRecord(argv: string[], io: CommandIo): Promise<number> {
  return runCommand("performance record", io, async () => {
    const args = parseArgs(argv, ["data", "data-uri", "task", "prediction-column", "actual-column", "score-column"]);
    if (args.flags.has("help")) {
      io.stdout.write(`${PERFORMANCE_RECORD_USAGE}\n`);
      return 0;
    }
    const [model, version] = oneOrTwo(args, ["MODEL", "VERSION"]);
    const data = flag(args, "data");
    const dataUri = flag(args, "data-uri");
    if ((data === undefined) === (dataUri === undefined)) throw new UsageError("give exactly one of --data FILE or --data-uri s3://…");
    const task = flag(args, "task") as RecordBatchInput["task"] | undefined;
    if (task !== undefined && task !== "regression" && task !== "classification") throw new UsageError(`--task must be regression or classification, got "${task}"`);
    const client = clientOf(args);
    let body: RecordBatchInput;
    if (dataUri !== undefined) {
      if (task === undefined) throw new UsageError("--task is required with --data-uri (regression or classification)");
      const columns = { prediction: flag(args, "prediction-column"), actual: flag(args, "actual-column"), score: flag(args, "score-column") };
      body = { task, dataUri, ...(Object.values(columns).some((v) => v !== undefined) ? { columns: Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) } : {}) };
    } else {
      const options = { task, predictionColumn: flag(args, "prediction-column"), actualColumn: flag(args, "actual-column"), scoreColumn: flag(args, "score-column") };
      // The client's rules (client/files.ts), with the command's flags named in messages.
      body = batchBody(await readRecords(data!), data!, options, { prediction: "--prediction-column", actual: "--actual-column", score: "--score-column" });
    }
    const answer = await client.recordBatch(model, version, body);
    print(io, args, answer, () => {
      if (answer.labelled === false) return `${model} ${version}: batch ${answer.batchId} (${answer.count} rows) kept unlabelled for performance estimation\n`;
      const batch = answer as RecordedBatch;
      const names = Object.keys(batch.metrics).filter((k) => typeof batch.metrics[k] === "number");
      const degraded = (batch.degradation as { degraded?: boolean }).degraded === true;
      return `${model} ${version}: batch ${batch.batchId}, ${batch.count} rows (${batch.task})${degraded ? ", DEGRADED" : ""}\n${formatTable(["metric", "value"], names.map((k) => [k + (k === batch.primaryMetric ? " *" : ""), fmt(batch.metrics[k] as number)]))}`;
    });
    return 0;
  }, recordFlags);
}

/** The answer of a join of logged predictions (records). */
type GroundTruthJoined = Extract<Answer<"recordGroundTruth">, { received?: unknown }>;
/** A Model Monitor join: recorded at once, or accepted as a job (202). */
type JoinCounts = { matched?: number; unmatchedGroundTruth?: { count?: number }; unmatchedCaptures?: { count?: number } };
type JoinAnswer = Record<string, unknown> & { status?: string; jobId?: string; join?: JoinCounts; batch?: RecordedBatch; result?: { join?: JoinCounts; batch?: RecordedBatch; batchId?: string }; error?: string };

/** One line of a Model Monitor join's counts. */
const joinLine = (join: JoinCounts | undefined): string =>
  join ? `${join.matched} matched; unmatched: ${join.unmatchedGroundTruth?.count ?? 0} ground truth, ${join.unmatchedCaptures?.count ?? 0} captures` : "";

/** `mlwatch ground-truth record MODEL --data-uri … --capture-uri …`: Model Monitor's files, joined by the service. */
async function recordModelMonitorGroundTruth(io: CommandIo, args: ParsedArgs, model: string): Promise<number> {
  const captureUri = flag(args, "capture-uri");
  const version = flag(args, "version");
  if (captureUri === undefined || version === undefined) throw new UsageError("--data-uri needs --capture-uri S3URI and --version X.Y.Z");
  if (flag(args, "data") !== undefined) throw new UsageError("give --data FILE or --data-uri S3URI, not both");
  const threshold = flag(args, "probability-threshold");
  const task = flag(args, "task");
  if (threshold !== undefined && !Number.isFinite(Number(threshold))) throw new UsageError(`--probability-threshold must be a number, got "${threshold}"`);
  const client = clientOf(args);
  const body = { format: "model_monitor", dataUri: flag(args, "data-uri"), captureUri, version, ...(threshold !== undefined ? { probabilityThreshold: Number(threshold) } : {}), ...(task !== undefined ? { task } : {}) };
  let answer = (await client.recordGroundTruth(model, body as Body<"recordGroundTruth">)) as JoinAnswer;
  if (answer.status === "pending" && answer.jobId !== undefined && args.flags.has("wait")) answer = (await client.waitForGroundTruthJob(model, answer.jobId)) as JoinAnswer;
  print(io, args, answer, () => {
    if (answer.status === undefined) return `${model} ${version}: ${joinLine(answer.join)}; batch ${answer.batch?.batchId}\n`;
    if (answer.status === "completed") return `${model} ${version}: join job ${answer.jobId} completed: ${joinLine(answer.result?.join)}; batch ${answer.result?.batch?.batchId ?? answer.result?.batchId}\n`;
    if (answer.status === "failed") return `${model} ${version}: join job ${answer.jobId} failed: ${answer.error}\n`;
    return `${model} ${version}: join job ${answer.jobId} ${answer.status} in the worker (${answer.objects} objects, ${answer.bytes} bytes); read it with GET ${answer.location ?? `/models/${model}/performance/ground-truth-jobs/${answer.jobId}`}, or run again with --wait\n`;
  });
  return answer.status === "failed" ? 2 : 0;
}

/** Runs `mlwatch ground-truth …`; resolves to the exit code. */
export async function runGroundTruth(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [sub, ...rest] = argv;
  return runCommand("ground-truth record", io, async () => {
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      io.stdout.write(`${GROUND_TRUTH_USAGE}\n`);
      return 0;
    }
    if (sub !== "record") throw new UsageError(`unknown subcommand "${sub}"; try mlwatch ground-truth record MODEL --data FILE`);
    const args = parseArgs(rest, ["data", "id-column", "actual-column", "data-uri", "capture-uri", "version", "probability-threshold", "task"], ["wait"]);
    if (args.flags.has("help")) {
      io.stdout.write(`${GROUND_TRUTH_USAGE}\n`);
      return 0;
    }
    const [model] = oneOrTwo(args, ["MODEL"]);
    if (flag(args, "data-uri") !== undefined) return recordModelMonitorGroundTruth(io, args, model);
    const data = flag(args, "data");
    if (data === undefined) throw new UsageError("--data FILE or --data-uri S3URI is required");
    const rows = await readRecords(data);
    if (rows.length === 0) throw new UsageError(`${data} holds no rows`);
    const idColumn = flag(args, "id-column") ?? "id";
    columnValues(rows, idColumn, data, "--id-column"); // every row has one
    const ids = rows.map((r) => String(r[idColumn])); // as written: a JSON id "007" stays "007"
    const actuals = columnValues(rows, flag(args, "actual-column") ?? "actual", data, "--actual-column");
    const answer = (await clientOf(args).recordGroundTruth(model, { records: ids.map((id, i) => ({ id, actual: actuals[i] as string | number | boolean })) })) as GroundTruthJoined;
    print(io, args, answer, () => `${model}: ${answer.joined ?? 0} of ${answer.received ?? rows.length} joined; ${answer.unknownIds?.length ?? 0} unknown ids, ${answer.alreadyJoinedIds?.length ?? 0} already joined; batches ${(answer.batches ?? []).map((b) => `${b.version}:${b.batchId}`).join(", ") || "-"}\n`);
    return 0;
  }, { "body.records": "--data", "body.dataUri": "--data-uri", "body.captureUri": "--capture-uri", "body.version": "--version", "body.probabilityThreshold": "--probability-threshold", "body.task": "--task" });
}

export const PERFORMANCE_USAGE = `usage: mlwatch performance report MODEL [--days N] [--version X.Y.Z] [options]
       mlwatch performance record MODEL VERSION --data FILE [--task regression|classification]   (see mlwatch performance record --help)

Window metrics, per-day aggregates, the trend of the primary metric and the worst batches; with --version,
the primary metric estimated from scores for predictions whose labels have not arrived (docs/performance.md).

options:
  --days N              window length in days (default 30)
  --version X.Y.Z       only this version's batches
${commonFlagsHelp}

exit codes: 0 printed, 2 bad usage or refused by the API`;

/** Runs `mlwatch performance …`; resolves to the exit code. */
export async function runPerformance(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "record") return runRecord(rest, io);
  return runCommand("performance report", io, async () => {
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      io.stdout.write(`${PERFORMANCE_USAGE}\n`);
      return 0;
    }
    if (sub !== "report") throw new UsageError(`unknown subcommand "${sub}"; try mlwatch performance report MODEL or mlwatch performance record MODEL VERSION --data FILE`);
    const args = parseArgs(rest, ["days", "version"]);
    if (args.flags.has("help")) {
      io.stdout.write(`${PERFORMANCE_USAGE}\n`);
      return 0;
    }
    if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? "missing MODEL" : `unexpected argument "${args.positionals[1]}"`);
    const [model] = args.positionals;
    const days = flag(args, "days");
    if (days !== undefined && !/^\d+$/.test(days)) throw new UsageError(`--days must be a whole number, got "${days}"`);
    const report = await clientOf(args).performanceReport(model, { days: days === undefined ? undefined : Number(days), version: flag(args, "version") });
    print(io, args, report, () => {
      const head = `${model}${report.version ? ` ${report.version}` : ""}: ${report.batchCount} batches, ${report.count} predictions, ${report.from.slice(0, 10)} → ${report.to.slice(0, 10)} (${report.days} days)`;
      if (report.batchCount === 0) return `${head}\nno batches in the window\n${estimatedText(report)}`;
      const metricNames = Object.keys(report.overall ?? {}).filter((k) => typeof report.overall?.[k] === "number");
      const overall = formatTable(["metric", "value"], metricNames.map((k) => [k + (k === report.primaryMetric ? " *" : ""), fmt(report.overall?.[k] as number)]));
      const daily = formatTable(["date", "batches", "count", report.primaryMetric], report.daily.map((d) => [d.date, String(d.batchCount), String(d.count), fmt(d.metrics[report.primaryMetric] as number)]));
      const trend = report.trend
        ? `trend: ${report.trend.metric} ${report.trend.direction} (${fmt(report.trend.slopePerDay)} per day, p ${fmt(report.trend.pValue)}, ${report.trend.n} batches)`
        : `trend: ${report.trendReason ?? "-"}`;
      const worst = report.worstBatches.length > 0 ? `\nworst batches by ${report.primaryMetric}:\n${formatTable(["batch", "version", "time (UTC)", "count", report.primaryMetric], report.worstBatches.map((b) => [b.batchId, b.version, b.timestamp.slice(0, 19).replace("T", " "), String(b.count), fmt(b.value)]))}` : "";
      return `${head}\ntask ${report.task}, primary metric ${report.primaryMetric} (*)\n\n${overall}\n${daily}\n${trend}\n${worst}${estimatedText(report)}`;
    });
    return 0;
  });
}

/** The report's `estimated` section as text: per day, the estimate of the unlabelled rows and, once labels came, the error. */
function estimatedText(report: { primaryMetric: string; estimated?: unknown }): string {
  const e = report.estimated as
    | { available: boolean; reason?: string; method: string | null; daily: Array<{ date: string; count: number; metrics: Record<string, number | null> | null; intervals: Record<string, [number, number] | null> | null; labelled?: { count: number; realized: Record<string, number | null>; estimationError: Record<string, number | null> } }> }
    | null
    | undefined;
  if (!e) return "";
  if (!e.available) return `\nestimated (labels not arrived yet): no estimate: ${e.reason ?? "-"}\n`;
  const metric = ["accuracy", "precision", "recall", "f1", "auc"].includes(report.primaryMetric) ? report.primaryMetric : "accuracy";
  const value = (v: number | null | undefined) => (v === null || v === undefined ? "-" : fmt(v));
  const rows = e.daily.map((d) => {
    const iv = d.intervals?.[metric];
    return [d.date, String(d.count), value(d.metrics?.[metric]), iv ? `${fmt(iv[0])} – ${fmt(iv[1])}` : "-", d.labelled ? String(d.labelled.count) : "-", value(d.labelled?.realized[metric]), value(d.labelled?.estimationError[metric])];
  });
  return `\nestimated ${metric} (labels not arrived yet; ${e.method} calibration; assumes no concept drift):\n${formatTable(["date", "unlabelled", "estimate", "95 % interval", "labelled", "realized", "error"], rows)}`;
}
