/**
 * `mlwatch models list|show|register|promote|rollback` — the model registry from the command line, against
 * the local server or a deployed API.
 */
import type { PromoteInput, RegisterVersionInput } from "../../client/index.js";
import { clientOf, commonFlagsHelp, flag, fmt, formatTable, parseArgs, print, processIo, runCommand, UsageError, type CommandIo } from "./api-common.js";

export const MODELS_USAGE = `usage: mlwatch models <subcommand> [options]

  list                                   models with their production and staging versions
  show MODEL                             one model and its latest versions
  register MODEL (--artifact-uri S3URI | --upload) [--version X.Y.Z] [--metrics auc=0.91,f1=0.8]
           [--primary-metric NAME --direction higher|lower] [--stage development|staging]
           [--training-job NAME] [--dataset-version name@id] [--description TEXT]
                                         register a version (the next minor one without --version)
  promote MODEL VERSION --to STAGE --reason TEXT [--force]
                                         development → staging → production (gated), or → archived
  rollback MODEL --reason TEXT           make the previous production version production again

options:
  --limit N             list/show: how many (default 25)
${commonFlagsHelp}

exit codes: 0 done, 2 bad usage or refused by the API (one line on stderr)`;

function parseMetrics(text: string): Record<string, number> {
  if (text.trim().startsWith("{")) {
    try {
      return JSON.parse(text) as Record<string, number>;
    } catch {
      throw new UsageError("--metrics is not valid JSON");
    }
  }
  // Metric names are user strings: a null-prototype object, so "__proto__" is a name, not the prototype.
  const out: Record<string, number> = Object.create(null);
  for (const pair of text.split(",")) {
    const [name, value, extra] = pair.split("=");
    const n = Number(value);
    if (!name || value === undefined || extra !== undefined || value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--metrics: "${pair}" is not name=number`);
    out[name.trim()] = n;
  }
  return out;
}

function need(positionals: string[], count: number, what: string): string[] {
  if (positionals.length < count) throw new UsageError(`missing ${what}; see mlwatch models --help`);
  if (positionals.length > count) throw new UsageError(`unexpected argument "${positionals[count]}"`);
  return positionals;
}

/** Runs `mlwatch models …`; resolves to the exit code. */
export async function runModels(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [sub, ...rest] = argv;
  const name = `models${sub && !sub.startsWith("-") ? ` ${sub}` : ""}`;
  return runCommand(name, io, async () => {
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      io.stdout.write(`${MODELS_USAGE}\n`);
      return 0;
    }
    const args = parseArgs(rest, ["limit", "artifact-uri", "version", "metrics", "primary-metric", "direction", "stage", "training-job", "dataset-version", "description", "to", "reason"], ["upload", "force"]);
    if (args.flags.has("help")) {
      io.stdout.write(`${MODELS_USAGE}\n`);
      return 0;
    }
    const client = clientOf(args);
    const limit = flag(args, "limit") === undefined ? undefined : Number(flag(args, "limit"));
    switch (sub) {
      case "list": {
        need(args.positionals, 0, "");
        const page = await client.listModels({ limit });
        print(io, args, page, () => {
          if (page.items.length === 0) return "no models yet: register one with mlwatch models register MODEL --artifact-uri s3://…\n";
          const rows = page.items.map((m) => [m.model, m.productionVersion ?? "-", m.stagingVersions.join(",") || "-", m.highestVersion ?? "-", String(m.versionCount), `${m.primaryMetric} (${m.direction})`, m.updatedAt.slice(0, 19).replace("T", " ")]);
          const more = page.nextToken ? `more: --limit or the API's nextToken ${page.nextToken}\n` : "";
          return formatTable(["model", "production", "staging", "latest", "versions", "primary metric", "updated (UTC)"], rows) + more;
        });
        return 0;
      }
      case "show": {
        const [model] = need(args.positionals, 1, "MODEL");
        const [m, versions] = await Promise.all([client.getModel(model), client.listVersions(model, { limit: limit ?? 10 })]);
        print(io, args, { ...m, versions: versions.items }, () => {
          const head = [
            `model          ${m.model}`,
            `production     ${m.productionVersion ?? "-"}${m.rollbackTarget ? ` (rollback would restore ${m.rollbackTarget})` : ""}`,
            `staging        ${m.stagingVersions.join(", ") || "-"}`,
            `primary metric ${m.primaryMetric} (${m.direction} is better)`,
            `versions       ${m.versionCount}, created ${m.createdAt} by ${m.createdBy}`,
            "",
          ].join("\n");
          const rows = versions.items.map((v) => [v.version, v.stage, fmt(v.metrics[m.primaryMetric]), v.artifact.status, v.createdAt.slice(0, 19).replace("T", " "), v.artifact.uri]);
          return `${head}\n${formatTable(["version", "stage", m.primaryMetric, "artifact", "created (UTC)", "artifact uri"], rows)}`;
        });
        return 0;
      }
      case "register": {
        const [model] = need(args.positionals, 1, "MODEL");
        const artifactUri = flag(args, "artifact-uri");
        const upload = args.flags.has("upload");
        if ((artifactUri === undefined) === !upload) throw new UsageError("give either --artifact-uri s3://bucket/key or --upload");
        const input: RegisterVersionInput = {
          ...(artifactUri ? { artifactUri } : { requestUpload: true }),
          ...(flag(args, "version") ? { version: flag(args, "version") } : {}),
          ...(flag(args, "metrics") ? { metrics: parseMetrics(flag(args, "metrics")!) } : {}),
          ...(flag(args, "primary-metric") ? { primaryMetric: flag(args, "primary-metric") } : {}),
          ...(flag(args, "direction") ? { direction: flag(args, "direction") as "higher" | "lower" } : {}),
          ...(flag(args, "stage") ? { stage: flag(args, "stage") as "development" | "staging" } : {}),
          ...(flag(args, "training-job") ? { trainingJobName: flag(args, "training-job") } : {}),
          ...(flag(args, "dataset-version") ? { datasetVersion: flag(args, "dataset-version") } : {}),
          ...(flag(args, "description") ? { description: flag(args, "description") } : {}),
        };
        const v = await client.registerVersion(model, input);
        print(io, args, v, () => {
          const metrics = Object.entries(v.metrics).map(([k, x]) => `${k}=${fmt(x)}`).join(", ");
          const lines = [`registered ${v.model} ${v.version} (${v.stage}); artifact ${v.artifact.uri} [${v.artifact.status}]${metrics ? `; metrics ${metrics}` : ""}`];
          if (v.upload) lines.push(`upload the artifact before ${v.upload.expiresAt}: curl -X PUT --upload-file model.tar.gz '${v.upload.url}'`);
          return `${lines.join("\n")}\n`;
        });
        return 0;
      }
      case "promote": {
        const [model, version] = need(args.positionals, 2, "MODEL VERSION");
        const to = flag(args, "to");
        const reason = flag(args, "reason");
        if (!to || !reason) throw new UsageError("promote needs --to STAGE and --reason TEXT");
        const p = await client.promote(model, version, { stage: to as PromoteInput["stage"], reason, ...(args.flags.has("force") ? { force: true } : {}) });
        print(io, args, p, () => {
          const gate = p.gate ? `; gate ${p.gate.passed ? "passed" : "failed"}${p.gate.forced ? " (forced)" : ""}: ${p.gate.reason}` : "";
          return `${model} ${version}: ${p.from} → ${p.to}${p.archived ? ` (archived ${p.archived})` : ""}${gate}\n`;
        });
        return 0;
      }
      case "rollback": {
        const [model] = need(args.positionals, 1, "MODEL");
        const reason = flag(args, "reason");
        if (!reason) throw new UsageError("rollback needs --reason TEXT");
        const r = await client.rollback(model, { reason });
        print(io, args, r, () => `${r.model}: production is ${r.productionVersion} again (archived ${r.archived}${r.skipped.length > 0 ? `; skipped ${r.skipped.join(", ")}` : ""})\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand "${sub}"; one of list, show, register, promote, rollback`);
    }
  });
}
