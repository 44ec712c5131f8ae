/**
 * What the API commands (`mlwatch models`, `mlwatch drift check`, `mlwatch performance`) share: flag
 * parsing, the client (`--endpoint`, default the local server; SigV4 for anything but loopback), tables
 * for people and `--json` for machines, and one error line on stderr with exit code 2.
 */
import { parseArgs as parseArgsUtil } from "node:util";
import { MlwatchApiError, MlwatchClient, MlwatchNetworkError, defaultEndpoint } from "../../client/index.js";
import { runningServerUrl } from "./server-file.js";

/** Where a command writes; the process streams by default. */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export const processIo: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/** A usage problem: one line on stderr, exit code 2. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Flags every API command takes. */
export const commonFlagsHelp = `  --endpoint URL        the API (default $MLWATCH_ENDPOINT, else the local server this checkout started
                        (.mlwatch/server.json, or $MLWATCH_HOME/server.json), else ${defaultEndpoint}); a deployed API is
                        https://{id}.execute-api.{region}.amazonaws.com/v1, signed with SigV4 from the
                        default AWS credential chain
  --region REGION       signing region (default: from the endpoint's host name, else $AWS_REGION)
  --actor NAME          local server only: act as NAME (x-mlwatch-actor), to try four-eyes approval on one
                        machine; the deployed API ignores it (the caller is your IAM principal)
  --json                print the API's JSON answer instead of a table
  -h, --help            show this help`;

/** Parsed arguments: positionals and `--flag value` / `--switch`. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
}

/**
 * Parses `argv` against the flags a command knows, with `node:util` parseArgs: `--flag value`,
 * `--flag=value`, `--switch`, `-h`. Its tokens are read in order so that the messages stay the command's
 * own (`unknown option --x`, `--limit needs a value`).
 * @param valued flags that take a value; @param switches flags that do not
 */
export function parseArgs(argv: string[], valued: readonly string[], switches: readonly string[] = []): ParsedArgs {
  const allValued = [...valued, "endpoint", "region", "actor"];
  const allSwitches = [...switches, "json", "help"];
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = { help: { type: "boolean", short: "h" } };
  for (const name of allValued) options[name] = { type: "string" };
  for (const name of allSwitches) options[name] ??= { type: "boolean" };
  const { tokens } = parseArgsUtil({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const shortArgs = new Set<number>();
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    else if (token.kind === "option-terminator") throw new UsageError("unknown option --");
    else if (token.rawName === "-h" || allSwitches.includes(token.name)) flags.set(token.name === "h" ? "help" : token.name, true);
    else if (!token.rawName.startsWith("--")) {
      // a single-dash word other than -h is an argument, as typed (e.g. a negative number)
      if (!shortArgs.has(token.index)) positionals.push(argv[token.index]);
      shortArgs.add(token.index);
    } else if (allValued.includes(token.name)) {
      if (token.value === undefined || token.value === "") throw new UsageError(`--${token.name} needs a value`);
      flags.set(token.name, token.value);
    } else throw new UsageError(`unknown option --${token.name}`);
  }
  return { positionals, flags };
}

/** A flag's value, if given. */
export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === "string" ? v : undefined;
}

/**
 * The client for `--endpoint` / `--region`.
 * @param actor local server only: who the changes are recorded as (header x-mlwatch-actor); @default the `--actor` flag
 */
export function clientOf(args: ParsedArgs, actor?: string): MlwatchClient {
  const endpoint = flag(args, "endpoint");
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) throw new UsageError(`--endpoint must be an http(s) URL, got "${endpoint}"`);
  const who = actor ?? flag(args, "actor");
  const resolved = endpoint ?? (process.env.MLWATCH_ENDPOINT || runningServerUrl());
  return new MlwatchClient({ endpoint: resolved, region: flag(args, "region"), ...(who !== undefined ? { actor: who } : {}) });
}

/** Lays rows out as an aligned text table. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n";
}

/** A number for people: whole numbers exactly, others to 3 significant digits (exponent for the very small or large), `-` when absent. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "-";
  // whole numbers (counts, rows) exactly as they are: 9004, not 9000
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
}

/** Prints JSON or the table text. */
export function print(io: CommandIo, args: ParsedArgs, answer: unknown, table: () => string): void {
  io.stdout.write(args.flags.has("json") ? `${JSON.stringify(answer, null, 2)}\n` : table());
}

/**
 * An API message in the command's words: each API field it names (`body.stage`) becomes the flag that sets
 * it (`--to`), so the message points at what to change on the command line.
 */
export function asFlags(message: string, flagsOf: Readonly<Record<string, string>>): string {
  let out = message;
  for (const [field, flagName] of Object.entries(flagsOf)) out = out.replace(new RegExp(`${field.replace(/\./g, "\\.")}(?![A-Za-z0-9_])`, "g"), flagName);
  return out;
}

/**
 * Runs a command body, mapping every failure to one stderr line and exit code 2.
 * @param name the command as the user typed it (`models list`)
 * @param flagsOf the command's flags by the API field they set (`{ "body.stage": "--to" }`), for messages
 */
export async function runCommand(name: string, io: CommandIo, body: () => Promise<number>, flagsOf: Readonly<Record<string, string>> = {}): Promise<number> {
  try {
    return await body();
  } catch (err) {
    let message: string;
    if (err instanceof MlwatchApiError) message = `${err.code} (HTTP ${err.status}): ${asFlags(err.message, flagsOf)}`;
    else if (err instanceof MlwatchNetworkError) message = `${err.message}; is the API running (mlwatch serve) or --endpoint right?`;
    else message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`mlwatch ${name}: ${message.split("\n")[0]}\n`);
    return 2;
  }
}
