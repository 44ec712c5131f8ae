/**
 * `mlwatch retrain MODEL --reason TEXT` and `mlwatch retraining-policy MODEL [--set key=value …]`, through the API.
 */
import type { RetrainingPolicy, RetrainingPolicyInput } from "../../client/index.js";
import { clientOf, commonFlagsHelp, flag, parseArgs, print, processIo, runCommand, UsageError, type CommandIo } from "./api-common.js";

export const RETRAIN_USAGE = `usage: mlwatch retrain MODEL --reason TEXT [options]

Requests retraining by hand: publishes "mlwatch Retraining Requested" (trigger manual) on the default
EventBridge bus. Manual requests are never rate-limited.

options:
  --reason TEXT         why (required; recorded and sent in the event)
${commonFlagsHelp}

exit codes: 0 requested; 2 bad usage, refused by the API, or recorded but the event could not be published`;

export const POLICY_USAGE = `usage: mlwatch retraining-policy MODEL [--set key=value ...] [options]

Prints the model's retraining policy; with --set, changes the given keys and keeps the others.

keys:
  onDriftPsiAbove=N                   request when a drift check finds a feature PSI above N (e.g. 0.2)
  onPerformanceDegradationPercent=N   request when a batch's primary metric is more than N % worse
  everyHours=N                        request every N hours (checked hourly)
  minHoursBetween=N                   automatic requests at most once per N hours (default 24)
  a value of "off" turns a trigger off (onDriftPsiAbove, onPerformanceDegradationPercent, everyHours)
${commonFlagsHelp}

exit codes: 0 printed or set, 2 bad usage or refused by the API`;

const policyKeys = ["onDriftPsiAbove", "onPerformanceDegradationPercent", "everyHours", "minHoursBetween"] as const;
type PolicyKey = (typeof policyKeys)[number];

/** Splits the repeatable `--set k=v` options off argv (the common parser keeps one value per flag). */
function takeSets(argv: string[]): { rest: string[]; sets: Array<[PolicyKey, string]> } {
  const rest: string[] = [];
  const sets: Array<[PolicyKey, string]> = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg !== "--set" && !arg.startsWith("--set=")) {
      rest.push(arg);
      continue;
    }
    const pair = arg === "--set" ? argv[++i] : arg.slice("--set=".length);
    const eq = pair?.indexOf("=") ?? -1;
    if (!pair || eq <= 0) throw new UsageError(`--set needs key=value, got "${pair ?? ""}"`);
    const key = pair.slice(0, eq);
    if (!(policyKeys as readonly string[]).includes(key)) throw new UsageError(`--set: unknown key "${key}" (one of ${policyKeys.join(", ")})`);
    sets.push([key as PolicyKey, pair.slice(eq + 1)]);
  }
  return { rest, sets };
}

/** A --set value: "off" or a number (anything else is sent as given, for the API to refuse by name). */
function valueOf(key: PolicyKey, raw: string): number | string | undefined {
  if (raw === "off") {
    if (key === "minHoursBetween") throw new UsageError("--set minHoursBetween=off: give a number of hours (0 = no limit)");
    return undefined;
  }
  return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
}

function describe(p: RetrainingPolicy): string {
  const on = (v: number | null, unit = "") => (v === null ? "off" : `${v}${unit}`);
  return [
    `${p.model}: retraining policy${p.updatedAt ? ` (set ${p.updatedAt.slice(0, 19).replace("T", " ")} UTC by ${p.updatedBy})` : " (none set: every trigger off)"}`,
    `  on drift PSI above           ${on(p.onDriftPsiAbove)}`,
    `  on performance degradation   ${on(p.onPerformanceDegradationPercent, " %")}`,
    `  schedule                     ${p.schedule ? `every ${p.schedule.everyHours} h, next ${String(p.nextScheduledAt).slice(0, 19).replace("T", " ")} UTC` : "off"}`,
    `  automatic requests at most   once per ${p.minHoursBetween} h`,
    "",
  ].join("\n");
}

/** Runs `mlwatch retrain …`; resolves to the exit code. */
export async function runRetrain(argv: string[], io: CommandIo = processIo): Promise<number> {
  return runCommand("retrain", io, async () => {
    const args = parseArgs(argv, ["reason"]);
    if (args.flags.has("help")) {
      io.stdout.write(`${RETRAIN_USAGE}\n`);
      return 0;
    }
    if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? "missing MODEL" : `unexpected argument "${args.positionals[1]}"`);
    const reason = flag(args, "reason");
    if (reason === undefined) throw new UsageError("--reason is required");
    const [model] = args.positionals;
    const request = await clientOf(args).requestRetraining(model, { reason });
    if (request.status !== "requested") {
      io.stderr.write(`mlwatch retrain: request ${request.requestId} recorded, but the event was not published: ${(request.event?.error ?? "unknown error").split("\n")[0]}\n`);
      return 2;
    }
    print(io, args, request, () => `${model}: retraining requested (${request.requestId}, event ${request.event?.eventId})\n`);
    return 0;
  });
}

/** Runs `mlwatch retraining-policy …`; resolves to the exit code. */
export async function runRetrainingPolicy(argv: string[], io: CommandIo = processIo): Promise<number> {
  return runCommand("retraining-policy", io, async () => {
    const { rest, sets } = takeSets(argv);
    const args = parseArgs(rest, []);
    if (args.flags.has("help")) {
      io.stdout.write(`${POLICY_USAGE}\n`);
      return 0;
    }
    if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? "missing MODEL" : `unexpected argument "${args.positionals[1]}"`);
    const [model] = args.positionals;
    const client = clientOf(args);
    const current = await client.getRetrainingPolicy(model);
    if (sets.length === 0) {
      print(io, args, current, () => describe(current));
      return 0;
    }
    const next: Record<string, unknown> = {
      onDriftPsiAbove: current.onDriftPsiAbove ?? undefined,
      onPerformanceDegradationPercent: current.onPerformanceDegradationPercent ?? undefined,
      schedule: current.schedule ?? undefined,
      minHoursBetween: current.minHoursBetween,
    };
    for (const [key, raw] of sets) {
      const value = valueOf(key, raw);
      if (key === "everyHours") next.schedule = value === undefined ? undefined : { everyHours: value };
      else next[key] = value;
    }
    const stored = await client.setRetrainingPolicy(model, next as RetrainingPolicyInput);
    print(io, args, stored, () => describe(stored));
    return 0;
  });
}
