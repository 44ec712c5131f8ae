/**
 * `mlwatch baselines import-model-monitor` as a user runs it (child process) against the local server:
 * local files sent inline, s3:// URIs read by the worker, and the one-line errors with exit code 2.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { runCli, runCliProcess, type CliRun } from "./run-cli.js";
import { emulatorEndpoint } from "../emulator.js";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { settleAsyncJobs } from "../../../lambdas/shared/async-job.js";
import { EnvName } from "../../../lambdas/shared/env.js";

let server: LocalServer;
const model = `cli-mm-${randomBytes(3).toString("hex")}`;
const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/model-monitor/${name}`, import.meta.url));

function mlwatch(...args: string[]): Promise<CliRun> {
  return runCli([...args, "--endpoint", server.url]);
}

/** The real bin as a child process: one run per command family (the rest run in-process, run-cli.ts). */
function mlwatchProcess(...args: string[]): Promise<CliRun> {
  return runCliProcess([...args, "--endpoint", server.url]);
}

beforeAll(async () => {
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `climm-${randomBytes(4).toString("hex")}` });
});

afterAll(async () => {
  await server?.close();
});

describe("mlwatch baselines import-model-monitor", () => {
  it("imports local statistics.json and constraints.json, and the same documents from S3 with --wait", async () => {
    const local = await mlwatchProcess("baselines", "import-model-monitor", model, "--statistics", fixture("statistics.json"), "--constraints", fixture("constraints.json"));
    expect(local.stderr).toBe("");
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(new RegExp(`^${model}: baseline \\d{8}T\\d{9}Z-[0-9a-f]{6} ready \\(3 features from Model Monitor, active\\)\\n$`));

    for (const name of ["statistics.json", "constraints.json"]) {
      const body = await import("node:fs/promises").then((fs) => fs.readFile(fixture(name)));
      await fetch(`${server.endpoint}/${server.resources.bucket}/mm/${name}`, { method: "PUT", body });
    }
    const s3 = await mlwatch("baselines", "import-model-monitor", model, "--statistics", `s3://${server.resources.bucket}/mm/statistics.json`, "--constraints", `s3://${server.resources.bucket}/mm/constraints.json`, "--wait", "--json");
    expect(s3.code, s3.stderr).toBe(0);
    expect(JSON.parse(s3.stdout)).toMatchObject({ status: "ready", source: { kind: "model_monitor" } });
  });

  it.each([
    [["baselines", "import-model-monitor", "m", "--statistics", "x.json"], "mlwatch baselines: --statistics and --constraints are required\n"],
    [["baselines", "import-model-monitor", "m", "--statistics", "a.json", "--constraints", "s3://b/c.json"], "mlwatch baselines: give both documents as local files or both as s3:// URIs\n"],
    [["baselines", "import-model-monitor", "m", "--statistics", "/nonexistent/s.json", "--constraints", "/nonexistent/c.json"], "mlwatch baselines: --statistics: cannot read /nonexistent/s.json (ENOENT)\n"],
    [["baselines", "export", "m"], 'mlwatch baselines: unknown subcommand "export" (create, list, activate, import-model-monitor)\n'],
  ])("refuses %j with one line and exit code 2", async (args, message) => {
    const run = await mlwatch(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(message);
  });

  it("prints the API's refusal of a bad document on one line", async () => {
    const run = await mlwatch("baselines", "import-model-monitor", model, "--statistics", fixture("constraints.json"), "--constraints", fixture("constraints.json"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mlwatch baselines: .*modelMonitor\.statistics\.features\[0\]\.numerical_statistics: is required\n$/);
  });
});

describe("mlwatch baselines create|list|activate, performance record, ground-truth record", () => {
  it("creates baselines from a local file, lists and activates them; drift check without one names the command", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "mlwatch-cli-"));
    const data = join(dir, "data.csv");
    writeFileSync(data, ["age,plan", ...Array.from({ length: 60 }, (_, i) => `${20 + (i % 30)},${i % 3 === 0 ? "pro" : "free"}`)].join("\n"));
    const m = `cli-bl-${randomBytes(3).toString("hex")}`;

    const none = await mlwatch("drift", "check", m, "--data", data);
    expect([none.code, none.stderr]).toEqual([2, `mlwatch drift check: model "${m}" has no active baseline; create one with: mlwatch baselines create ${m} --data FILE (or --data-uri s3://…)\n`]);

    const first = await mlwatch("baselines", "create", m, "--data", data, "--categorical", "plan");
    expect(first.stderr).toBe("");
    expect(first.stdout).toMatch(new RegExp(`^${m}: baseline (\\S+) ready \\(60 rows, 2 features; active\\)\\n$`));
    const second = await mlwatch("baselines", "create", m, "--data", data, "--json");
    const secondId = JSON.parse(second.stdout).baselineId as string;
    expect(JSON.parse(second.stdout).active).toBe(false);

    const listed = await mlwatch("baselines", "list", m, "--json");
    expect(JSON.parse(listed.stdout)).toMatchObject({ nextToken: null, items: [{ baselineId: secondId, active: false }, { active: true }] });
    const activated = await mlwatch("baselines", "activate", m, secondId);
    expect(activated.stdout).toMatch(new RegExp(`^${m}: baseline ${secondId} is active \\(was \\S+\\)\\n$`));
    const table = await mlwatch("baselines", "list", m);
    expect(table.stdout.split("\n")[2]).toMatch(new RegExp(`^${secondId} \\*\\s+ready\\s+60\\s+2\\s+inline`));
    const checked = await mlwatch("drift", "check", m, "--data", data, "--json");
    expect(JSON.parse(checked.stdout).baselineId).toBe(secondId);
  });

  it("records a batch from a local file and joins ground truth to logged predictions", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "mlwatch-cli-"));
    const m = `cli-perf-${randomBytes(3).toString("hex")}`;
    expect((await mlwatch("models", "register", m, "--artifact-uri", "s3://nowhere/x", "--version", "1.0.0")).code).toBe(2); // an artifact that does not exist is refused
    await fetch(`${server.url}/models/${m}/versions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ requestUpload: true, version: "1.0.0", primaryMetric: "accuracy", direction: "higher" }) });
    const batch = join(dir, "batch.csv");
    writeFileSync(batch, ["prediction,actual", ...Array.from({ length: 20 }, (_, i) => `${i % 2},${i % 4 === 0 ? 1 : i % 2}`)].join("\n"));

    const recorded = await mlwatch("performance", "record", m, "1.0.0", "--data", batch, "--json");
    expect(recorded.stderr).toBe("");
    expect(JSON.parse(recorded.stdout)).toMatchObject({ task: "classification", count: 20, metrics: { accuracy: 0.75 } });
    const badTask = await mlwatch("performance", "record", m, "1.0.0", "--data", batch, "--task", "clustering");
    expect([badTask.code, badTask.stderr]).toEqual([2, 'mlwatch performance record: --task must be regression or classification, got "clustering"\n']);
    const noColumn = await mlwatch("performance", "record", m, "1.0.0", "--data", batch, "--actual-column", "label");
    expect([noColumn.code, noColumn.stderr]).toEqual([2, `mlwatch performance record: ${batch} row 1 has no "label" (--actual-column names the column)\n`]);

    const logged = await fetch(`${server.url}/models/${m}/versions/1.0.0/predictions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ task: "classification", records: [{ id: "a", prediction: 1 }, { id: "b", prediction: 0 }] }) });
    expect(logged.status, await logged.clone().text()).toBe(201);
    const truth = join(dir, "truth.jsonl");
    writeFileSync(truth, '{"id":"a","actual":1}\n{"id":"b","actual":1}\n{"id":"zz","actual":0}\n');
    const joined = await mlwatch("ground-truth", "record", m, "--data", truth);
    expect(joined.stderr).toBe("");
    expect(joined.stdout).toMatch(new RegExp(`^${m}: 2 of 3 joined; 1 unknown ids, 0 already joined; batches 1\\.0\\.0:\\S+\\n$`));
  });

  it("joins Model Monitor's files: within the bound at once; above it prints the worker's job, or waits for it with --wait", async () => {
    const m = `cli-gt-${randomBytes(3).toString("hex")}`;
    await fetch(`${server.url}/models/${m}/versions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ requestUpload: true, version: "1.0.0", primaryMetric: "accuracy", direction: "higher" }) });
    const bucket = server.resources.bucket;
    const capture = [0.9, 0.2, 0.7].map((p, i) => JSON.stringify({ captureData: { endpointOutput: { observedContentType: "text/csv", mode: "OUTPUT", data: String(p), encoding: "CSV" } }, eventMetadata: { eventId: `e-${i}`, inferenceTime: new Date().toISOString() }, eventVersion: "0" }));
    const truth = [1, 0, 0].map((l, i) => JSON.stringify({ groundTruthData: { data: String(l), encoding: "CSV" }, eventMetadata: { eventId: `e-${i}` }, eventVersion: "0" }));
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: `capture/${m}/a.jsonl`, Body: capture.join("\n") }));
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: `truth/${m}/a.jsonl`, Body: truth.join("\n") }));
    const args = ["ground-truth", "record", m, "--data-uri", `s3://${bucket}/truth/${m}/`, "--capture-uri", `s3://${bucket}/capture/${m}/`, "--version", "1.0.0", "--probability-threshold", "0.5"];

    const inline = await mlwatch(...args);
    expect([inline.code, inline.stderr]).toEqual([0, ""]);
    expect(inline.stdout).toMatch(new RegExp(`^${m} 1\\.0\\.0: 3 matched; unmatched: 0 ground truth, 0 captures; batch \\S+\\n$`));
    process.env[EnvName.groundTruthInlineBytes] = "0";
    try {
      const pending = await mlwatch(...args);
      expect(pending.stdout).toMatch(new RegExp(`^${m} 1\\.0\\.0: join job \\S+ pending in the worker \\(2 objects, \\d+ bytes\\); read it with GET /models/${m}/performance/ground-truth-jobs/\\S+, or run again with --wait\\n$`));
      const waited = await mlwatch(...args, "--wait");
      expect([waited.code, waited.stderr]).toEqual([0, ""]);
      expect(waited.stdout).toMatch(new RegExp(`^${m} 1\\.0\\.0: join job \\S+ completed: 3 matched; unmatched: 0 ground truth, 0 captures; batch \\S+\\n$`));
    } finally {
      delete process.env[EnvName.groundTruthInlineBytes];
      await settleAsyncJobs();
    }
    const incomplete = await mlwatch("ground-truth", "record", m, "--data-uri", `s3://${bucket}/truth/${m}/`, "--version", "1.0.0");
    expect([incomplete.code, incomplete.stderr]).toEqual([2, "mlwatch ground-truth record: --data-uri needs --capture-uri S3URI and --version X.Y.Z\n"]);
  });
});
