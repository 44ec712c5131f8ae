/**
 * `mlwatch serve`: the whole product on one machine. Runs until Ctrl-C / SIGTERM, then stops the emulator.
 */
import { EmulatorMissingError } from "../../lambdas/local/emulator.js";
import { startLocalServer } from "../../lambdas/local/server.js";

/** Runs the local server; resolves with the exit code once it has been stopped (-1 while it runs). */
export async function runServe(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write("usage: mlwatch serve   (PORT, HOST and AWS_ENDPOINT_URL are read from the environment)\n");
    return 0;
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
    server = await startLocalServer({ port, host: process.env.HOST ?? "127.0.0.1" });
  } catch (err) {
    const message = err instanceof EmulatorMissingError ? err.message : `could not start: ${(err as Error).message.split("\n")[0]}`;
    process.stderr.write(`mlwatch serve: ${message}\n`);
    return 2;
  }
  const emulator = server.startedEmulator ? `embedded emulator at ${server.endpoint}` : `AWS endpoint ${server.endpoint}`;
  process.stdout.write(`mlwatch listening on ${server.url} (${emulator}; ready in ${Math.round(performance.now() - started)} ms) — Ctrl-C to stop\n`);
  const running = server;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      void running.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  process.stdout.write("mlwatch stopped\n");
  return 0;
}
