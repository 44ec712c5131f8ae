/**
 * `mlwatch models list|show|register|promote|rollback|approve|reject|alias|tag|policy` — the model registry
 * from the command line, against the local server or a deployed API.
 */
import { readFileSync } from "node:fs";
import { access, constants } from "node:fs/promises";
import { basename } from "node:path";
import { MlwatchApiError, type PromoteInput, type PromotionPolicyInput, type RegisterVersionInput } from "../../client/index.js";
import { clientOf, commonFlagsHelp, flag, fmt, formatTable, parseArgs, print, processIo, runCommand, UsageError, type CommandIo } from "./api-common.js";

export const MODELS_USAGE = `usage: mlwatch models <subcommand> [options]

  list                                   models with their production and staging versions
  show MODEL                             one model and its latest versions
  register MODEL (--artifact FILE | --artifact-uri S3URI | --upload) [--version X.Y.Z] [--metrics auc=0.91,f1=0.8]
           [--primary-metric NAME --direction higher|lower] [--stage development|staging]
           [--training-job NAME] [--dataset-version name@id] [--description TEXT]
                                         register a version (the next minor one without --version);
                                         --artifact uploads a local file and records its checksum,
                                         --upload only asks for the upload URL
  upload MODEL VERSION FILE              upload the artifact of a version registered with --upload (a fresh
                                         URL when the first one expired), verify it, show its checksum
  promote MODEL VERSION --to STAGE --reason TEXT [--force]
                                         development → staging → production (gated), or → archived
  rollback MODEL --reason TEXT           make the previous production version production again
  approve MODEL VERSION --reason TEXT    approve a pending promotion (not its requester); gates are checked again
  reject MODEL VERSION --reason TEXT     reject a pending promotion; the version stays where it is
  approvals MODEL [--state pending|approved|rejected|cancelled]   approval requests, newest first
  alias MODEL ALIAS [VERSION | --delete] show an alias, point it at VERSION, or delete it
  tag MODEL VERSION key=value[,key=...] [--remove key,...]   merge tags into a version's
  policy MODEL [--file policy.json]      show the promotion policy, or replace it with the file's

options:
  --limit N             list/show: how many (default 25)
${commonFlagsHelp}

exit codes: 0 done, 2 bad usage or refused by the API (one line on stderr)`;

/** The file name under the upload prefix: the local file's, when it is a valid name. */
function artifactName(file: string): string | undefined {
  const name = basename(file);
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name) ? name : undefined;
}

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

/** @throws UsageError when the file cannot be read (before anything is registered or uploaded). */
async function readable(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
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
    const args = parseArgs(rest, ["limit", "artifact", "artifact-uri", "version", "metrics", "primary-metric", "direction", "stage", "training-job", "dataset-version", "description", "to", "reason", "state", "remove", "file"], ["upload", "force", "delete"]);
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
        const artifactFile = flag(args, "artifact");
        const upload = args.flags.has("upload");
        if ([artifactUri, artifactFile, upload ? true : undefined].filter((x) => x !== undefined).length !== 1) {
          throw new UsageError("give one of --artifact FILE, --artifact-uri s3://bucket/key or --upload");
        }
        if (artifactFile !== undefined) await readable(artifactFile);
        const input: RegisterVersionInput = {
          ...(artifactUri ? { artifactUri } : { requestUpload: true, ...(artifactFile ? { artifactFileName: artifactName(artifactFile) } : {}) }),
          ...(flag(args, "version") ? { version: flag(args, "version") } : {}),
          ...(flag(args, "metrics") ? { metrics: parseMetrics(flag(args, "metrics")!) } : {}),
          ...(flag(args, "primary-metric") ? { primaryMetric: flag(args, "primary-metric") } : {}),
          ...(flag(args, "direction") ? { direction: flag(args, "direction") as "higher" | "lower" } : {}),
          ...(flag(args, "stage") ? { stage: flag(args, "stage") as "development" | "staging" } : {}),
          ...(flag(args, "training-job") ? { trainingJobName: flag(args, "training-job") } : {}),
          ...(flag(args, "dataset-version") ? { datasetVersion: flag(args, "dataset-version") } : {}),
          ...(flag(args, "description") ? { description: flag(args, "description") } : {}),
        };
        let v = await client.registerVersion(model, input);
        if (artifactFile !== undefined && v.upload) {
          try {
            const { upload: _ignored, ...rest } = v;
            v = { ...rest, artifact: (await client.uploadArtifact(model, v.version, artifactFile, { upload: v.upload })).artifact } as typeof v;
          } catch (err) {
            throw new Error(`registered ${v.model} ${v.version}, but the upload of ${artifactFile} failed (${(err as Error).message}); retry with: mlwatch models upload ${model} ${v.version} ${artifactFile}`, { cause: err });
          }
        }
        print(io, args, v, () => {
          const metrics = Object.entries(v.metrics).map(([k, x]) => `${k}=${fmt(x)}`).join(", ");
          const lines = [`registered ${v.model} ${v.version} (${v.stage}); artifact ${v.artifact.uri} [${v.artifact.status}]${metrics ? `; metrics ${metrics}` : ""}`];
          if (v.upload) lines.push(`upload the artifact before ${v.upload.expiresAt}: mlwatch models upload ${model} ${v.version} FILE`);
          return `${lines.join("\n")}\n`;
        });
        return 0;
      }
      case "upload": {
        const [model, version, file] = need(args.positionals, 3, "MODEL VERSION FILE");
        await readable(file);
        const v = await client.uploadArtifact(model, version, file);
        print(io, args, v, () => `${model} ${version}: artifact ${v.artifact.uri} [${v.artifact.status}], ${v.artifact.sizeBytes} bytes, sha256 ${v.artifact.sha256}\n`);
        return 0;
      }
      case "promote": {
        const [model, version] = need(args.positionals, 2, "MODEL VERSION");
        const to = flag(args, "to");
        const reason = flag(args, "reason");
        if (!to || !reason) throw new UsageError("promote needs --to STAGE and --reason TEXT");
        const p = await client.promote(model, version, { stage: to as PromoteInput["stage"], reason, ...(args.flags.has("force") ? { force: true } : {}) }).catch((err: unknown) => {
          // the API speaks of its body field; a CLI user overrides with the flag
          if (err instanceof MlwatchApiError) err.message = err.message.replace("send force: true to override", "add --force to override");
          throw err;
        });
        print(io, args, p, () => {
          if (p.status === "pending_approval") {
            return `${model} ${version}: ${p.approval.from} → ${p.approval.to} pending approval (${p.approval.approvalId}, requested by ${p.approval.requestedBy}); another principal runs mlwatch models approve ${model} ${version} --reason TEXT\n`;
          }
          const gate = p.gate ? `; gate ${p.gate.passed ? "passed" : "failed"}${p.gate.forced ? " (forced)" : ""}: ${p.gate.reason}` : "";
          return `${model} ${version}: ${p.from} → ${p.to}${p.archived ? ` (archived ${p.archived})` : ""}${gate}\n`;
        });
        return 0;
      }
      case "approve":
      case "reject": {
        const [model, version] = need(args.positionals, 2, "MODEL VERSION");
        const reason = flag(args, "reason");
        if (!reason) throw new UsageError(`${sub} needs --reason TEXT`);
        if (sub === "approve") {
          const p = await client.approve(model, version, { reason });
          print(io, args, p, () => `${model} ${version}: approved by ${p.approval?.decidedBy ?? "?"} (requested by ${p.approval?.requestedBy ?? "?"}); ${p.from} → ${p.to}${p.archived ? ` (archived ${p.archived})` : ""}\n`);
        } else {
          const r = await client.reject(model, version, { reason });
          print(io, args, r, () => `${model} ${version}: promotion to ${r.approval.to} rejected by ${r.approval.decidedBy}; stays ${r.version.stage}\n`);
        }
        return 0;
      }
      case "approvals": {
        const [model] = need(args.positionals, 1, "MODEL");
        const state = flag(args, "state") as "pending" | "approved" | "rejected" | "cancelled" | undefined;
        const page = await client.listApprovals(model, { state, limit });
        print(io, args, page, () => {
          if (page.items.length === 0) return `no ${state ?? ""} approval requests for ${model}\n`.replace("no  ", "no ");
          const rows = page.items.map((a) => [a.version, `${a.from} → ${a.to}`, a.state, a.requestedBy, a.decidedBy ?? "-", a.requestedAt.slice(0, 19).replace("T", " "), a.cancelReason ?? a.decisionReason ?? a.reason]);
          return formatTable(["version", "promotion", "state", "requested by", "decided by", "requested (UTC)", "reason"], rows);
        });
        return 0;
      }
      case "alias": {
        if (args.positionals.length < 2 || args.positionals.length > 3) throw new UsageError("alias needs MODEL ALIAS [VERSION]; see mlwatch models --help");
        const [model, alias, version] = args.positionals;
        if (args.flags.has("delete")) {
          if (version !== undefined) throw new UsageError("give VERSION or --delete, not both");
          await client.deleteAlias(model, alias);
          print(io, args, { model, alias, deleted: true }, () => `${model}: alias ${alias} deleted\n`);
        } else if (version !== undefined) {
          const a = await client.setAlias(model, alias, version);
          print(io, args, a, () => `${model}: ${alias} → ${a.version}${a.previousVersion && a.previousVersion !== a.version ? ` (was ${a.previousVersion})` : ""}\n`);
        } else {
          const v = await client.getAlias(model, alias);
          print(io, args, v, () => `${model}: ${alias} → ${v.version} (${v.stage}), set by ${v.aliasUpdatedBy} at ${v.aliasUpdatedAt}; artifact ${v.artifact.uri}\n`);
        }
        return 0;
      }
      case "tag": {
        if (args.positionals.length < 2 || args.positionals.length > 3) throw new UsageError("tag needs MODEL VERSION key=value[,key=value]; see mlwatch models --help");
        const [model, version, pairs] = args.positionals;
        const tags: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
        for (const pair of pairs ? pairs.split(",") : []) {
          const at = pair.indexOf("=");
          if (at < 1) throw new UsageError(`tag: "${pair}" is not key=value`);
          tags[pair.slice(0, at)] = pair.slice(at + 1);
        }
        for (const key of (flag(args, "remove") ?? "").split(",").filter((k) => k !== "")) tags[key] = null;
        if (Object.keys(tags).length === 0) throw new UsageError("tag needs key=value pairs or --remove key,...");
        const v = await client.updateVersion(model, version, { tags: { ...tags } });
        print(io, args, v, () => `${model} ${version}: tags ${Object.entries(v.tags ?? {}).map(([k, x]) => `${k}=${x}`).join(", ") || "(none)"}\n`);
        return 0;
      }
      case "policy": {
        const [model] = need(args.positionals, 1, "MODEL");
        const file = flag(args, "file");
        let policy;
        if (file !== undefined) {
          let input: PromotionPolicyInput;
          try {
            input = JSON.parse(readFileSync(file, "utf8")) as PromotionPolicyInput;
          } catch (err) {
            throw new UsageError(`--file ${file}: ${(err as Error).message.split("\n")[0]}`);
          }
          policy = await client.setPromotionPolicy(model, input);
        } else policy = await client.getPromotionPolicy(model);
        const p = policy;
        print(io, args, p, () => {
          const gates = p.gates.map((g) => `  ${g.metric}: ${[g.min !== undefined ? `min ${g.min}` : "", g.max !== undefined ? `max ${g.max}` : "", g.notWorseThanProduction ? "not worse than production" : ""].filter(Boolean).join(", ")}`);
          return [
            `${model} promotion policy (updated ${p.updatedAt} by ${p.updatedBy})`,
            `gates${gates.length ? "" : "            none: the primary-metric gate applies"}`,
            ...gates,
            `approval needed  ${p.requireApproval.join(", ") || "none"}`,
            `retention        ${p.retention ? `keep the newest ${p.retention.keepLast} versions` : "none"}`,
            "",
          ].join("\n");
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
        throw new UsageError(`unknown subcommand "${sub}"; one of list, show, register, promote, rollback, approve, reject, approvals, alias, tag, policy`);
    }
  }, { ...modelFlags, "body.stage": sub === "register" ? "--stage" : "--to" });
}

/** The API fields the models commands set, by flag (for messages: `--to`, not `body.stage`). */
const modelFlags = {
  "body.reason": "--reason",
  "body.force": "--force",
  "body.artifactUri": "--artifact-uri",
  "body.version": "--version",
  "body.metrics": "--metrics",
  "body.primaryMetric": "--primary-metric",
  "body.direction": "--direction",
  "body.trainingJobName": "--training-job",
  "body.datasetVersion": "--dataset-version",
  "body.description": "--description",
  "query.limit": "--limit",
  "query.state": "--state",
};
