/**
 * `mlwatch retrain` and `mlwatch retraining-policy` as a user runs them (child process) against the local
 * server (random port, test emulator).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { runCli, runCliProcess, type CliRun } from "./run-cli.js";
import { emulatorEndpoint } from "../emulator.js";

let server: LocalServer;
const model = `cli-rt-${randomBytes(3).toString("hex")}`;

function mlwatch(...args: string[]): Promise<CliRun> {
  return runCli([...args, "--endpoint", server.url]);
}

/** The real bin as a child process: one run per command family (the rest run in-process, run-cli.ts). */
function mlwatchProcess(...args: string[]): Promise<CliRun> {
  return runCliProcess([...args, "--endpoint", server.url]);
}

beforeAll(async () => {
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `clirt-${randomBytes(4).toString("hex")}` });
  await fetch(`${server.endpoint}/${server.resources.bucket}/m/1.tar.gz`, { method: "PUT", body: "a" });
  const res = await fetch(`${server.url}/models/${model}/versions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ version: "1.0.0", artifactUri: `s3://${server.resources.bucket}/m/1.tar.gz`, primaryMetric: "auc", direction: "higher" }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
});

afterAll(async () => {
  await server?.close();
});

describe("mlwatch retrain / retraining-policy", () => {
  it("requests retraining and changes the policy key by key", async () => {
    // Act
    const retrain = await mlwatchProcess("retrain", model, "--reason", "labels refreshed");
    const set = await mlwatchProcess("retraining-policy", model, "--set", "onDriftPsiAbove=0.2", "--set", "everyHours=168", "--json");
    const change = await mlwatch("retraining-policy", model, "--set=everyHours=off", "--set", "minHoursBetween=6");
    const show = await mlwatch("retraining-policy", model);
    // Assess
    expect(retrain).toMatchObject({ code: 0, stderr: "" });
    expect(retrain.stdout).toMatch(new RegExp(`^${model}: retraining requested \\(rt-\\d{14}-[0-9a-f]{12}, event [\\w-]+\\)\\n$`));
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ model, onDriftPsiAbove: 0.2, schedule: { everyHours: 168 }, minHoursBetween: 24 });
    expect(change.code).toBe(0);
    expect(show.stdout).toContain("on drift PSI above           0.2");
    expect(show.stdout).toContain("schedule                     off");
    expect(show.stdout).toContain("once per 6 h");
  });

  it("fails with one stderr line and exit 2", async () => {
    const cases = [
      await mlwatch("retrain", model),
      await mlwatch("retrain", "nobody", "--reason", "x"),
      await mlwatch("retraining-policy", model, "--set", "psi=0.2"),
      await mlwatch("retraining-policy", model, "--set", "onDriftPsiAbove=lots"),
    ];
    for (const r of cases) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(cases[0].stderr).toBe("mlwatch retrain: --reason is required\n");
    expect(cases[1].stderr).toBe("mlwatch retrain: NOT_FOUND (HTTP 404): model nobody does not exist\n");
    expect(cases[2].stderr).toMatch(/unknown key "psi"/);
    expect(cases[3].stderr).toMatch(/^mlwatch retraining-policy: VALIDATION_ERROR \(HTTP 400\): .*onDriftPsiAbove/);
  });
});
