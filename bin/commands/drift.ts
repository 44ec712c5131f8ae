/**
 * `mlwatch drift` — compare a baseline and a current data file feature by feature and print the drift report.
 *
 *   mlwatch drift --baseline FILE --current FILE [--categorical a,b] [--features a,b,c]
 *                 [--format json|table] [--thresholds JSON] [--fail-on-drift]
 *
 * Files are CSV with a header row or JSON Lines (by extension .csv / .jsonl / .ndjson / .json, else sniffed).
 * Ingest and comparison are the service's (lambdas/drift/compare-data.ts, from its front door index.ts): the
 * baseline file becomes a baseline profile exactly as `POST /models/{model}/baselines` builds one (a column
 * is categorical when named in --categorical or when any baseline value is not numeric), the current file is read with the
 * profile's types (a non-numeric value in a numerical feature counts as missing, with a warning on
 * stderr), so the same data gives the same report as the service. A baseline column absent from the
 * current file is schema drift; current columns the baseline lacks are listed in `unexpectedFeatures`.
 * Exit codes: 0 report printed; 1 drift detected and --fail-on-drift given; 2 bad usage or unreadable input
 * (one line on stderr). Progress goes to stderr for files over 50 MB.
 */
import { open, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { parseArgs as parseArgsUtil } from "node:util";
import { type DriftReport, type DriftThresholds, type FeatureDrift } from "../../lambdas/core/drift/index.js";
import { MlwatchError } from "../../lambdas/core/errors.js";
import { buildProfile, compareWithBaseline, loadTables, profileKinds, type BaselineProfile } from "../../lambdas/drift/index.js";
import type { ColumnReadOptions, ColumnTable } from "../../lambdas/shared/readers/columns.js";
import { CsvColumnParser } from "../../lambdas/shared/readers/csv.js";
import { JsonLinesColumnParser } from "../../lambdas/shared/readers/jsonl.js";

/**
 * A file's bytes, chunk after chunk, read into one buffer that is reused: the parsers copy what they keep
 * (a line cut at a chunk's end), so no chunk outlives the next read, and reading allocates (and the kernel
 * maps) one buffer instead of a fresh one per chunk.
 */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Files above this size report reading progress on stderr. */
export const PROGRESS_THRESHOLD_BYTES = 50 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

export const DRIFT_USAGE = `usage: mlwatch drift --baseline FILE --current FILE [options]

Compare a baseline and a current data set (CSV with a header row, or JSON Lines) feature by feature.

options:
  --baseline FILE       reference data (required)
  --current FILE        data to check (required)
  --categorical a,b     columns to treat as categorical (non-numeric columns are categorical anyway)
  --features a,b,c      only these columns (default: every column)
  --format json|table   output format (default: json)
  --thresholds JSON     decision thresholds, e.g. '{"pValue":0.01,"psi":0.2}'
  --fail-on-drift       exit 1 when drift is detected
  -h, --help            show this help

exit codes: 0 report printed, 1 drift detected with --fail-on-drift, 2 bad usage or unreadable input`;

/** Where the command writes; the process streams by default, replaceable in tests. */
export interface DriftIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** A usage or input problem: reported as one line on stderr with exit code 2. */
class DriftInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = "DriftInputError";
  }
}

interface DriftArgs {
  baseline: string;
  current: string;
  categorical: Set<string>;
  features?: string[];
  format: "json" | "table";
  thresholds: Partial<DriftThresholds>;
  failOnDrift: boolean;
}

const list = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

const valuedOptions = ["baseline", "current", "categorical", "features", "format", "thresholds"] as const;

/**
 * Parses the arguments with `node:util` parseArgs, reading its tokens in order: `--help` anywhere before a
 * bad argument prints the help; anything else not an option of the command is refused by name.
 */
function parseArgs(argv: string[]): DriftArgs | "help" {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = { help: { type: "boolean", short: "h" }, "fail-on-drift": { type: "boolean" } };
  for (const name of valuedOptions) options[name] = { type: "string" };
  const { tokens } = parseArgsUtil({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string> = {};
  let failOnDrift = false;
  for (const token of tokens) {
    const arg = argv[token.index];
    if (token.kind === "option" && (token.rawName === "-h" || (token.rawName === "--help" && !token.inlineValue))) return "help";
    if (token.kind === "option" && token.rawName === "--fail-on-drift" && !token.inlineValue) {
      failOnDrift = true;
      continue;
    }
    if (token.kind !== "option" || !token.rawName.startsWith("--") || !(valuedOptions as readonly string[]).includes(token.name)) {
      throw new DriftInputError(`unknown option ${arg} (see mlwatch drift --help)`);
    }
    if (token.value === undefined) throw new DriftInputError(`${token.rawName} needs a value`);
    values[token.name] = token.value;
  }
  if (!values.baseline || !values.current) {
    throw new DriftInputError("--baseline FILE and --current FILE are required (see mlwatch drift --help)");
  }
  const format = values.format ?? "json";
  if (format !== "json" && format !== "table") throw new DriftInputError(`--format must be json or table, not ${format}`);
  let thresholds: Partial<DriftThresholds> = {};
  if (values.thresholds !== undefined) {
    try {
      thresholds = JSON.parse(values.thresholds);
    } catch {
      throw new DriftInputError("--thresholds must be a JSON object, e.g. '{\"psi\":0.2}'");
    }
    if (thresholds === null || typeof thresholds !== "object" || Array.isArray(thresholds)) {
      throw new DriftInputError("--thresholds must be a JSON object, e.g. '{\"psi\":0.2}'");
    }
  }
  const features = values.features === undefined ? undefined : list(values.features);
  if (features !== undefined && features.length === 0) throw new DriftInputError("--features lists no column");
  return {
    baseline: values.baseline,
    current: values.current,
    categorical: new Set(values.categorical === undefined ? [] : list(values.categorical)),
    features,
    format,
    thresholds,
    failOnDrift,
  };
}

type FileFormat = "csv" | "jsonl";

async function detectFormat(path: string, role: string): Promise<FileFormat> {
  const ext = extname(path).toLowerCase();
  if (ext === ".parquet") throw new DriftInputError(`${role} file ${path}: Parquet is not supported here; use CSV or JSON Lines`);
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const sample = head.subarray(0, bytesRead);
    if (sample.includes(0)) throw new DriftInputError(`${role} file ${path} is not CSV or JSON Lines (binary content)`);
    if (ext === ".csv" || ext === ".tsv" || ext === ".txt") return "csv";
    if (ext === ".jsonl" || ext === ".ndjson" || ext === ".json") return "jsonl";
    const first = sample.toString("utf8").replace(/^\uFEFF/, "").trimStart();
    return first.startsWith("{") ? "jsonl" : "csv";
  } finally {
    await handle.close();
  }
}

async function readTable(
  path: string,
  role: "baseline" | "current",
  options: ColumnReadOptions,
  io: DriftIo,
): Promise<ColumnTable> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new DriftInputError(`${role} file ${path} is a directory`);
    size = info.size;
  } catch (error) {
    if (error instanceof DriftInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new DriftInputError(`cannot read ${role} file ${path}: ${code === "ENOENT" ? "no such file" : code ?? String(error)}`);
  }
  if (size === 0) throw new DriftInputError(`${role} file ${path} is empty`);
  const format = await detectFormat(path, role);
  const sized = { ...options, sizeHint: size };
  const parser = format === "csv" ? new CsvColumnParser(sized) : new JsonLinesColumnParser(sized);
  const showProgress = size > PROGRESS_THRESHOLD_BYTES;
  let read = 0;
  let nextReport = 0.1;
  const started = Date.now();
  try {
    for await (const chunk of fileChunks(path)) {
      parser.push(chunk);
      read += chunk.length;
      if (showProgress && read / size >= nextReport) {
        io.stderr.write(
          `reading ${role} ${basename(path)}: ${Math.floor((100 * read) / size)}% of ${(size / 1048576).toFixed(0)} MB (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
        );
        nextReport = Math.floor((read / size) * 10 + 1) / 10;
      }
    }
    const table = parser.finish();
    if (table.rows === 0) throw new DriftInputError(`${role} file ${path} has no data rows`);
    return table;
  } catch (error) {
    if (error instanceof MlwatchError) throw new DriftInputError(`${role} file ${path}: ${error.message}`);
    throw error;
  }
}

const num = (x: number | null | undefined, digits = 3): string => {
  if (x === null || x === undefined) return "-";
  if (x !== 0 && (Math.abs(x) < 10 ** -digits || Math.abs(x) >= 1e5)) return x.toExponential(1);
  return x.toFixed(digits);
};

/** A readable summary of the report for people. */
export function formatDriftTable(report: DriftReport): string {
  const names = Object.keys(report.features);
  const drifted = names.filter((n) => report.features[n].driftDetected);
  const compared = names.filter((n) => report.features[n].comparable);
  const header = ["feature", "type", "drift", "severity", "p (adj)", "PSI", "W/scale", "JS", "missing b→c"];
  const rows = names.map((name) => {
    const f: FeatureDrift = report.features[name];
    const p = f.tests.ks?.adjustedPValue ?? f.tests.chiSquare?.adjustedPValue;
    return [
      name,
      f.type === "numerical" ? "num" : "cat",
      f.driftDetected ? "YES" : "no",
      f.severity,
      num(p),
      num(f.tests.psi?.value),
      num(f.tests.wasserstein?.normalized),
      num(f.tests.jensenShannon?.distance),
      `${(100 * f.baseline.missingShare).toFixed(1)}%→${(100 * f.current.missingShare).toFixed(1)}%`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const out = [
    `Drift ${report.driftDetected ? "DETECTED" : "not detected"}: ${drifted.length} of ${compared.length} compared features (${(100 * report.driftShare).toFixed(0)}%)`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    ...names.map((n) => `${n}: ${report.features[n].reason}`),
  ];
  if (report.unexpectedFeatures.length > 0) out.push(`unexpected features (not in the baseline): ${report.unexpectedFeatures.join(", ")}`);
  const changes = names.filter((n) => (report.features[n].newCategories?.length ?? 0) + (report.features[n].missingCategories?.length ?? 0) > 0);
  for (const n of changes) {
    const f = report.features[n];
    const show = (xs: string[]): string => (xs.length > 10 ? `${xs.slice(0, 10).join(", ")}, … (${xs.length})` : xs.join(", "));
    if (f.newCategories!.length > 0) out.push(`${n}: new categories: ${show(f.newCategories!)}`);
    if (f.missingCategories!.length > 0) out.push(`${n}: vanished categories: ${show(f.missingCategories!)}`);
  }
  return `${out.join("\n")}\n`;
}

/**
 * Reads the baseline file and builds its profile as the service does. The profile keeps none of the
 * columns' arrays, so they are handed back for the current file's columns to fill (`recycle`).
 */
async function profileBaseline(args: DriftArgs, include: ColumnReadOptions, io: DriftIo): Promise<{ profile: BaselineProfile; warnings: string[]; recycle: Float64Array[] }> {
  const baselineTable = await readTable(args.baseline, "baseline", { textColumns: args.categorical, ...include }, io);
  const baselineData = loadTables([baselineTable], { categorical: [...args.categorical], ...(args.features ? { include: args.features } : {}) });
  const profile = buildProfile(baselineData.columns, {
    model: "local",
    baselineId: basename(args.baseline),
    createdAt: new Date(0).toISOString(),
    rows: baselineData.rows,
    source: { kind: "inline" },
  });
  const recycle = [...baselineData.columns.values()].flatMap((c) => (c.kind === "numerical" ? [c.values] : []));
  return { profile, warnings: baselineData.warnings, recycle };
}

/** Runs `mlwatch drift` with the arguments after the command name; resolves to the exit code. */
export async function runDrift(argv: string[], io: DriftIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args === "help") {
      io.stdout.write(`${DRIFT_USAGE}\n`);
      return 0;
    }
    const include = args.features ? { include: new Set(args.features) } : {};
    let report: DriftReport;
    try {
      // The baseline's tables are garbage once its profile exists (built in its own function, they are not
      // held by this suspended async function); its numerical columns' arrays are filled again with the
      // current file's values, which spares fresh memory's page faults.
      const { profile, warnings: baselineWarnings, recycle } = await profileBaseline(args, include, io);
      const kinds = profileKinds(profile);
      const textColumns = new Set(Object.keys(kinds).filter((k) => kinds[k] === "categorical"));
      const currentTable = await readTable(args.current, "current", { textColumns, recycle, ...include }, io);
      recycle.length = 0;
      const currentData = loadTables([currentTable], { kinds, onlyKnown: true, ...(args.features ? { include: args.features } : {}) });
      if (args.features) {
        const unknown = args.features.filter((n) => !Object.hasOwn(kinds, n) && !currentData.columns.has(n) && !currentData.unexpectedFeatures?.includes(n));
        if (unknown.length > 0) throw new DriftInputError(`--features names columns found in neither file: ${unknown.join(", ")}`);
      }
      if (![...currentData.columns.keys()].some((n) => Object.hasOwn(kinds, n))) {
        throw new DriftInputError(`no common features: the baseline and current files share no column${args.features ? " among --features" : ""}`);
      }
      for (const warning of [...baselineWarnings.map((w) => `baseline: ${w}`), ...currentData.warnings.map((w) => `current: ${w}`)]) {
        io.stderr.write(`mlwatch drift: warning: ${warning}\n`);
      }
      report = compareWithBaseline(profile, currentData, args.thresholds);
    } catch (error) {
      if (error instanceof MlwatchError) throw new DriftInputError(error.message);
      throw error;
    }
    io.stdout.write(args.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatDriftTable(report));
    return args.failOnDrift && report.driftDetected ? 1 : 0;
  } catch (error) {
    if (error instanceof DriftInputError) {
      io.stderr.write(`mlwatch drift: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`mlwatch drift: ${message.split("\n")[0]}\n`);
    return 2;
  }
}
