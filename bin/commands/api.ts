/**
 * `mlwatch api [OPERATION_ID [PATH_VALUE …] [name=value …] [--body FILE|-]]`: any operation of the API by its
 * operationId (the names of docs/openapi.json, the TypeScript client's methods, the Python client's in
 * snake_case). Without an operation it lists them all. The answer is printed as JSON.
 */
import { readFile } from "node:fs/promises";
import { operationRoutes } from "../../client/api-types.js";
import { clientOf, commonFlagsHelp, flag, parseArgs, processIo, runCommand, UsageError, type CommandIo } from "./api-common.js";

export const API_USAGE = `usage: mlwatch api [OPERATION_ID [PATH_VALUE …] [name=value …] [--body FILE|-]] [options]

Calls one operation of the API by its operationId (docs/openapi.json; the client methods have the same
names). Path parameters are given in path order, query parameters as name=value, a JSON body with --body
(a file, or - for stdin). Without OPERATION_ID, lists every operation.

examples:
  mlwatch api listModels limit=5
  mlwatch api getVersion churn 1.2.0
  mlwatch api acknowledgeAlert 01J…  --body reason.json

options:
  --body FILE|-         the request's JSON body
${commonFlagsHelp}

exit codes: 0 answered, 2 bad usage or refused by the API`;

/** Every operation the command calls: its operationId, method and path template. */
export function apiOperations(): { operationId: string; method: string; path: string }[] {
  return Object.entries(operationRoutes).map(([operationId, r]) => ({ operationId, method: r.method, path: r.path }));
}

async function readBody(source: string): Promise<unknown> {
  let text: string;
  try {
    if (source === "-") {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      text = Buffer.concat(chunks).toString("utf8");
    } else text = await readFile(source, "utf8");
  } catch (err) {
    throw new UsageError(`--body: cannot read ${source} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`--body: ${source} is not JSON`);
  }
}

/** Runs `mlwatch api …`; resolves to the exit code. */
export async function runApi(argv: string[], io: CommandIo = processIo): Promise<number> {
  return runCommand("api", io, async () => {
    const args = parseArgs(argv, ["body"]);
    if (args.flags.has("help")) {
      io.stdout.write(`${API_USAGE}\n`);
      return 0;
    }
    const [operationId, ...rest] = args.positionals;
    const operations = apiOperations();
    if (operationId === undefined) {
      const width = Math.max(...operations.map((o) => o.operationId.length));
      io.stdout.write(operations.map((o) => `${o.operationId.padEnd(width)}  ${o.method.padEnd(6)} ${o.path}`).join("\n") + "\n");
      return 0;
    }
    const op = operations.find((o) => o.operationId === operationId);
    if (!op) throw new UsageError(`unknown operation "${operationId}"; run "mlwatch api" for the list`);
    const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const values = rest.filter((r) => !/^[A-Za-z][A-Za-z0-9]*=/.test(r));
    const query = Object.fromEntries(rest.filter((r) => /^[A-Za-z][A-Za-z0-9]*=/.test(r)).map((r) => [r.slice(0, r.indexOf("=")), r.slice(r.indexOf("=") + 1)]));
    if (values.length < names.length) throw new UsageError(`${operationId} needs ${names.map((n) => n.toUpperCase()).join(" ")} (missing ${names.slice(values.length).map((n) => n.toUpperCase()).join(", ")})`);
    if (values.length > names.length) throw new UsageError(`unexpected argument "${values[names.length]}"`);
    const path = names.reduce((p, n, i) => p.replace(`{${n}}`, encodeURIComponent(values[i])), op.path);
    const bodySource = flag(args, "body");
    const body = bodySource === undefined ? undefined : await readBody(bodySource);
    const answer = await clientOf(args).request<unknown>(op.method, path, { query, body, text: op.path.endsWith(".html") });
    io.stdout.write(typeof answer === "string" ? answer : `${JSON.stringify(answer ?? null, null, 2)}\n`);
    return 0;
  });
}
