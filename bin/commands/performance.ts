/**
 * `mlwatch performance report MODEL` — a model's live performance over a window, through the API.
 */
import { clientOf, commonFlagsHelp, flag, fmt, formatTable, parseArgs, print, processIo, runCommand, UsageError, type CommandIo } from "./api-common.js";

export const PERFORMANCE_USAGE = `usage: mlwatch performance report MODEL [--days N] [--version X.Y.Z] [options]

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
  return runCommand("performance report", io, async () => {
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      io.stdout.write(`${PERFORMANCE_USAGE}\n`);
      return 0;
    }
    if (sub !== "report") throw new UsageError(`unknown subcommand "${sub}"; try mlwatch performance report MODEL`);
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
