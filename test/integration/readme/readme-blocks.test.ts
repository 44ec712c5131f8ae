/**
 * The runnable command blocks of README.md and of every docs/*.md page, run as written against the local
 * server, so that a sample cannot drift from the product.
 *
 * Convention (also in docs/development.md, "Samples are tests"): a fenced ```sh or ```bash block preceded
 * by the line `<!-- test: run session=NAME -->` is run by this test. A session lives in one file; its
 * blocks run in that file's order in one bash (`set -euo pipefail`, so any failing command — `curl -f` on a 4xx included — fails the test)
 * against one fresh local server; each session gets its own server. `http://127.0.0.1:3000` in a block
 * is replaced by that server's URL, `mlwatch` and `npx mlwatch` run this checkout's CLI
 * (bin/mlwatch.js; an `npx` of anything else is refused, so the test never fetches a package), and the
 * working directory is a scratch folder with `examples/` linked in. Unmarked blocks (output, `npm start`,
 * deploy steps) are documentation only.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { startLocalServer } from "../../../lambdas/local/server.js";

const repo = process.cwd();
/** README.md and every docs/*.md page, the files whose marked blocks are run. */
const pages = ["README.md", ...readdirSync(join(repo, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];

/** The marked blocks of a markdown text, by session, in order. */
function runnableBlocks(markdown: string): Map<string, string[]> {
  const sessions = new Map<string, string[]>();
  const marker = /^<!-- test: run session=([A-Za-z0-9_-]+) -->[ \t]*\r?\n```(?:sh|bash)[ \t]*\r?\n([\s\S]*?)^```/gm;
  for (const m of markdown.matchAll(marker)) sessions.set(m[1], [...(sessions.get(m[1]) ?? []), m[2]]);
  return sessions;
}

function run(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", `set -euo pipefail\n${script}`], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Each session's blocks, and the pages that hold a session of the same name (one is right). */
const sessions = new Map<string, string[]>();
const sessionPages = new Map<string, string[]>();
for (const page of pages) {
  for (const [session, blocks] of runnableBlocks(readFileSync(join(repo, page), "utf8"))) {
    sessions.set(session, [...(sessions.get(session) ?? []), ...blocks]);
    sessionPages.set(session, [...(sessionPages.get(session) ?? []), page]);
  }
}

describe("README and docs command blocks", () => {
  it("marks the tour (README) and the CLI sample session (docs/cli.md) as runnable", () => {
    expect(sessionPages.get("tour")).toEqual(["README.md"]);
    expect(sessionPages.get("cli")).toEqual(["docs/cli.md"]);
    expect(sessions.get("tour")!.join("\n")).toContain("mlwatch demo");
  });

  it("keeps each session in one file (its blocks run in that file's order)", () => {
    expect([...sessionPages].filter(([, inPages]) => inPages.length > 1)).toEqual([]);
  });

  it("finds a marked block, and ignores an unmarked one (the convention itself)", () => {
    const md = "<!-- test: run session=a -->\n```sh\necho 1\n```\n\n```sh\necho 2\n```\n<!-- test: run session=a -->\n```bash\necho 3\n```\n";
    expect([...runnableBlocks(md)]).toEqual([["a", ["echo 1\n", "echo 3\n"]]]);
  });

  for (const [session, blocks] of sessions) {
    it(`runs session "${session}" of ${sessionPages.get(session)!.join(", ")} (${blocks.length} block${blocks.length === 1 ? "" : "s"}) as written against a fresh local server`, async () => {
      const server = await startLocalServer({ port: 0, endpoint: inject("emulatorEndpoint"), prefix: `readme-${randomBytes(4).toString("hex")}` });
      const dir = mkdtempSync(join(tmpdir(), "mlwatch-readme-"));
      try {
        symlinkSync(join(repo, "examples"), join(dir, "examples"));
        const bin = join(dir, ".bin");
        const cli = join(repo, "bin", "mlwatch.js");
        runShim(bin, "mlwatch", `exec "${process.execPath}" "${cli}" "$@"`);
        runShim(bin, "npx", `if [ "$1" = mlwatch ]; then shift; exec "${process.execPath}" "${cli}" "$@"; fi\necho "README test: npx $1 is not this checkout's CLI" >&2; exit 97`);
        const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, MLWATCH_ENDPOINT: server.url };
        for (const [i, block] of blocks.entries()) {
          const r = await run(block.replaceAll("http://127.0.0.1:3000", server.url), dir, env);
          expect(r.code, `block ${i + 1} of session ${session} failed:\n${block}\nstderr: ${r.stderr}\nstdout (end): ${r.stdout.slice(-2000)}`).toBe(0);
        }
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});

/** An executable bash script `name` in `bin`. */
function runShim(bin: string, name: string, body: string): void {
  mkdirSync(bin, { recursive: true });
  const path = join(bin, name);
  writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(path, 0o755);
}
