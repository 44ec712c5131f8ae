/**
 * `mlwatch drift check MODEL` — a drift check through the API (local or deployed) against the model's
 * active baseline: inline records from a local file (CSV with a header row, JSON Lines, or a JSON array),
 * or data already in S3 (`--data-uri`, asynchronous: `--wait` polls until it is done).
 * (`mlwatch drift --baseline F --current F` compares two local files without the API.)
 */
import { writeFile } from "node:fs/promises";
import { MlwatchApiError, readRecords, type DriftCheck } from "../../client/index.js";
import { clientOf, commonFlagsHelp, flag, fmt, formatTable, parseArgs, print, processIo, runCommand, UsageError, type CommandIo } from "./api-common.js";

export const DRIFT_CHECK_USAGE = `usage: mlwatch drift check MODEL (--data FILE | --data-uri s3://bucket/prefix | --follow CHECK_ID) [options]

Check current data for drift against MODEL's active baseline, through the API.

options:
  --data FILE           records to check: CSV with a header row, JSON Lines (.jsonl/.ndjson) or a JSON array (.json)
  --data-uri S3URI      data already in S3 (CSV, JSON Lines, Parquet; object or prefix): checked asynchronously
  --baseline-id ID      compare with this baseline instead of the active one
  --thresholds JSON     decision thresholds, e.g. '{"pValue":0.01,"psi":0.2}'
  --follow CHECK_ID     follow a check already started (e.g. by --data-uri without --wait) until it is done
  --wait                with --data-uri: wait until the check is completed
  --html FILE           save the HTML report (histograms per feature) to FILE
  --fail-on-drift       exit 1 when drift is detected
${commonFlagsHelp}

exit codes: 0 checked, 1 drift detected with --fail-on-drift, 2 bad usage or refused by the API`;

/** What a check that is not completed says: why it failed, or how to follow the same check. */
export function unfinishedCheckText(check: Pick<DriftCheck, "checkId" | "model" | "status" | "error">): string {
  if (check.status === "failed") return `check ${check.checkId} failed: ${check.error ?? "no reason recorded"}\n`;
  return `check ${check.checkId} is ${check.status}\nfollow it with: mlwatch drift check ${check.model} --follow ${check.checkId}\n`;
}

function checkTable(check: DriftCheck, htmlUrl: string): string {
  if (check.status !== "completed") return unfinishedCheckText(check);
  const features = Object.entries(check.report?.features ?? {}).sort(
    (a, b) => Number(b[1].driftDetected) - Number(a[1].driftDetected) || (b[1].tests.psi?.value ?? -1) - (a[1].tests.psi?.value ?? -1),
  );
  const rows = features.map(([name, f]) => [
    name,
    f.type === "numerical" ? "num" : "cat",
    f.driftDetected ? "YES" : "no",
    f.severity,
    fmt(f.tests.psi?.value),
    fmt(f.tests.ks?.adjustedPValue ?? f.tests.chiSquare?.adjustedPValue),
    `${(100 * f.baseline.missingShare).toFixed(1)}%→${(100 * f.current.missingShare).toFixed(1)}%`,
  ]);
  const drifted = features.filter(([, f]) => f.driftDetected).length;
  const comparable = features.filter(([, f]) => f.comparable).length;
  return [
    `Drift ${check.driftDetected ? `DETECTED (${String(check.severity).toUpperCase()})` : "not detected"} for ${check.model}: ${drifted} of ${comparable} features (${(100 * (check.driftShare ?? 0)).toFixed(0)}%), ${check.rows} rows vs baseline ${check.baselineId}`,
    "",
    formatTable(["feature", "type", "drift", "severity", "PSI", "p (adj)", "missing b→c"], rows).trimEnd(),
    "",
    `check ${check.checkId}`,
    `report ${check.reportUri ?? "-"}`,
    `html   ${check.reportHtmlUri ?? "-"}  (${htmlUrl})`,
    "",
  ].join("\n");
}

/** Runs `mlwatch drift check …` (the arguments after `check`); resolves to the exit code. */
export async function runDriftCheck(argv: string[], io: CommandIo = processIo): Promise<number> {
  return runCommand("drift check", io, async () => {
    const args = parseArgs(argv, ["data", "data-uri", "follow", "baseline-id", "thresholds", "html"], ["wait", "fail-on-drift"]);
    if (args.flags.has("help")) {
      io.stdout.write(`${DRIFT_CHECK_USAGE}\n`);
      return 0;
    }
    if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? "missing MODEL; see mlwatch drift check --help" : `unexpected argument "${args.positionals[1]}"`);
    const [model] = args.positionals;
    const data = flag(args, "data");
    const dataUri = flag(args, "data-uri");
    const follow = flag(args, "follow");
    if ([data, dataUri, follow].filter((v) => v !== undefined).length !== 1) throw new UsageError("give exactly one of --data FILE, --data-uri s3://… or --follow CHECK_ID");
    if (follow !== undefined && (flag(args, "baseline-id") !== undefined || flag(args, "thresholds") !== undefined)) {
      throw new UsageError("--follow reads a check already started: --baseline-id and --thresholds belong to a new check");
    }
    let thresholds: Record<string, number> | undefined;
    if (flag(args, "thresholds")) {
      try {
        thresholds = JSON.parse(flag(args, "thresholds")!) as Record<string, number>;
      } catch {
        throw new UsageError("--thresholds is not valid JSON");
      }
    }
    const client = clientOf(args);
    let check: DriftCheck;
    if (follow !== undefined) {
      check = await client.getDriftCheck(model, follow);
      if (check.status === "pending" || check.status === "running") check = await client.waitForDriftCheck(model, check.checkId);
    } else {
      const body = {
        ...(data !== undefined ? { records: await readRecords(data) } : { dataUri }),
        ...(flag(args, "baseline-id") ? { baselineId: flag(args, "baseline-id") } : {}),
        ...(thresholds ? { thresholds } : {}),
      };
      try {
        check = await client.checkDrift(model, body);
      } catch (err) {
        // The API names its own route; on the command line the next step is a command.
        if (err instanceof MlwatchApiError && err.status === 404 && /has no active baseline/.test(err.message) && flag(args, "baseline-id") === undefined) {
          throw new UsageError(`model "${model}" has no active baseline; create one with: mlwatch baselines create ${model} --data FILE (or --data-uri s3://…)`);
        }
        throw err;
      }
    }
    if (check.status !== "completed" && check.status !== "failed" && args.flags.has("wait")) check = await client.waitForDriftCheck(model, check.checkId);
    else if (check.status === "completed" && check.report === undefined) check = await client.getDriftCheck(model, check.checkId);
    const htmlUrl = `${client.endpoint}/models/${model}/drift-checks/${check.checkId}/report.html`;
    const htmlFile = flag(args, "html");
    if (htmlFile && check.status === "completed") await writeFile(htmlFile, await client.getDriftReportHtml(model, check.checkId));
    print(io, args, check, () => checkTable(check, htmlUrl));
    if (htmlFile) {
      // on stderr with --json, so that stdout stays one JSON document
      const say = args.flags.has("json") ? io.stderr : io.stdout;
      say.write(check.status === "completed" ? `wrote the HTML report to ${htmlFile}\n` : `no HTML report written: check ${check.checkId} is ${check.status}\n`);
    }
    if (check.status === "failed") return 2;
    return args.flags.has("fail-on-drift") && check.driftDetected ? 1 : 0;
  });
}
