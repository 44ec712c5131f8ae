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
    [["baselines", "export", "m"], 'mlwatch baselines: unknown subcommand "export" (import-model-monitor)\n'],
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
