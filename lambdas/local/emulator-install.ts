/**
 * Where `moto_server` comes from, decided in order:
 *   1. `moto_server` on PATH;
 *   2. the project-local virtual environment (`.mlwatch/venv`, or `$MLWATCH_HOME/venv`) when it has one;
 *   3. that environment created now with the pinned `moto[server]==5.2.1`, when python3 (with venv and pip)
 *      is on PATH and its package index answers — unless MLWATCH_NO_INSTALL is set;
 *   4. else one message naming the three ways: pip, that venv, or the moto Docker image plus AWS_ENDPOINT_URL.
 * moto is pinned because lambdas/local/moto-compat.ts depends on its behaviour.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, rmSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The moto version the local mode is tested with. */
export const motoVersion = "5.2.1";
/** The pip requirement of the emulator. */
export const motoRequirement = `moto[server]==${motoVersion}`;
/** The emulator's Docker image of the same version. */
export const motoDockerImage = `motoserver/moto:${motoVersion}`;

/** Thrown when no `moto_server` can be found or installed; the message names every way to get one. */
export class EmulatorMissingError extends Error {
  public constructor(reason: string, venvDir = ".mlwatch/venv") {
    super(
      `moto_server not found (${reason}). Install the local AWS emulator one of these ways: ` +
        `pip install "${motoRequirement}"; or let \`npm start\` create ${venvDir} with it (needs python3 with venv and a reachable package index); ` +
        `or run docker run --rm -p 5000:5000 ${motoDockerImage} and set AWS_ENDPOINT_URL=http://127.0.0.1:5000`,
    );
    this.name = "EmulatorMissingError";
  }
}

/** What {@link resolveEmulator} found. */
export type EmulatorPlan =
  | { readonly kind: "path"; readonly command: string }
  | { readonly kind: "venv"; readonly command: string }
  | { readonly kind: "install"; readonly python: string; readonly venvDir: string; readonly command: string }
  | { readonly kind: "missing"; readonly reason: string; readonly venvDir: string };

/** Inputs of the decision (the process's by default; tests pass a fake PATH and home). */
export interface ResolveOptions {
  /** @default process.env.PATH */
  readonly path?: string;
  /** Folder holding the project's venv. @default process.env.MLWATCH_HOME, else `.mlwatch` at the repository root */
  readonly home?: string;
  /** Whether creating the venv may be tried. @default MLWATCH_NO_INSTALL unset */
  readonly allowInstall?: boolean;
}

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** True when `path` is a file this process may execute. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable called `name` on `path`, if any. */
export function which(name: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir !== "" && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Decides where the emulator comes from (no process is started, nothing is installed). */
export function resolveEmulator(options: ResolveOptions = {}): EmulatorPlan {
  const path = options.path ?? process.env.PATH ?? "";
  const home = options.home ?? (process.env.MLWATCH_HOME || join(repositoryRoot, ".mlwatch"));
  const venvDir = join(home, "venv");
  const allowInstall = options.allowInstall ?? !process.env.MLWATCH_NO_INSTALL;
  const onPath = which("moto_server", path);
  if (onPath) return { kind: "path", command: onPath };
  const inVenv = join(venvDir, "bin", "moto_server");
  if (isExecutable(inVenv)) return { kind: "venv", command: inVenv };
  if (!allowInstall) return { kind: "missing", reason: "not on PATH nor in the project venv, and MLWATCH_NO_INSTALL is set", venvDir };
  const python = which("python3", path);
  if (!python) return { kind: "missing", reason: "not on PATH nor in the project venv, and no python3 on PATH to install it with", venvDir };
  return { kind: "install", python, venvDir, command: inVenv };
}

function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let output = "";
    const keep = (d: Buffer): void => void (output = (output + d.toString()).slice(-4000));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (err) => resolve({ code: -1, output: err.message }));
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** The last meaningful line of a tool's output, for a one-line reason. */
function lastLine(output: string): string {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /^ERROR:/.test(l)) ?? lines.at(-1) ?? "no output").slice(0, 200);
}

/**
 * The `moto_server` to run: found, or installed into the project venv now.
 * @param onProgress told once when an install starts (it takes a minute)
 * @throws EmulatorMissingError when there is none and it cannot be installed
 */
export async function ensureEmulator(options: ResolveOptions & { onProgress?: (line: string) => void; timeoutMs?: number } = {}): Promise<string> {
  const plan = resolveEmulator(options);
  if (plan.kind === "path" || plan.kind === "venv") return plan.command;
  if (plan.kind === "missing") throw new EmulatorMissingError(plan.reason, plan.venvDir);
  options.onProgress?.(`mlwatch: moto_server not found; installing ${motoRequirement} into ${plan.venvDir} (first start only)`);
  const timeoutMs = options.timeoutMs ?? 600_000;
  const made = await run(plan.python, ["-m", "venv", plan.venvDir], 120_000);
  if (made.code !== 0) {
    rmSync(plan.venvDir, { recursive: true, force: true });
    throw new EmulatorMissingError(`python3 -m venv failed: ${lastLine(made.output)}`, plan.venvDir);
  }
  const pip = await run(join(plan.venvDir, "bin", "python"), ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "--retries", "1", "--timeout", "20", motoRequirement], timeoutMs);
  if (pip.code !== 0 || !isExecutable(plan.command)) {
    // A half-made venv would be taken for a working one next time.
    rmSync(plan.venvDir, { recursive: true, force: true });
    throw new EmulatorMissingError(`installing ${motoRequirement} failed: ${lastLine(pip.output)}`, plan.venvDir);
  }
  return plan.command;
}
