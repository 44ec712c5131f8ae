/**
 * `mlwatch baselines create|list|activate`: a model's drift baselines through the API (from a local data file
 * or data in S3), and `mlwatch baselines import-model-monitor MODEL --statistics FILE|s3://… --constraints FILE|s3://…`: a SageMaker
 * Model Monitor baseline (statistics.json + constraints.json) becomes an mlwatch baseline through the API.
 * Local files are sent inline (ready at once); two s3:// URIs are read by the drift worker (building, then
 * ready or failed: `--wait` polls until then). docs/model-monitor.md walks through a migration.
 */
import { readFile } from "node:fs/promises";
import type { Baseline } from "../../client/index.js";
import { clientOf, commonFlagsHelp, flag, formatTable, parseArgs, print, processIo, runCommand, UsageError, type CommandIo, type ParsedArgs } from "./api-common.js";

export const BASELINES_USAGE = `usage: mlwatch baselines create MODEL (--data FILE | --data-uri s3://…) [--categorical A,B] [--features A,B] [--exclude A,B] [--wait]
       mlwatch baselines list MODEL [--limit N] [--next-token T]
       mlwatch baselines activate MODEL BASELINE_ID
       mlwatch baselines import-model-monitor MODEL --statistics FILE|s3://… --constraints FILE|s3://… [options]

create: profiles the data as a baseline of MODEL (the first ready baseline becomes the active one); a local
file (CSV with a header row, JSON Lines or a JSON array) is sent inline and is ready at once, S3 data is
profiled by the drift worker (building; --wait polls until it is ready or failed).
list: the baselines, newest first, the active one marked. activate: makes a ready baseline the active one.

import-model-monitor:
Imports a SageMaker Model Monitor baseline (statistics.json and constraints.json, e.g. a baselining job's
output) as a baseline of MODEL; it becomes the active baseline when MODEL has none.
Both documents are local files (sent inline) or both s3:// URIs (read by the drift worker).

options:
  --data FILE             create: the records (CSV, JSON Lines, JSON array)
  --data-uri S3URI        create: data in S3 (object or prefix)
  --categorical A,B       create: features to treat as categorical (others are inferred)
  --features A,B          create: only these features
  --exclude A,B           create: never these features (ids, labels, timestamps)
  --limit N, --next-token T   list: page size and the next page
  --statistics FILE|URI   statistics.json (required)
  --constraints FILE|URI  constraints.json (required)
  --wait                  with S3 data or s3:// URIs, wait until the baseline is ready or failed
${commonFlagsHelp}

exit codes: 0 done (or building, without --wait); 2 bad usage, refused by the API, or failed`;

const list = (args: ParsedArgs, name: string): string[] | undefined => flag(args, name)?.split(",").map((f) => f.trim()).filter((f) => f !== "");

/** Polls a building baseline until it is ready or failed (at most 15 minutes). */
async function settle(client: ReturnType<typeof clientOf>, model: string, baseline: Baseline): Promise<Baseline> {
  const deadline = Date.now() + 15 * 60_000;
  let current = baseline;
  while (current.status === "building" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    current = await client.getBaseline(model, current.baselineId);
  }
  return current;
}

function oneModel(args: ParsedArgs, extra = 0): string {
  if (args.positionals.length < 1) throw new UsageError("missing MODEL");
  if (args.positionals.length > 1 + extra) throw new UsageError(`unexpected argument "${args.positionals[1 + extra]}"`);
  return args.positionals[0];
}

/** `mlwatch baselines create|list|activate`. */
async function runBaselineCommand(sub: "create" | "list" | "activate", args: ParsedArgs, io: CommandIo): Promise<number> {
  const client = clientOf(args);
  if (sub === "list") {
    const model = oneModel(args);
    const limit = flag(args, "limit");
    if (limit !== undefined && !/^\d+$/.test(limit)) throw new UsageError(`--limit must be a whole number, got "${limit}"`);
    const page = await client.listBaselines(model, { limit, nextToken: flag(args, "next-token") });
    print(io, args, page, () => {
      if (page.items.length === 0) return `${model}: no baselines; create one with: mlwatch baselines create ${model} --data FILE\n`;
      const rows = page.items.map((b) => [b.baselineId + (b.active ? " *" : ""), b.status, String(b.rows ?? "-"), String(b.features ? Object.keys(b.features).length : "-"), b.source?.kind ?? "-", b.createdAt.slice(0, 19).replace("T", " ")]);
      return `${formatTable(["baseline (* active)", "status", "rows", "features", "source", "created (UTC)"], rows)}${page.nextToken ? `more: --next-token ${page.nextToken}\n` : ""}`;
    });
    return 0;
  }
  if (sub === "activate") {
    if (args.positionals.length < 2) throw new UsageError(args.positionals.length === 0 ? "missing MODEL and BASELINE_ID" : "missing BASELINE_ID");
    const [model, baselineId] = [oneModel(args, 1), args.positionals[1]];
    const answer = await client.activateBaseline(model, baselineId);
    print(io, args, answer, () => `${model}: baseline ${answer.baselineId} is active${answer.previousBaselineId ? ` (was ${answer.previousBaselineId})` : ""}\n`);
    return 0;
  }
  const model = oneModel(args);
  const data = flag(args, "data");
  const dataUri = flag(args, "data-uri");
  if ((data === undefined) === (dataUri === undefined)) throw new UsageError("give exactly one of --data FILE or --data-uri s3://…");
  const lists = { categorical: list(args, "categorical"), features: list(args, "features"), exclude: list(args, "exclude") };
  // A local file: read and sent by the client's own method (the same rules as the TypeScript and Python clients).
  let baseline =
    data !== undefined
      ? await client.createBaselineFromFile(model, data, lists)
      : await client.createBaseline(model, { dataUri: dataUri!, ...Object.fromEntries(Object.entries(lists).filter(([, v]) => v !== undefined && v.length > 0)) });
  if (baseline.status === "building" && args.flags.has("wait")) baseline = await settle(client, model, baseline);
  if (baseline.status === "failed") {
    io.stderr.write(`mlwatch baselines create: baseline ${baseline.baselineId} failed: ${String(baseline.error ?? "unknown error").split("\n")[0]}\n`);
    return 2;
  }
  const features = baseline.features ? Object.keys(baseline.features).length : 0;
  const next = baseline.active ? "active" : `not active: mlwatch baselines activate ${model} ${baseline.baselineId}`;
  print(io, args, baseline, () => (baseline.status === "ready" ? `${model}: baseline ${baseline.baselineId} ready (${baseline.rows} rows, ${features} features; ${next})\n` : `${model}: baseline ${baseline.baselineId} ${baseline.status} (follow with --wait)\n`));
  return 0;
}

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
    const args = parseArgs(rest, ["statistics", "constraints", "data", "data-uri", "categorical", "features", "exclude", "limit", "next-token"], ["wait"]);
    if (sub === undefined || sub === "help" || sub === "--help" || args.flags.has("help")) {
      io.stdout.write(`${BASELINES_USAGE}\n`);
      return 0;
    }
    if (sub === "create" || sub === "list" || sub === "activate") return runBaselineCommand(sub, args, io);
    if (sub !== "import-model-monitor") throw new UsageError(`unknown subcommand "${sub}" (create, list, activate, import-model-monitor)`);
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
    if (baseline.status === "building" && args.flags.has("wait")) baseline = await settle(client, model, baseline);
    if (baseline.status === "failed") {
      io.stderr.write(`mlwatch baselines: baseline ${baseline.baselineId} failed: ${String(baseline.error ?? "unknown error").split("\n")[0]}\n`);
      return 2;
    }
    const features = baseline.features ? Object.keys(baseline.features).length : 0;
    print(io, args, baseline, () => `${model}: baseline ${baseline.baselineId} ${baseline.status}${baseline.status === "ready" ? ` (${features} features from Model Monitor${baseline.active ? ", active" : ""})` : ""}\n`);
    return 0;
  });
}
