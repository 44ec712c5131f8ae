/**
 * `mlwatch performance report MODEL` — a model's live performance over a window, through the API.
 */
import { clientOf, commonFlagsHelp, flag, fmt, formatTable, parseArgs, print, processIo, runCommand, UsageError, type CommandIo } from "./api-common.js";

export const PERFORMANCE_USAGE = `usage: mlwatch performance report MODEL [--days N] [--version X.Y.Z] [options]

Window metrics, per-day aggregates, the trend of the primary metric and the worst batches.

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
      if (report.batchCount === 0) return `${head}\nno batches in the window\n`;
      const metricNames = Object.keys(report.overall ?? {}).filter((k) => typeof report.overall?.[k] === "number");
      const overall = formatTable(["metric", "value"], metricNames.map((k) => [k + (k === report.primaryMetric ? " *" : ""), fmt(report.overall?.[k] as number)]));
      const daily = formatTable(["date", "batches", "count", report.primaryMetric], report.daily.map((d) => [d.date, String(d.batchCount), String(d.count), fmt(d.metrics[report.primaryMetric] as number)]));
      const trend = report.trend
        ? `trend: ${report.trend.metric} ${report.trend.direction} (${fmt(report.trend.slopePerDay)} per day, p ${fmt(report.trend.pValue)}, ${report.trend.n} batches)`
        : `trend: ${report.trendReason ?? "-"}`;
      const worst = report.worstBatches.length > 0 ? `\nworst batches by ${report.primaryMetric}:\n${formatTable(["batch", "version", "time (UTC)", "count", report.primaryMetric], report.worstBatches.map((b) => [b.batchId, b.version, b.timestamp.slice(0, 19).replace("T", " "), String(b.count), fmt(b.value)]))}` : "";
      return `${head}\ntask ${report.task}, primary metric ${report.primaryMetric} (*)\n\n${overall}\n${daily}\n${trend}\n${worst}`;
    });
    return 0;
  });
}
