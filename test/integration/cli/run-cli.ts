/**
 * Runs the command line for a test and collects what it printed and its exit code.
 *
 * `runCli` runs it in this process: bin/cli.ts's `runCommandLine` — the function bin/mlwatch.ts runs as the
 * process — with `process.stdout`/`process.stderr` captured and the environment the test asks for, one run
 * at a time. `runCliProcess` runs the real bin (`node bin/mlwatch.js …`) as a child process, asynchronously
 * (the local server the tests start answers from this process): one smoke test per command family does.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { runCommandLine } from "../../../bin/cli.js";

const cli = join(process.cwd(), "bin", "mlwatch.js");

/** What one CLI run did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the run. */
  readonly ms: number;
}

/** In-process runs share process.stdout, process.stderr and process.env: one at a time. */
let queue: Promise<unknown> = Promise.resolve();

/** Runs `mlwatch …args` in this process, with `MLWATCH_ENDPOINT` cleared unless `env` sets it. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run = queue.then(() => runInProcess(args, { MLWATCH_ENDPOINT: "", ...env }));
  queue = run.catch(() => undefined);
  return run;
}

async function runInProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(env)) {
    saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const out: string[] = [];
  const err: string[] = [];
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = rest.find((r): r is () => void => typeof r === "function");
      done?.();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  const started = performance.now();
  let code: number;
  try {
    code = await runCommandLine([...args]);
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  return { code, stdout: out.join(""), stderr: err.join(""), ms: performance.now() - started };
}

/** Runs `node bin/mlwatch.js …args` as a child process, with `MLWATCH_ENDPOINT` cleared unless `env` sets it. */
export function runCliProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
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
