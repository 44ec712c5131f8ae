import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDrift } from "../../../bin/commands/drift.js";
import { compareWithBaseline } from "../../../lambdas/drift/check.js";
import { loadRecords } from "../../../lambdas/drift/ingest.js";
import { buildProfile, profileKinds } from "../../../lambdas/drift/profile.js";
import { generate } from "../core/fixture-data.js";

const dir = mkdtempSync(join(tmpdir(), "mlwatch-drift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runDrift(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

function csv(columns: Record<string, ArrayLike<number | string>>): string {
  const names = Object.keys(columns);
  const n = columns[names[0]].length;
  const lines = [names.join(",")];
  for (let i = 0; i < n; i++) lines.push(names.map((k) => String(columns[k][i])).join(","));
  return `${lines.join("\n")}\n`;
}

const normal = (seed: number, n: number, loc = 0) => generate({ kind: "normal", seed, n, loc, scale: 1 });
const colours = (n: number, shift: boolean) => Array.from({ length: n }, (_, i) => (shift && i % 5 === 0 ? "green" : i % 2 ? "red" : "blue"));

const baseline = file("baseline.csv", csv({ age: normal(1, 3000), income: normal(2, 3000), colour: colours(3000, false) }));
const current = file("current.csv", csv({ age: normal(3, 2000, 0.6), income: normal(4, 2000), colour: colours(2000, true) }));

describe("mlwatch drift", () => {
  it("prints the JSON report: numerical and categorical features, drift where there is drift", async () => {
    // Act
    const { code, stdout, stderr } = await run("--baseline", baseline, "--current", current);
    // Assess
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout);
    expect(report.driftDetected).toBe(true);
    expect(report.features.age).toMatchObject({ type: "numerical", driftDetected: true });
    expect(report.features.income.driftDetected).toBe(false);
    expect(Object.keys(report.features.age.tests)).toEqual(expect.arrayContaining(["jensenShannon", "ks", "outOfRange", "psi", "wasserstein"]));
    expect(report.features.colour).toMatchObject({ type: "categorical", driftDetected: true, newCategories: ["green"] });
    expect(Object.keys(report.features.colour.tests)).toEqual(expect.arrayContaining(["categoryChange", "chiSquare", "jensenShannon", "psi"]));
  });

  it("prints a table, honours --features, --categorical and --fail-on-drift, reads JSON Lines", async () => {
    // Prepare
    const jsonl = file("current.jsonl", Array.from(normal(5, 500, 0.6), (v, i) => JSON.stringify({ age: v, code: i % 3 })).join("\n"));
    const codes = file("codes.csv", csv({ age: normal(6, 500), code: Array.from({ length: 500 }, (_, i) => i % 3) }));
    // Act
    const table = await run("--baseline", baseline, "--current", current, "--format", "table", "--features", "age,income");
    const gated = await run("--baseline", codes, "--current", jsonl, "--categorical", "code", "--fail-on-drift");
    // Assess
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Drift DETECTED: 1 of 2 compared features/);
    expect(table.stdout).not.toMatch(/colour/);
    expect(gated.code).toBe(1);
    expect(JSON.parse(gated.stdout).features.code.type).toBe("categorical");
  });

  it("handles empty cells; a baseline column missing from the current file is schema drift, a new one is listed", async () => {
    // Prepare
    const b = file("b-holes.csv", "x,only_b\n1,5\n,6\n3,7\n4,\n");
    const c = file("c-holes.csv", "x,only_c\n2,a\n3,\n,\n5,b\n");
    // Act
    const { code, stdout } = await run("--baseline", b, "--current", c);
    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.features.x.baseline).toEqual({ count: 3, missingShare: 0.25 });
    expect(report.features.only_b).toMatchObject({ driftDetected: true, rulesFired: ["feature-missing"] });
    expect(report.features.only_b.reason).toMatch(/schema drift/);
    expect(report.features.only_c).toBeUndefined();
    expect(report.unexpectedFeatures).toEqual(["only_c"]);
  });

  it.each([
    ["a missing file", () => ["--baseline", join(dir, "nope.csv"), "--current", current], /cannot read baseline file .*nope\.csv: no such file/],
    ["an empty file", () => ["--baseline", file("empty.csv", ""), "--current", current], /baseline file .*empty\.csv is empty/],
    ["a header-only file", () => ["--baseline", baseline, "--current", file("header.csv", "age,income\n")], /has no data rows/],
    ["a binary file", () => ["--baseline", file("blob.bin", Buffer.from([0x50, 0x41, 0x52, 0x31, 0, 0, 1])), "--current", current], /not CSV or JSON Lines/],
    ["broken JSON Lines", () => ["--baseline", baseline, "--current", file("bad.jsonl", '{"age":1}\n{age\n')], /line 2 is not valid JSON/],
    ["no common features", () => ["--baseline", baseline, "--current", file("other.csv", "zzz\n1\n")], /no common features/],
    ["a missing --current", () => ["--baseline", baseline], /--current FILE are required/],
    ["an unknown option", () => ["--baseline", baseline, "--current", current, "--colour"], /unknown option --colour/],
    ["a bad --format", () => ["--baseline", baseline, "--current", current, "--format", "xml"], /--format must be json or table/],
    ["a bad threshold", () => ["--baseline", baseline, "--current", current, "--thresholds", '{"psi":-1}'], /drift threshold "psi"/],
  ])("exits 2 with one line on stderr for %s", async (_name, argv, message) => {
    // Act
    const { code, stdout, stderr } = await run(...argv());
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^mlwatch drift: /);
  });

  it("counts text in a numerical feature as missing, with a warning, as the service does", async () => {
    // Act
    const { code, stdout, stderr } = await run("--baseline", baseline, "--current", file("garbage.csv", "age\n1\n2\n3\nabc\n4\n"));
    // Assess
    expect(code).toBe(0);
    expect(stderr).toBe("mlwatch drift: warning: current: age: 1 non-numeric value(s) in a numerical feature counted as missing\n");
    expect(JSON.parse(stdout).features.age.current).toEqual({ count: 4, missingShare: 0.2 });
  });

  it("gives the same report as the service's inline path on the same data (item 9: one ingest path)", async () => {
    // Prepare: a mostly numeric column with some text (categorical on both paths), a dropped and a new column
    const n = 400;
    const age = normal(21, n);
    const later = normal(22, n, 0.5);
    const zip = Array.from({ length: n }, (_, i) => (i % 50 === 0 ? "unknown" : 1000 + (i % 7)));
    const baseRecords = Array.from({ length: n }, (_, i) => ({ age: age[i], zip: zip[i], plan: i % 3 ? "pro" : "basic", dropped: i }));
    const curRecords = Array.from({ length: n }, (_, i) => ({ age: later[i], zip: zip[(i * 7) % n], plan: i % 4 ? "pro" : "basic", extra: i }));
    const toCsv = (records: Record<string, unknown>[]) => csv(Object.fromEntries(Object.keys(records[0]).map((k) => [k, records.map((r) => r[k] as number | string)])));
    const b = file("parity-b.csv", toCsv(baseRecords));
    const c = file("parity-c.csv", toCsv(curRecords));
    // Act: the CLI, and the functions the service's POST /baselines and POST /drift-checks call for inline records
    const cli = await run("--baseline", b, "--current", c);
    const baselineData = loadRecords(baseRecords);
    const profile = buildProfile(baselineData.columns, { model: "m", baselineId: "b", createdAt: "", rows: baselineData.rows, source: { kind: "inline" } });
    const service = compareWithBaseline(profile, loadRecords(curRecords, { kinds: profileKinds(profile), onlyKnown: true }));
    // Assess
    expect(cli.code).toBe(0);
    const fromCli = JSON.parse(cli.stdout);
    expect(fromCli).toEqual(JSON.parse(JSON.stringify(service)));
    expect(fromCli.features.zip.type).toBe("categorical");
    expect(fromCli.features.dropped.rulesFired).toEqual(["feature-missing"]);
    expect(fromCli.unexpectedFeatures).toEqual(["extra"]);
    expect(fromCli.features.age.driftDetected).toBe(true);
  });

  it("prints help", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    expect(stdout).toMatch(/usage: mlwatch drift --baseline FILE --current FILE/);
  });
});
