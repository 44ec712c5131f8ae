/**
 * Runs the command line from the checkout (`node bin/mlwatch.js …`) as a child process, asynchronously
 * (the local server the tests start answers from this process), and collects what it printed.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

const cli = join(process.cwd(), "bin", "mlwatch.js");

/** What one CLI run did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the run. */
  readonly ms: number;
}

/** Runs `mlwatch …args` with `MLWATCH_ENDPOINT` cleared unless `env` sets it. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, MLWATCH_ENDPOINT: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}
