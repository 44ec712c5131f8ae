/**
 * The embedded AWS emulator: `moto_server` (python moto) on a free loopback port, started as a child
 * process, waited for, and stopped with its parent. Used by `mlwatch serve` and by the test global setup.
 * Which `moto_server` (PATH, the project venv, or installed into it now) is decided in emulator-install.ts.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { createServer } from "node:net";
import { EmulatorMissingError, ensureEmulator, isExecutable, which } from "./emulator-install.js";
import { motoPatchDir } from "./moto-patch.js";

export { EmulatorMissingError } from "./emulator-install.js";

/** A running emulator. */
export interface Emulator {
  readonly endpoint: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Executable to run. @default moto_server from PATH or the project venv, installed there when possible */
  readonly command?: string;
  /** Told when the emulator is being installed. */
  readonly onProgress?: (line: string) => void;
  /** How long to wait for the first answer. @default 20000 */
  readonly startTimeoutMs?: number;
}

/**
 * Resident memory of a process in bytes: /proc on Linux, `ps` elsewhere; null when the process is gone.
 * (The emulator's memory, reported by `/health` in local mode and recorded by the soak benchmark.)
 */
export async function processRssBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return kb ? Number(kb[1]) * 1024 : null;
  } catch {
    try {
      const { stdout } = await promisify(execFile)("ps", ["-o", "rss=", "-p", String(pid)], { timeout: 2000 });
      const kb = Number(stdout.trim());
      return stdout.trim() !== "" && Number.isFinite(kb) ? kb * 1024 : null;
    } catch {
      return null;
    }
  }
}

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when the emulator executable can be found on PATH. */
export function emulatorAvailable(command = "moto_server"): boolean {
  return command.includes("/") ? isExecutable(command) : which(command) !== undefined;
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

/**
 * Starts `moto_server` on a free loopback port and waits until it answers.
 * The child is killed when this process exits, so no emulator is left behind.
 * @throws EmulatorMissingError when the executable is not installed
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const command = options.command ?? (await ensureEmulator({ onProgress: options.onProgress ?? ((line) => process.stderr.write(`${line}\n`)) }));
  if (!emulatorAvailable(command)) throw new EmulatorMissingError(`${command} is not executable`);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // The emulator writes a line per request to stderr. A file, not a pipe: a pipe fills when the host's event
  // loop is busy (a synchronous child process, a long parse) and moto then blocks mid-request, holding every
  // connection open with no timeout of its own. The file is read only to explain a failed start.
  const logFile = join(tmpdir(), `mlwatch-emulator-${process.pid}-${port}.log`);
  const logFd = openSync(logFile, "w");
  const child = spawn(command, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", logFd],
    // moto-patch.ts: transactions back up the items they name, not whole tables (flat memory over a long session).
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: "true", PYTHONPATH: [motoPatchDir(), process.env.PYTHONPATH].filter((p) => p).join(delimiter) },
  });
  closeSync(logFd);
  const stderrTail = (): string => {
    try {
      return readFileSync(logFile, "utf8").slice(-4000);
    } catch {
      return "";
    }
  };
  const removeLog = (): void => rmSync(logFile, { force: true });
  child.once("exit", removeLog);
  const killOnExit = (): void => {
    if (child.exitCode === null) child.kill("SIGKILL");
    removeLog();
  };
  process.once("exit", killOnExit);
  try {
    await waitUntilAnswering(endpoint, child, options.startTimeoutMs ?? 20_000);
  } catch (err) {
    const tail = stderrTail();
    killOnExit();
    throw new Error(`${(err as Error).message}\n${tail}`);
  }
  return {
    endpoint,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener("exit", killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
