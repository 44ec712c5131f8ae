/**
 * The checkout's launcher (bin/mlwatch.js): runs a bundle of the sources kept in node_modules/.mlwatch-cli/
 * while none of its sources changed, builds a new one when one did (a new folder; the old is not touched), and
 * runs the sources through tsx when asked (MLWATCH_TSX=1).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = process.cwd();
const launcher = join(root, "bin", "mlwatch.js");
const current = join(root, "node_modules", ".mlwatch-cli", "current.json");

const run = (env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [launcher, "--help"], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
const folder = (): string => (JSON.parse(readFileSync(current, "utf8")) as { folder: string }).folder;

describe("bin/mlwatch.js, the checkout's launcher", () => {
  it("reuses its bundle while the sources are unchanged and builds a new one when one changes", () => {
    // Prepare: a run that leaves a fresh bundle
    expect(run().status).toBe(0);
    const first = folder();
    const manifest = JSON.parse(readFileSync(current, "utf8")) as { inputs: Record<string, [number, number]> };
    expect(Object.keys(manifest.inputs)).toContain(join("bin", "cli.ts"));
    // Act + Assess: unchanged sources, same bundle
    const again = run();
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^usage: mlwatch <command>/);
    expect(folder()).toBe(first);
    // A source's modification time moves (as an edit or a checkout moves it): a new bundle, the old folder kept
    const source = join(root, "bin", "cli.ts");
    const { atime, mtime } = statSync(source);
    utimesSync(source, atime, new Date(mtime.getTime() + 1000));
    try {
      const rebuilt = run();
      expect(rebuilt.status).toBe(0);
      expect(rebuilt.stdout).toMatch(/^usage: mlwatch <command>/);
      expect(folder()).not.toBe(first);
      expect(statSync(join(root, "node_modules", ".mlwatch-cli", first, "mlwatch.mjs")).isFile()).toBe(true);
    } finally {
      utimesSync(source, atime, mtime);
    }
  }, 120_000);

  it("runs the sources through tsx when MLWATCH_TSX=1, with the same output", () => {
    const bundled = run();
    const tsx = run({ MLWATCH_TSX: "1" });
    expect(tsx.status).toBe(0);
    expect(tsx.stdout).toBe(bundled.stdout);
  }, 120_000);
});
