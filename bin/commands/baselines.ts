/**
 * `mlwatch baselines import-model-monitor MODEL --statistics FILE|s3://… --constraints FILE|s3://…`: a SageMaker
 * Model Monitor baseline (statistics.json + constraints.json) becomes an mlwatch baseline through the API.
 * Local files are sent inline (ready at once); two s3:// URIs are read by the drift worker (building, then
 * ready or failed: `--wait` polls until then). docs/model-monitor.md walks through a migration.
 */
import { readFile } from "node:fs/promises";
import { clientOf, commonFlagsHelp, flag, parseArgs, print, processIo, runCommand, UsageError, type CommandIo } from "./api-common.js";

export const BASELINES_USAGE = `usage: mlwatch baselines import-model-monitor MODEL --statistics FILE|s3://… --constraints FILE|s3://… [options]

Imports a SageMaker Model Monitor baseline (statistics.json and constraints.json, e.g. a baselining job's
output) as a baseline of MODEL; it becomes the active baseline when MODEL has none.
Both documents are local files (sent inline) or both s3:// URIs (read by the drift worker).

options:
  --statistics FILE|URI   statistics.json (required)
  --constraints FILE|URI  constraints.json (required)
  --wait                  with s3:// URIs, wait until the baseline is ready or failed
${commonFlagsHelp}

exit codes: 0 imported (or building, without --wait); 2 bad usage, refused by the API, or failed`;

async function readDocument(path: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf-8");
  } catch (err) {
    throw new UsageError(`--${what}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as Record<string, unknown>;
  } catch {
    throw new UsageError(`--${what}: ${path} is not a JSON object`);
  }
}

/** Runs `mlwatch baselines …`; resolves to the exit code. */
export async function runBaselines(argv: string[], io: CommandIo = processIo): Promise<number> {
  return runCommand("baselines", io, async () => {
    const [sub, ...rest] = argv;
    const args = parseArgs(rest, ["statistics", "constraints"], ["wait"]);
    if (sub === undefined || sub === "help" || sub === "--help" || args.flags.has("help")) {
      io.stdout.write(`${BASELINES_USAGE}\n`);
      return 0;
    }
    if (sub !== "import-model-monitor") throw new UsageError(`unknown subcommand "${sub}" (import-model-monitor)`);
    if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? "missing MODEL" : `unexpected argument "${args.positionals[1]}"`);
    const statistics = flag(args, "statistics");
    const constraints = flag(args, "constraints");
    if (statistics === undefined || constraints === undefined) throw new UsageError("--statistics and --constraints are required");
    const inS3 = [statistics, constraints].map((s) => s.startsWith("s3://"));
    if (inS3[0] !== inS3[1]) throw new UsageError("give both documents as local files or both as s3:// URIs");
    const [model] = args.positionals;
    const client = clientOf(args);
    const modelMonitor = inS3[0]
      ? { statisticsUri: statistics, constraintsUri: constraints }
      : { statistics: await readDocument(statistics, "statistics"), constraints: await readDocument(constraints, "constraints") };
    let baseline = await client.createBaseline(model, { modelMonitor });
    if (baseline.status === "building" && args.flags.has("wait")) {
      const deadline = Date.now() + 15 * 60_000;
      while (baseline.status === "building" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        baseline = await client.getBaseline(model, baseline.baselineId);
      }
    }
    if (baseline.status === "failed") {
      io.stderr.write(`mlwatch baselines: baseline ${baseline.baselineId} failed: ${String(baseline.error ?? "unknown error").split("\n")[0]}\n`);
      return 2;
    }
    const features = baseline.features ? Object.keys(baseline.features).length : 0;
    print(io, args, baseline, () => `${model}: baseline ${baseline.baselineId} ${baseline.status}${baseline.status === "ready" ? ` (${features} features from Model Monitor${baseline.active ? ", active" : ""})` : ""}\n`);
    return 0;
  });
}
