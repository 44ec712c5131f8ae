/**
 * `mlwatch demo` as a user runs it — `node bin/mlwatch.js demo --endpoint URL` in a child process — against
 * the local server (random port, test emulator), then what it left behind, read through the API; and the
 * CLI's messages on that history, in-process (run-cli.ts) (whole counts, 404 for an unknown model, --force, --html, --follow,
 * failed checks).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlwatchClient } from "../../../client/index.js";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { runCli, runCliProcess, type CliRun } from "./run-cli.js";
import { emulatorEndpoint } from "../emulator.js";

let server: LocalServer;
let client: MlwatchClient;
let dir: string;
let demo: { code: number | null; stdout: string; stderr: string; ms: number };

function mlwatch(...args: string[]): Promise<CliRun> {
  return runCli(args, { MLWATCH_ENDPOINT: server.url });
}

beforeAll(async () => {
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `demo-${randomBytes(4).toString("hex")}` });
  client = new MlwatchClient({ endpoint: server.url });
  dir = mkdtempSync(join(tmpdir(), "mlwatch-demo-"));
  demo = await mlwatch("demo");
}, 90_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("mlwatch demo", () => {
  it("seeds in under a minute and prints where to look next", () => {
    expect(demo.stderr).toBe("");
    expect(demo.code).toBe(0);
    expect(demo.ms).toBeLessThan(60_000);
    expect(demo.stdout).toMatch(/\ndone in \d+\.\d s: 2 models, 6 versions, 7 drift checks \([3-7] drifted\), 15 performance batches, \d+ open alerts \(one more acknowledged\)\n/);
    expect(demo.stdout).toContain(`where to look next:\n  ${server.url}/ `);
    expect(demo.stdout).toMatch(/mlwatch performance report churn --days 8/);
  });

  it("leaves two models through the lifecycle: churn rolled back to 0.2.0, demand 0.2.0 in production and 0.3.0 in staging", async () => {
    const churn = await client.getModel("churn");
    const demand = await client.getModel("demand");
    const churnHistory = await client.getHistory("churn");
    expect(churn).toMatchObject({ productionVersion: "0.2.0", versionCount: 3 });
    expect(demand).toMatchObject({ productionVersion: "0.2.0", stagingVersions: ["0.3.0"], versionCount: 3 });
    const rollback = (churnHistory as any).items.find((h: any) => h.event === "rollback" && h.to === "production");
    expect(rollback).toMatchObject({ version: "0.2.0", actor: "demo", reason: "canary error rate doubled", details: { rolledBackFrom: "0.3.0" } });
    const versions = await client.listVersions("churn");
    expect(versions.items.map((v: any) => [v.version, v.stage, v.artifact.status])).toEqual([
      ["0.3.0", "archived", "available"],
      ["0.2.0", "production", "available"],
      ["0.1.0", "archived", "available"],
    ]);
  });

  it("leaves a baseline and a week of drift checks, the last ones drifted, each with its HTML report", async () => {
    const baselines = await client.listBaselines("churn");
    const checks = (await client.listDriftChecks("churn", { limit: 20 })).items;
    expect(baselines.items).toHaveLength(1);
    expect(checks).toHaveLength(7);
    // newest first: the last three days drift, the first three do not
    expect(checks.slice(0, 3).map((c: any) => c.driftDetected)).toEqual([true, true, true]);
    expect(checks.slice(4).map((c: any) => c.driftDetected)).toEqual([false, false, false]);
    const html = await client.getDriftReportHtml("churn", checks[0].checkId);
    expect(html).toMatch(/^<!doctype html>/);
  });

  it("leaves a week of performance batches in the past, and today's delayed ground truth degrading churn", async () => {
    const report = await client.performanceReport("churn", { days: 8 });
    expect(report.batchCount).toBe(8);
    expect(report.count).toBe(2400);
    expect(report.daily).toHaveLength(8);
    expect(report.trend).toMatchObject({ metric: "auc", direction: "degrading" });
    const first = report.daily[0].metrics.auc as number;
    const last = report.daily.at(-1)!.metrics.auc as number;
    expect(first - last).toBeGreaterThan(0.1);
    const demand = await client.performanceReport("demand", { days: 8 });
    expect(demand.batchCount).toBe(7);
  });

  it("leaves alerts in the inbox (data drift and performance, one acknowledged) and an audit trail", async () => {
    const all = (await client.listAlerts({ model: "churn" })).items;
    const audit = await client.listAudit({ model: "churn", limit: 100 });
    expect(new Set(all.map((a: any) => a.type))).toEqual(new Set(["data_drift", "performance_drift"]));
    expect(all.filter((a: any) => a.state === "acknowledged")).toHaveLength(1);
    const entries: any[] = audit.items;
    const types = new Set(entries.map((e: any) => e.type));
    for (const t of ["event.training_started", "event.training_completed", "event.custom"]) expect(types).toContain(t);
    expect(entries.length).toBeGreaterThan(10);
  });

  it("refuses to seed twice into the same models, with one line and exit code 2", async () => {
    // The real bin as a child process (the other commands here run in-process, run-cli.ts).
    const again = await runCliProcess(["demo"], { MLWATCH_ENDPOINT: server.url });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe("mlwatch demo: model churn already exists: run mlwatch demo against a fresh server (restart npm start) or give --prefix\n");
  });
});

describe("the CLI on the demo's history", () => {
  it("prints counts as whole numbers and gives an unknown model a 404 and exit code 2 in every command", async () => {
    const report = await mlwatch("performance", "report", "churn", "--days", "8");
    const unknown = await Promise.all([
      mlwatch("performance", "report", "no-such-model"),
      mlwatch("models", "show", "no-such-model"),
      mlwatch("models", "rollback", "no-such-model", "--reason", "x"),
      mlwatch("models", "promote", "no-such-model", "1.0.0", "--to", "staging", "--reason", "x"),
    ]);
    expect(report.stdout).toMatch(/^churn: 8 batches, 2400 predictions, /);
    expect(report.stdout).toMatch(/\ncount\s+2400\n/);
    for (const r of unknown) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^mlwatch [a-z ]+: (NOT_FOUND|MODEL_NOT_REGISTERED) \(HTTP 404\): .*no-such-model.*\n$/);
    }
  });

  it("names --force when the promotion gate refuses", async () => {
    await mlwatch("models", "register", "churn", "--artifact-uri", `s3://${server.resources.bucket}/artifacts/churn/0.1.0/model.tar.gz`, "--metrics", "auc=0.5", "--stage", "staging");
    const refused = await mlwatch("models", "promote", "churn", "0.4.0", "--to", "production", "--reason", "try");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^mlwatch models promote: GATE_FAILED \(HTTP 409\): promotion gate failed: .*; add --force to override \(the override is recorded\)\n$/);
    expect(refused.stderr).not.toContain("force: true");
  });

  it("says where --html wrote, follows an existing check with --follow, and says why a check failed", async () => {
    const csv = join(dir, "current.csv");
    writeFileSync(csv, ["age,income,plan", ...Array.from({ length: 200 }, (_, i) => `${50 + (i % 9)},${40_000 + i * 10},pro`)].join("\n"));
    const html = join(dir, "report.html");
    const checked = await mlwatch("drift", "check", "churn", "--data", csv, "--html", html);
    const latest = (await client.listDriftChecks("churn", { limit: 1 })).items[0];
    const followed = await mlwatch("drift", "check", "churn", "--follow", latest.checkId);
    // a check of S3 data that has no column of the baseline: accepted, then failed by the worker
    await fetch(`${server.endpoint}/${server.resources.bucket}/datasets/bad/current.csv`, { method: "PUT", body: "colour,size\nred,1\nblue,2\n" });
    const started = await mlwatch("drift", "check", "churn", "--data-uri", `s3://${server.resources.bucket}/datasets/bad/current.csv`);
    const checkId = /^check (\S+) is (pending|running)/.exec(started.stdout)?.[1];
    const failed = await mlwatch("drift", "check", "churn", "--follow", String(checkId));

    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(new RegExp(`\\nwrote the HTML report to ${html.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\n$`));
    expect(existsSync(html) && readFileSync(html, "utf8").startsWith("<!doctype html>")).toBe(true);
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(/^Drift DETECTED/);
    expect(followed.stdout).toContain(`check ${latest.checkId}`);
    expect(started.code).toBe(0);
    expect(started.stdout).toBe(`check ${checkId} is ${/is (\w+)/.exec(started.stdout)?.[1]}\nfollow it with: mlwatch drift check churn --follow ${checkId}\n`);
    expect(failed.code).toBe(2);
    expect(failed.stdout).toMatch(new RegExp(`^check ${checkId} failed: .+\\n$`));
    expect(failed.stdout).not.toContain("follow it with");
  });
});
