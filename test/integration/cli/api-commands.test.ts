/**
 * The API commands as a user runs them — `mlwatch models|drift check|performance …` — against the local
 * server (random port, test emulator): in-process, one command of each family through the real bin in a
 * child process (run-cli.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { runCli, runCliProcess, type CliRun } from "./run-cli.js";
import { mulberry32 } from "../../../lambdas/core/stats/seeded.js";
import { emulatorEndpoint } from "../emulator.js";

let server: LocalServer;
let dir: string;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `cli-${randomBytes(4).toString("hex")}` });
  dir = mkdtempSync(join(tmpdir(), "mlwatch-cli-"));
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI (asynchronously: the server answers from this process). */
function mlwatch(...args: string[]): Promise<CliRun> {
  return runCli(args);
}

/** The real bin as a child process: one run per command family (the rest run in-process, run-cli.ts). */
function mlwatchProcess(...args: string[]): Promise<CliRun> {
  return runCliProcess(args);
}

const rows = (n: number, shift: number) => Array.from({ length: n }, (_, i) => ({ age: 30 + ((i * 7) % 40) + shift, plan: i % 3 === 0 ? "pro" : "basic" }));

describe("mlwatch models", () => {
  it("uploads an artifact file on registration (--artifact) and to a version registered with --upload (models upload), verified", async () => {
    // Prepare
    const e = ["--endpoint", server.url];
    const model = `cliu${randomBytes(3).toString("hex")}`;
    const file = join(dir, "model.tar.gz");
    writeFileSync(file, "weights of a model");
    const sha = createHash("sha256").update("weights of a model").digest("hex");
    // Act
    const registered = await mlwatch("models", "register", model, "--artifact", file, "--primary-metric", "auc", "--direction", "higher", ...e);
    const pending = await mlwatch("models", "register", model, "--upload", ...e);
    const uploaded = await mlwatch("models", "upload", model, "0.2.0", file, ...e);
    const again = await mlwatch("models", "upload", model, "0.2.0", file, ...e);
    const unreadable = await mlwatch("models", "upload", model, "0.2.0", join(dir, "missing.bin"), ...e);
    // Assess
    expect(registered.stderr).toBe("");
    expect(registered.stdout).toContain(`registered ${model} 0.1.0 (development); artifact s3://${server.resources.bucket}/`);
    expect(registered.stdout).toContain("/model.tar.gz [available]");
    expect(pending.stdout).toContain(`upload the artifact before `);
    expect(pending.stdout).toContain(`: mlwatch models upload ${model} 0.2.0 FILE`);
    expect(uploaded.stderr).toBe("");
    expect(uploaded.stdout).toMatch(new RegExp(`^${model} 0\\.2\\.0: artifact s3://\\S+ \\[available\\], 18 bytes, sha256 ${sha}\n$`));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^mlwatch models upload: .*already available.*\n$/);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain("cannot read");
  });

  it("registers, lists, shows, promotes and rolls back, with tables for people", async () => {
    // Prepare
    const e = ["--endpoint", server.url];
    const model = `cli${randomBytes(3).toString("hex")}`;
    // Act
    const r1 = await mlwatchProcess("models", "register", model, "--artifact-uri", `s3://${server.resources.bucket}/m/1.tar.gz`, "--version", "1.0.0", "--metrics", "auc=0.8", "--primary-metric", "auc", "--direction", "higher", ...e);
    const missingArtifact = r1.code;
    // the artifact must exist: put it, then register again
    await fetch(`${server.endpoint}/${server.resources.bucket}/m/1.tar.gz`, { method: "PUT", body: "a" });
    await fetch(`${server.endpoint}/${server.resources.bucket}/m/2.tar.gz`, { method: "PUT", body: "b" });
    const reg1 = await mlwatch("models", "register", model, "--artifact-uri", `s3://${server.resources.bucket}/m/1.tar.gz`, "--version", "1.0.0", "--metrics", "auc=0.8", "--primary-metric", "auc", "--direction", "higher", ...e);
    const reg2 = await mlwatch("models", "register", model, "--artifact-uri", `s3://${server.resources.bucket}/m/2.tar.gz`, "--metrics", "auc=0.9", "--stage", "staging", ...e);
    await mlwatch("models", "promote", model, "1.0.0", "--to", "staging", "--reason", "tests pass", ...e);
    await mlwatch("models", "promote", model, "1.0.0", "--to", "production", "--reason", "first", ...e);
    const promote = await mlwatch("models", "promote", model, "1.1.0", "--to", "production", "--reason", "better", ...e);
    const list = await mlwatch("models", "list", ...e);
    const show = await mlwatch("models", "show", model, ...e);
    const rollback = await mlwatch("models", "rollback", model, "--reason", "bad canary", ...e);
    const json = await mlwatch("models", "show", model, "--json", ...e);
    // Assess
    expect(missingArtifact).toBe(2);
    expect(r1.stderr).toMatch(/^mlwatch models register: UNPROCESSABLE \(HTTP 422\): .+\n$/);
    expect(reg1.stdout).toBe(`registered ${model} 1.0.0 (development); artifact s3://${server.resources.bucket}/m/1.tar.gz [available]; metrics auc=0.8\n`);
    expect(reg2.stdout).toContain(`registered ${model} 1.1.0 (staging)`);
    expect(promote.stdout).toMatch(new RegExp(`^${model} 1\\.1\\.0: staging → production \\(archived 1\\.0\\.0\\); gate passed: `));
    expect(list.stdout).toMatch(/^model\s+production\s+staging\s+latest\s+versions\s+primary metric\s+updated \(UTC\)\n-+/);
    expect(list.stdout).toMatch(new RegExp(`${model}\\s+1\\.1\\.0\\s+-\\s+1\\.1\\.0\\s+2\\s+auc \\(higher\\)`));
    expect(show.stdout).toContain("production     1.1.0 (rollback would restore 1.0.0)");
    expect(show.stdout).toMatch(/1\.1\.0\s+production\s+0\.9\s+available/);
    expect(rollback.stdout).toBe(`${model}: production is 1.0.0 again (archived 1.1.0)\n`);
    expect(JSON.parse(json.stdout)).toMatchObject({ model, productionVersion: "1.0.0", versions: [{ version: "1.1.0", stage: "archived" }, { version: "1.0.0" }] });
  });

  it("sets a policy, requests and approves a promotion as two actors, moves an alias and tags a version", async () => {
    // Prepare
    const e = ["--endpoint", server.url];
    const model = `gov${randomBytes(3).toString("hex")}`;
    await fetch(`${server.endpoint}/${server.resources.bucket}/g/1.tar.gz`, { method: "PUT", body: "a" });
    await fetch(`${server.endpoint}/${server.resources.bucket}/g/2.tar.gz`, { method: "PUT", body: "b" });
    await mlwatch("models", "register", model, "--artifact-uri", `s3://${server.resources.bucket}/g/1.tar.gz`, "--version", "1.0.0", "--metrics", "auc=0.8", "--primary-metric", "auc", "--direction", "higher", "--stage", "staging", ...e);
    await mlwatch("models", "register", model, "--artifact-uri", `s3://${server.resources.bucket}/g/2.tar.gz`, "--version", "1.1.0", "--metrics", "auc=0.9", "--stage", "staging", ...e);
    const policyFile = join(dir, "policy.json");
    writeFileSync(policyFile, JSON.stringify({ gates: [{ metric: "auc", min: 0.85 }], requireApproval: ["production"] }));
    // Act
    const policy = await mlwatch("models", "policy", model, "--file", policyFile, ...e);
    const gated = await mlwatch("models", "promote", model, "1.0.0", "--to", "production", "--reason", "try", ...e);
    const pending = await mlwatch("models", "promote", model, "1.1.0", "--to", "production", "--reason", "Q3", "--actor", "alice", ...e);
    const approvals = await mlwatch("models", "approvals", model, "--state", "pending", ...e);
    const self = await mlwatch("models", "approve", model, "1.1.0", "--reason", "mine", "--actor", "alice", ...e);
    const approved = await mlwatch("models", "approve", model, "1.1.0", "--reason", "reviewed", "--actor", "bob", ...e);
    const alias = await mlwatch("models", "alias", model, "champion", "1.1.0", ...e);
    const shown = await mlwatch("models", "alias", model, "champion", ...e);
    const tag = await mlwatch("models", "tag", model, "1.1.0", "team=risk,ticket=R-1", ...e);
    const untag = await mlwatch("models", "tag", model, "1.1.0", "--remove", "ticket", ...e);
    const unalias = await mlwatch("models", "alias", model, "champion", "--delete", ...e);
    // Assess
    expect(policy.stdout).toContain("  auc: min 0.85\napproval needed  production\n");
    expect(gated.code).toBe(2);
    expect(gated.stderr).toMatch(/^mlwatch models promote: GATE_FAILED \(HTTP 409\): promotion gate failed: 1 of 1 policy gates failed: auc = 0.8 \(min 0.85\)/);
    expect(pending.stdout).toMatch(new RegExp(`^${model} 1\\.1\\.0: staging → production pending approval \\(\\d{17}-[0-9a-f]{12}, requested by alice\\)`));
    expect(approvals.stdout).toMatch(/1\.1\.0\s+staging → production\s+pending\s+alice\s+-/);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/FORBIDDEN \(HTTP 403\): alice requested this promotion and cannot approve it/);
    expect(approved.stdout).toBe(`${model} 1.1.0: approved by bob (requested by alice); staging → production\n`);
    expect(alias.stdout).toBe(`${model}: champion → 1.1.0\n`);
    expect(shown.stdout).toMatch(new RegExp(`^${model}: champion → 1\\.1\\.0 \\(production\\), set by local at `));
    expect(tag.stdout).toBe(`${model} 1.1.0: tags team=risk, ticket=R-1\n`);
    expect(untag.stdout).toBe(`${model} 1.1.0: tags team=risk\n`);
    expect(unalias.stdout).toBe(`${model}: alias champion deleted\n`);
  });

  it("reports a refusal, a bad usage and an unreachable API as one line on stderr with exit code 2", async () => {
    // Act
    const notFound = await mlwatch("models", "show", "no-such-model", "--endpoint", server.url);
    const usage = await mlwatch("models", "promote", "m", "1.0.0", "--endpoint", server.url);
    const unknown = await mlwatch("models", "list", "--colour", "--endpoint", server.url);
    const down = await mlwatch("models", "list", "--endpoint", "http://127.0.0.1:9");
    // Assess
    for (const r of [notFound, usage, unknown, down]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n")).toHaveLength(2);
    }
    expect(notFound.stderr).toMatch(/^mlwatch models show: NOT_FOUND \(HTTP 404\): .*no-such-model/);
    expect(usage.stderr).toBe("mlwatch models promote: promote needs --to STAGE and --reason TEXT\n");
    expect(unknown.stderr).toBe("mlwatch models list: unknown option --colour\n");
    expect(down.stderr).toMatch(/^mlwatch models list: GET \/models: no answer from http:\/\/127\.0\.0\.1:9 after 4 attempts .*is the API running/);
  });
});

describe("mlwatch drift check", () => {
  it("checks a CSV file against the active baseline, prints the table and saves the HTML report", async () => {
    // Prepare
    const model = `dc${randomBytes(3).toString("hex")}`;
    await fetch(`${server.url}/models/${model}/baselines`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ records: rows(300, 0) }) });
    const csv = join(dir, "current.csv");
    writeFileSync(csv, ["age,plan", ...rows(300, 25).map((r) => `${r.age},${r.plan}`)].join("\n"));
    const html = join(dir, "report.html");
    // Act
    const table = await mlwatchProcess("drift", "check", model, "--data", csv, "--html", html, "--endpoint", server.url);
    const failOn = await mlwatch("drift", "check", model, "--data", csv, "--fail-on-drift", "--json", "--endpoint", server.url);
    const local = await mlwatch("drift", "--help");
    // Assess
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^Drift DETECTED \\(HIGH\\) for ${model}: 1 of 2 features \\(50%\\), 300 rows vs baseline `));
    expect(table.stdout).toMatch(/\nage\s+num\s+YES\s+high\s+[\d.]+\s+[\de.-]+\s+0\.0%→0\.0%\n/);
    expect(table.stdout).toMatch(/\nhtml {3}s3:\/\/\S+\.html {2}\(http:\/\/127\.0\.0\.1:\d+\/models\/\S+\/report\.html\)\n/);
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>/);
    expect(failOn.code).toBe(1);
    expect(JSON.parse(failOn.stdout).report.features.age.driftDetected).toBe(true);
    expect(local.stdout).toContain("usage: mlwatch drift --baseline FILE --current FILE");
  });
});

describe("mlwatch performance report", () => {
  it("prints window metrics, days and the trend", async () => {
    // Prepare
    const model = `pf${randomBytes(3).toString("hex")}`;
    const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await post(`/models/${model}/versions`, { requestUpload: true, version: "1.0.0", primaryMetric: "rmse", direction: "lower" });
    await post(`/models/${model}/versions/1.0.0/batches`, { task: "regression", predictions: [1, 2, 3, 4], actuals: [1.5, 2, 3, 4] });
    // Act
    const out = await mlwatchProcess("performance", "report", model, "--days", "7", "--endpoint", server.url);
    const bad = await mlwatch("performance", "report", model, "--days", "week", "--endpoint", server.url);
    // Assess
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(new RegExp(`^${model}: 1 batches, 4 predictions, `));
    expect(out.stdout).toMatch(/\nrmse \*\s+0\.25\n/);
    expect(out.stdout).toContain("\ntrend: not enough data: a trend needs at least 3 batches with rmse; found 1\n");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('mlwatch performance report: --days must be a whole number, got "week"\n');
  });

  it("prints the estimate of predictions whose labels have not arrived, with --version", async () => {
    // Prepare: a labelled reference with scores (label ~ Bernoulli(score)), then an unlabelled batch
    const model = `pe${randomBytes(3).toString("hex")}`;
    const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await post(`/models/${model}/versions`, { requestUpload: true, version: "1.0.0", primaryMetric: "accuracy", direction: "higher" });
    const u = mulberry32(9);
    const scores = Array.from({ length: 600 }, () => Math.round(u() * 1000) / 1000);
    const predictions = scores.map((s) => (s >= 0.5 ? 1 : 0));
    await post(`/models/${model}/versions/1.0.0/batches`, { task: "classification", predictions, scores, actuals: scores.map((s) => (u() < s ? 1 : 0)) });
    await post(`/models/${model}/versions/1.0.0/batches`, { task: "classification", predictions: predictions.slice(0, 100), scores: scores.slice(0, 100) });
    // Act
    const out = await mlwatch("performance", "report", model, "--version", "1.0.0", "--endpoint", server.url);
    // Assess
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("estimated accuracy (labels not arrived yet; platt calibration; assumes no concept drift):");
    expect(out.stdout).toMatch(/\n\d{4}-\d{2}-\d{2}\s+100\s+0\.\d+\s+0\.\d+ – 0\.\d+\s+-/);
  });
});
