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
 * working directory is a scratch folder with `examples/` linked in. `<!-- test: run session=NAME after=OTHER -->`
 * on a session's first block runs session OTHER's blocks first on the same server (a sample that must work
 * after another one has been followed).
 *
 * Two more markers, for samples that cannot run against a fresh local server:
 * - `<!-- test: output -->` before a plain fenced block whose first line is `$ COMMAND` and whose other
 *   lines are the command's output: the command is run (no server) and its stdout must be those lines.
 * - `<!-- test: arguments -->` before a ```sh block that talks to something the test cannot offer (the
 *   emulator's shared bus, a deployed account): it runs with `aws`, `mlwatch` and `curl` replaced by
 *   recorders, and every recorded call must be well formed — JSON-valued options (and each event's
 *   `Detail`, and each curl body not read from a file) parse as JSON, every `aws` call names its `--region`.
 *
 * Unmarked blocks (output, `npm start`, deploy steps) are documentation only.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalServer } from "../../../lambdas/local/server.js";
import { emulatorEndpoint } from "../emulator.js";

const repo = process.cwd();
/** README.md and every docs/*.md page, the files whose marked blocks are run. */
const pages = ["README.md", ...readdirSync(join(repo, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];

/** The marked blocks of a markdown text, by session, in order. */
function runnableBlocks(markdown: string): Map<string, string[]> {
  const sessions = new Map<string, string[]>();
  const marker = /^<!-- test: run session=([A-Za-z0-9_-]+)(?: after=[A-Za-z0-9_-]+)? -->[ \t]*\r?\n```(?:sh|bash)[ \t]*\r?\n([\s\S]*?)^```/gm;
  for (const m of markdown.matchAll(marker)) sessions.set(m[1], [...(sessions.get(m[1]) ?? []), m[2]]);
  return sessions;
}

/** The session each session runs after (`after=OTHER` on any of its markers). */
function sessionsAfter(markdown: string): Map<string, string> {
  const after = new Map<string, string>();
  for (const m of markdown.matchAll(/^<!-- test: run session=([A-Za-z0-9_-]+) after=([A-Za-z0-9_-]+) -->/gm)) after.set(m[1], m[2]);
  return after;
}

/** `<!-- test: output -->` blocks: the command of the first line (after `$ `) and the lines below it. */
function outputBlocks(markdown: string): { command: string; output: string }[] {
  const blocks: { command: string; output: string }[] = [];
  for (const m of markdown.matchAll(/^<!-- test: output -->[ \t]*\r?\n```[ \t]*\r?\n\$ ([^\n]*)\n([\s\S]*?)^```/gm)) blocks.push({ command: m[1], output: m[2] });
  return blocks;
}

/** `<!-- test: arguments -->` blocks. */
function argumentBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^<!-- test: arguments -->[ \t]*\r?\n```(?:sh|bash)[ \t]*\r?\n([\s\S]*?)^```/gm)].map((m) => m[1]);
}

/** Options whose value is a JSON document: of the aws CLI, and curl's body (unless `@file`; every API body is JSON). */
const jsonOptions = new Set(["--entries", "--event-pattern", "--targets", "--cli-input-json", "--detail"]);
const curlDataOptions = new Set(["-d", "--data", "--data-raw", "--data-binary"]);

/** What is wrong with one recorded call (`[command, ...args]`), if anything. */
function callProblems(call: string[]): string[] {
  const [command, ...args] = call;
  const problems: string[] = [];
  for (const [i, arg] of args.entries()) {
    const option = args[i - 1];
    if (option === undefined) continue;
    // The aws CLI also takes its shorthand (`Id=q,Arn=…`) for list options; a value in brackets is JSON.
    const isJson = command === "curl" ? curlDataOptions.has(option) && !arg.startsWith("@") : jsonOptions.has(option) && /^\s*[[{]/.test(arg);
    if (!isJson) continue;
    let value: unknown;
    try {
      value = JSON.parse(arg);
    } catch (err) {
      problems.push(`${command} ${option}: not JSON (${(err as Error).message})`);
      continue;
    }
    if (option === "--entries") {
      for (const entry of Array.isArray(value) ? (value as Record<string, unknown>[]) : []) {
        if (typeof entry.Detail !== "string") continue;
        try {
          JSON.parse(entry.Detail);
        } catch (err) {
          problems.push(`${command} --entries: an entry's Detail is not JSON (${(err as Error).message})`);
        }
      }
    }
  }
  if (command === "aws" && !args.includes("--region")) problems.push(`aws ${args.slice(0, 2).join(" ")}: no --region`);
  return problems;
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
const after = new Map<string, string>();
const outputs: { page: string; command: string; output: string }[] = [];
const argumentSamples: { page: string; block: string }[] = [];
for (const page of pages) {
  const markdown = readFileSync(join(repo, page), "utf8");
  for (const [session, blocks] of runnableBlocks(markdown)) {
    sessions.set(session, [...(sessions.get(session) ?? []), ...blocks]);
    sessionPages.set(session, [...(sessionPages.get(session) ?? []), page]);
  }
  for (const [session, other] of sessionsAfter(markdown)) after.set(session, other);
  for (const block of outputBlocks(markdown)) outputs.push({ page, ...block });
  for (const block of argumentBlocks(markdown)) argumentSamples.push({ page, block });
}

/** The blocks to run for a session: those of the sessions it runs after, then its own. */
function blocksOf(session: string, seen: string[] = []): string[] {
  if (seen.includes(session)) throw new Error(`sessions run after each other in a circle: ${[...seen, session].join(" → ")}`);
  const first = after.get(session);
  return [...(first === undefined ? [] : blocksOf(first, [...seen, session])), ...(sessions.get(session) ?? [])];
}

/** A scratch folder with `examples/` linked in and this checkout's CLI as `mlwatch` and `npx mlwatch`. */
function scratch(): { dir: string; bin: string } {
  const dir = mkdtempSync(join(tmpdir(), "mlwatch-readme-"));
  symlinkSync(join(repo, "examples"), join(dir, "examples"));
  const bin = join(dir, ".bin");
  const cli = join(repo, "bin", "mlwatch.js");
  runShim(bin, "mlwatch", `exec "${process.execPath}" "${cli}" "$@"`);
  runShim(bin, "npx", `if [ "$1" = mlwatch ]; then shift; exec "${process.execPath}" "${cli}" "$@"; fi\necho "README test: npx $1 is not this checkout's CLI" >&2; exit 97`);
  return { dir, bin };
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
    const md = "<!-- test: run session=a -->\n```sh\necho 1\n```\n\n```sh\necho 2\n```\n<!-- test: run session=a after=b -->\n```bash\necho 3\n```\n";
    expect([...runnableBlocks(md)]).toEqual([["a", ["echo 1\n", "echo 3\n"]]]);
    expect([...sessionsAfter(md)]).toEqual([["a", "b"]]);
    expect(outputBlocks("<!-- test: output -->\n```\n$ echo hi\nhi\n```\n```\n$ echo no\n```\n")).toEqual([{ command: "echo hi", output: "hi\n" }]);
  });

  it("finds a broken JSON option, an event Detail that is not JSON and an aws call without a region (the checker itself)", () => {
    const badDetail = JSON.stringify([{ Source: "s", DetailType: "d", Detail: '{"a":\n1' }]).replace("\\n", "\n");
    expect(callProblems(["aws", "events", "put-events", "--entries", badDetail])).toEqual([
      expect.stringMatching(/^aws --entries: not JSON/),
      "aws events put-events: no --region",
    ]);
    expect(callProblems(["aws", "events", "put-events", "--region", "us-east-1", "--entries", JSON.stringify([{ Detail: "{nope" }])])).toEqual([
      expect.stringMatching(/Detail is not JSON/),
    ]);
    expect(callProblems(["aws", "events", "put-events", "--region", "us-east-1", "--entries", JSON.stringify([{ Detail: '{"ok":1}' }])])).toEqual([]);
    expect(callProblems(["curl", "-X", "POST", "$API/x", "-d", '{"a":1,}'])).toEqual([expect.stringMatching(/^curl -d: not JSON/)]);
    expect(callProblems(["curl", "-X", "POST", "$API/x", "-d", "@examples/data/batch-request.json"])).toEqual([]);
    expect(callProblems(["aws", "events", "put-targets", "--region", "eu-west-1", "--targets", "Id=q,Arn=arn:aws:sqs:eu-west-1:1:q"])).toEqual([]);
  });

  it("marks the two-file drift sample's output and the local put-events sample for checking", () => {
    expect(outputs.map((o) => o.command)).toEqual(expect.arrayContaining([expect.stringContaining("mlwatch drift --baseline examples/data/train.csv")]));
    expect(argumentSamples.map((s) => s.block).join("\n")).toContain("aws events put-events");
  });

  for (const [session, own] of sessions) {
    const blocks = blocksOf(session);
    const first = after.get(session);
    it(`runs session "${session}" of ${sessionPages.get(session)!.join(", ")} (${own.length} block${own.length === 1 ? "" : "s"}${first === undefined ? "" : `, after session "${first}"`}) as written against a fresh local server`, async () => {
      const server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `readme-${randomBytes(4).toString("hex")}` });
      const { dir, bin } = scratch();
      try {
        const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, MLWATCH_ENDPOINT: server.url };
        // One bash for the session, as a reader types it into one terminal (variables carry over).
        const script = blocks.map((block, i) => `echo "--- block ${i + 1}" >&2\n${block}`).join("\n");
        const r = await run(script.replaceAll("http://127.0.0.1:3000", server.url), dir, env);
        const failed = /--- block (\d+)\n(?![\s\S]*--- block)/.exec(r.stderr)?.[1];
        expect(r.code, `session ${session} failed in block ${failed}:\n${blocks[Number(failed) - 1]}\nstderr: ${r.stderr.slice(-3000)}\nstdout (end): ${r.stdout.slice(-2000)}`).toBe(0);
      } finally {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);
  }

  for (const { page, command, output } of outputs) {
    it(`prints what ${page} shows for: ${command.slice(0, 80)}`, async () => {
      const { dir, bin } = scratch();
      try {
        const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
        delete env.MLWATCH_ENDPOINT;
        const r = await run(command, dir, env);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout.trimEnd()).toBe(output.trimEnd());
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);
  }

  for (const [i, { page, block }] of argumentSamples.entries()) {
    it(`sample ${i + 1} of ${page} marked "arguments" makes well-formed calls`, async () => {
      const { dir } = scratch();
      const bin = join(dir, ".recorders");
      const record = join(dir, "calls.jsonl");
      for (const name of ["aws", "mlwatch", "curl", "npx"]) {
        runShim(bin, name, `exec "${process.execPath}" -e 'require("node:fs").appendFileSync(process.env.RECORD, JSON.stringify(process.argv.slice(1)) + "\\n")' "${name}" "$@"`);
      }
      try {
        const credentials = { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "example", AWS_SESSION_TOKEN: "example" };
        const r = await run(`set +u  # a sample may use variables set by the one before it\n${block}`, dir, { ...credentials, ...process.env, PATH: `${bin}:${process.env.PATH}`, RECORD: record });
        expect(r.code, r.stderr).toBe(0);
        const calls = readFileSync(record, "utf8").trim().split("\n").map((line) => JSON.parse(line) as string[]);
        expect(calls.length).toBeGreaterThan(0);
        expect(calls.flatMap(callProblems)).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);
  }
});

/** An executable bash script `name` in `bin`. */
function runShim(bin: string, name: string, body: string): void {
  mkdirSync(bin, { recursive: true });
  const path = join(bin, name);
  writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(path, 0o755);
}
