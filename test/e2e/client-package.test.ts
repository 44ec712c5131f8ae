/**
 * `@mlwatch/client` as a user gets it: built by scripts/package-client.mjs, installed from its tarball
 * into a folder of its own (dependencies from this repository's node_modules, no network), imported by
 * plain Node (no TypeScript loader) against the local server, and type-checked by a strict NodeNext
 * consumer (`skipLibCheck: false`, `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`).
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../lambdas/local/server.js";
import { buildClientPackage, installOffline } from "./package-install.js";
import { emulatorEndpoint } from "../integration/emulator.js";

const repoRoot = new URL("../../", import.meta.url).pathname;
let scratch: string;
let app: string;
let server: LocalServer;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "mlwatch-client-package-"));
  app = join(scratch, "app");
  const tarball = buildClientPackage(join(scratch, "dist"));
  const manifest = JSON.parse(readFileSync(join(repoRoot, "build", "client", "package.json"), "utf8")) as { dependencies: Record<string, string> };
  installOffline(app, tarball, Object.keys(manifest.dependencies));
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `pkg-${randomBytes(4).toString("hex")}` });
}, 150_000);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("@mlwatch/client from its tarball", () => {
  it("installs the client and what signing needs, nothing of the server", () => {
    // Act
    const installed = readdirSync(join(app, "node_modules"), { withFileTypes: true }).flatMap((e) =>
      e.name.startsWith("@") ? readdirSync(join(app, "node_modules", e.name)).map((n) => `${e.name}/${n}`) : e.name.startsWith(".") ? [] : [e.name],
    );
    const shipped = readdirSync(join(app, "node_modules", "@mlwatch", "client"), { recursive: true }).map(String).sort();
    // Assess
    expect(installed.sort()).toEqual(["@mlwatch/client", "@smithy/core", "@smithy/signature-v4", "@smithy/types", "tslib"]);
    expect(shipped).toEqual(expect.arrayContaining(["bin/mlwatch.mjs", "dist/index.js", "dist/index.d.ts", "dist/api-types.d.ts", "operations.json", "package.json"]));
    expect(shipped.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(shipped.join(" ")).not.toMatch(/lambdas|zod|hono/);
  });

  it("is imported by plain Node and calls the local server", async () => {
    // Prepare
    const model = `pkg${randomBytes(3).toString("hex")}`;
    writeFileSync(
      join(app, "use.mjs"),
      `import { MlwatchApiError, MlwatchClient, ApiErrorCode } from "@mlwatch/client";
const client = new MlwatchClient({ retryBaseMs: 10 });
const model = ${JSON.stringify(model)};
const rows = (n, shift) => Array.from({ length: n }, (_, i) => ({ age: 30 + ((i * 7) % 40) + shift, plan: i % 3 === 0 ? "pro" : "basic" }));
const health = await client.health();
const v = await client.registerVersion(model, { requestUpload: true, version: "1.0.0", metrics: { auc: 0.8 }, primaryMetric: "auc", direction: "higher" });
const shown = await client.getModel(model);
await client.createBaseline(model, { records: rows(200, 0) });
const check = await client.checkDrift(model, { records: rows(200, 25) });
const event = await client.recordEvent({ type: "training_completed", model, jobName: "job-1" });
const audit = await client.listAudit({ model, limit: 10 });
const missing = await client.getModel("no-such-model").catch((e) => e);
console.log(JSON.stringify({
  auth: client.auth, health: health.status, version: v.version, uploadUrl: typeof v.upload?.url, shown: shown.model,
  drift: check.driftDetected, event: event.type, audited: audit.items.some((e) => e.id === event.id),
  error: missing instanceof MlwatchApiError ? [missing.status, missing.code, missing.code === ApiErrorCode.notFound] : String(missing),
}));
`,
    );
    // Act: the system's node, no loader, no flags (asynchronously: the server answers from this process)
    const run = await promisify(execFile)("node", ["use.mjs"], { cwd: app, env: { ...process.env, MLWATCH_ENDPOINT: server.url, NODE_OPTIONS: "" }, encoding: "utf8", timeout: 30_000 });
    // Assess
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      auth: "none",
      health: "ok",
      version: "1.0.0",
      uploadUrl: "string",
      shown: model,
      drift: true,
      event: "event.training_completed",
      audited: true,
      error: [404, "NOT_FOUND", true],
    });
  });

  it("creates a baseline and records a batch from local files (CSV, JSON Lines), as the command line and the Python client do", async () => {
    // Prepare
    const model = `pkgfile${randomBytes(3).toString("hex")}`;
    writeFileSync(join(app, "training.csv"), ["id,age,plan", ...Array.from({ length: 40 }, (_, i) => `${i},${20 + (i % 30)},"${i % 3 === 0 ? "pro, yearly" : "free"}"`)].join("\n"));
    writeFileSync(join(app, "scored.jsonl"), Array.from({ length: 8 }, (_, i) => JSON.stringify({ prediction: i % 2, actual: i % 4 === 0 ? 1 : i % 2, score: i % 2 ? 0.9 : 0.2 })).join("\n"));
    writeFileSync(
      join(app, "files.mjs"),
      `import { MlwatchClient, MlwatchFileError } from "@mlwatch/client";
const client = new MlwatchClient({ retryBaseMs: 10 });
const model = ${JSON.stringify(model)};
await client.registerVersion(model, { requestUpload: true, version: "1.0.0", primaryMetric: "accuracy", direction: "higher" });
const baseline = await client.createBaselineFromFile(model, "training.csv", { exclude: ["id"], categorical: ["plan"] });
const batch = await client.recordBatchFromFile(model, "1.0.0", "scored.jsonl");
const missing = await client.recordBatchFromFile(model, "1.0.0", "scored.jsonl", { actualColumn: "label" }).catch((e) => e);
console.log(JSON.stringify({
  baseline: [baseline.status, baseline.active, baseline.rows, baseline.features],
  batch: [batch.task, batch.count, batch.metrics.accuracy, typeof batch.metrics.auc],
  missing: [missing instanceof MlwatchFileError, missing.message],
}));
`,
    );
    // Act
    const run = await promisify(execFile)("node", ["files.mjs"], { cwd: app, env: { ...process.env, MLWATCH_ENDPOINT: server.url, NODE_OPTIONS: "" }, encoding: "utf8", timeout: 30_000 });
    // Assess
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      baseline: ["ready", true, 40, { age: "numerical", plan: "categorical" }],
      batch: ["classification", 8, 0.75, "number"],
      missing: [true, 'scored.jsonl row 1 has no "label" (actualColumn names the column)'],
    });
  });

  it("carries the mlwatch command line as its bin: the API commands against the local server, and serve says where it runs", async () => {
    // Prepare
    const bin = join(app, "node_modules", ".bin", "mlwatch");
    const env = { ...process.env, MLWATCH_ENDPOINT: server.url, NODE_OPTIONS: "" };
    const model = `pkgcli${randomBytes(3).toString("hex")}`;
    const run = (...args: string[]) => promisify(execFile)(bin, args, { cwd: app, env, encoding: "utf8", timeout: 30_000 }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
    writeFileSync(join(app, "model.tar.gz"), "not really a model");
    // Act
    const help = await run("help");
    const registered = await run("models", "register", model, "--artifact", "model.tar.gz", "--version", "1.0.0", "--metrics", "auc=0.8", "--primary-metric", "auc", "--direction", "higher");
    const missing = await run("models", "show", "no-such-model");
    const serve = await run("serve");
    // Assess
    expect(help.stdout).toMatch(/^usage: mlwatch <command>/);
    expect(help.stdout).not.toMatch(/^\s+serve\b/m);
    expect(help.stdout).toMatch(/^\s+baselines create\|list\|activate/m);
    expect(registered.stdout).toBe(`registered ${model} 1.0.0 (development); artifact s3://${server.resources.bucket}/artifacts/${model}/1.0.0/model.tar.gz [available]; metrics auc=0.8\n`);
    expect([missing.code, missing.stderr]).toEqual([2, "mlwatch models show: NOT_FOUND (HTTP 404): model no-such-model does not exist\n"]);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toMatch(/^mlwatch serve: the local server runs from a checkout of the mlwatch repository/);
  });

  it("type-checks in a strict NodeNext project (skipLibCheck off, exactOptionalPropertyTypes, noUncheckedIndexedAccess)", () => {
    // Prepare: correct uses, and misuses each marked @ts-expect-error (tsc fails when one is not an error)
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          noEmit: true,
          types: ["node"],
          typeRoots: [join(repoRoot, "node_modules", "@types")],
        },
        files: ["consumer.ts"],
      }),
    );
    writeFileSync(
      join(app, "consumer.ts"),
      `import { MlwatchApiError, MlwatchClient, type Answer, type Body, type DriftCheck, type RegisteredVersion } from "@mlwatch/client";
const client = new MlwatchClient({ endpoint: process.env.MLWATCH_ENDPOINT, region: undefined });
export async function main(): Promise<void> {
  const v: RegisteredVersion = await client.registerVersion("churn", { artifactUri: "s3://b/k", metrics: { auc: 0.9 } });
  const input: Body<"checkDrift"> = { records: [{ age: 1 }], thresholds: { psi: 0.3 } };
  const check: DriftCheck = await client.checkDrift("churn", input);
  const feature = check.report?.features["age"];
  const psi: number | undefined = feature?.tests.psi?.value;
  const page: Answer<"listModels"> = await client.listModels({ limit: 10 });
  const first: string | undefined = page.items[0]?.model;
  await client.promote("churn", v.version, { stage: "staging", reason: "ok" });
  // @ts-expect-error not a stage
  await client.promote("churn", v.version, { stage: "prod", reason: "ok" });
  // @ts-expect-error strict bodies: no unknown field
  await client.rollback("churn", { reason: "x", force: true });
  // @ts-expect-error with noUncheckedIndexedAccess an element may be missing
  const model: string = page.items[0].model;
  try {
    await client.getModel("nope");
  } catch (err) {
    if (err instanceof MlwatchApiError) console.log(err.status, err.code, err.requestId ?? "", psi, first, model);
  }
}
`,
    );
    // Act
    let output = "";
    let status = 0;
    try {
      execFileSync(process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", join(app, "tsconfig.json")], { cwd: app, encoding: "utf8" });
    } catch (err) {
      const e = err as { status: number; stdout: string };
      status = e.status;
      output = e.stdout;
    }
    // Assess
    expect(output).toBe("");
    expect(status).toBe(0);
  });
});
