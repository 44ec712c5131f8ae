/**
 * Where a running local server says where it listens: `server.json` in `$MLWATCH_HOME`, else in the
 * checkout's `.mlwatch/` folder. `mlwatch serve` writes it once listening (and removes it when it stops);
 * the API commands read it when neither `--endpoint` nor `$MLWATCH_ENDPOINT` is given, looking in
 * `$MLWATCH_HOME`, else in `.mlwatch/` of the working directory and each folder above it — so
 * `PORT=3701 npm start` and then `npx mlwatch …` in the same checkout just work.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** What the file holds. */
export interface ServerFile {
  readonly url: string;
  readonly pid: number;
  readonly startedAt: string;
}

const fileName = "server.json";

/** The file the server of this checkout writes: `$MLWATCH_HOME/server.json`, else `<checkout>/.mlwatch/server.json`. */
export function serverFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLWATCH_HOME) return join(resolve(env.MLWATCH_HOME), fileName);
  const checkout = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
  return join(checkout, ".mlwatch", fileName);
}

/** Records where the server listens (atomically: a reader never sees half a file). */
export function writeServerFile(url: string, path = serverFilePath()): void {
  mkdirSync(dirname(path), { recursive: true });
  const content: ServerFile = { url, pid: process.pid, startedAt: new Date().toISOString() };
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content)}\n`);
  renameSync(temporary, path);
}

/** Removes the file if this process wrote it. */
export function removeServerFile(path = serverFilePath()): void {
  if (readServerFile(path)?.pid === process.pid) rmSync(path, { force: true });
}

function readServerFile(path: string): ServerFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<ServerFile>;
    if (typeof parsed.url !== "string" || !/^https?:\/\//.test(parsed.url) || typeof parsed.pid !== "number") return undefined;
    return parsed as ServerFile;
  } catch {
    return undefined;
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * The URL of a running local server, if one recorded itself: `$MLWATCH_HOME/server.json`, else the first
 * `.mlwatch/server.json` from `cwd` upwards. A file whose process is gone is ignored.
 */
export function runningServerUrl(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  const candidates: string[] = [];
  if (env.MLWATCH_HOME) candidates.push(join(resolve(env.MLWATCH_HOME), fileName));
  else {
    for (let dir = resolve(cwd); ; dir = dirname(dir)) {
      candidates.push(join(dir, ".mlwatch", fileName));
      if (dirname(dir) === dir) break;
    }
  }
  for (const path of candidates) {
    const found = readServerFile(path);
    if (found && alive(found.pid)) return found.url;
  }
  return undefined;
}
