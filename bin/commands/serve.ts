/**
 * `mlwatch serve`: the whole product on one machine. Runs until Ctrl-C / SIGTERM, then stops the emulator.
 */
import { EmulatorMissingError } from "../../lambdas/local/emulator.js";
import { startLocalServer } from "../../lambdas/local/server.js";
import { createConsole, type LogFormat } from "../../lambdas/local/console.js";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { removeServerFile, serverFilePath, writeServerFile } from "./server-file.js";

/** Runs the local server; resolves with the exit code once it has been stopped (-1 while it runs). */
export async function runServe(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(
      "usage: mlwatch serve [--log-format text|json]   (PORT, HOST and AWS_ENDPOINT_URL are read from the environment)\n" +
        "  prints one line per request (method, path, status, time) and each alert and relayed event as it happens;\n" +
        "  --log-format json (the default when stdout is not a terminal) prints them as JSON lines\n",
    );
    return 0;
  }
  let format: LogFormat = process.stdout.isTTY ? "text" : "json";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = arg === "--log-format" ? argv[++i] : arg.startsWith("--log-format=") ? arg.slice("--log-format=".length) : undefined;
    if (value === undefined) {
      process.stderr.write(`mlwatch serve: unknown option ${arg}; see mlwatch serve --help\n`);
      return 2;
    }
    if (value !== "text" && value !== "json") {
      process.stderr.write(`mlwatch serve: --log-format must be text or json, got "${value}"\n`);
      return 2;
    }
    format = value;
  }
  const portText = process.env.PORT ?? "3000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`mlwatch serve: PORT must be a TCP port number, got "${portText}"\n`);
    return 2;
  }
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  const started = performance.now();
  let server;
  try {
    // A readable console prints each error as one line; the JSON lines, stacks included, go to the JSON log.
    const jsonLog = format === "text" ? jsonLogFile() : undefined;
    server = await startLocalServer({ port, host: process.env.HOST ?? "127.0.0.1", console: createConsole(process.stdout, format, jsonLog) });
  } catch (err) {
    const message = err instanceof EmulatorMissingError ? err.message : `could not start: ${(err as Error).message.split("\n")[0]}`;
    process.stderr.write(`mlwatch serve: ${message}\n`);
    return 2;
  }
  const emulator = server.startedEmulator ? `embedded emulator at ${server.endpoint}` : `AWS endpoint ${server.endpoint}`;
  const readyMs = Math.round(performance.now() - started);
  process.stdout.write(
    format === "json"
      ? `${JSON.stringify({ time: new Date().toISOString(), type: "listening", url: server.url, awsEndpoint: server.endpoint, startedEmulator: server.startedEmulator, readyMs })}\n`
      : `mlwatch listening on ${server.url} (${emulator}; ready in ${readyMs} ms) — Ctrl-C to stop\n  open ${server.url}/ for the console; fill it with: npx mlwatch demo\n  errors print one line here; whole (JSON, with stacks) in ${jsonLogPath()}\n`,
  );
  const running = server;
  try {
    writeServerFile(server.url);
  } catch (err) {
    // Only the CLI's discovery of this server is lost: say so and keep serving.
    process.stderr.write(`mlwatch serve: could not record the server's URL for the CLI (${(err as Error).message.split("\n")[0]}); use --endpoint ${server.url}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      removeServerFile();
      void running.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  process.stdout.write(format === "json" ? `${JSON.stringify({ time: new Date().toISOString(), type: "stopped" })}\n` : "mlwatch stopped\n");
  return 0;
}

/** The JSON log of a readable console: server.log beside the server file (.mlwatch/ or $MLWATCH_HOME). */
function jsonLogPath(): string {
  return join(dirname(serverFilePath()), "server.log");
}

/** Appends to the JSON log; a log that cannot be written is not worth stopping the server for. */
function jsonLogFile(): { write(text: string): void } {
  return {
    write: (text) => {
      try {
        mkdirSync(dirname(jsonLogPath()), { recursive: true });
        appendFileSync(jsonLogPath(), text);
      } catch {
        // the one-line form was printed
      }
    },
  };
}
