/**
 * The Python client as a user gets it: the wheel built by python/build_wheel.py (no network), installed into a
 * virtual environment with the system's site packages (botocore) — or, where python3-venv is missing, into a
 * target directory on PYTHONPATH — then driven against the local server, plain and signed through a proxy
 * that checks every SigV4 signature. The client's own unittest modules run against the installed wheel too,
 * one vitest test each, so `npm test` counts them.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { proxyCredentials, proxyRegion, startSigningProxy, type SigningProxy } from "../sigv4-proxy.js";
import { emulatorEndpoint } from "../emulator.js";

const root = process.cwd();
let dir: string;
let wheel: string;
let python: string;
let installEnv: NodeJS.ProcessEnv = {};
let installedWith: "venv" | "target";
let server: LocalServer;
let proxy: SigningProxy;

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = root): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...installEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Installs the wheel the way a new machine can: a venv over the system site packages, else pip --target. */
function install(): void {
  const venv = join(dir, "venv");
  const made = spawnSync("python3", ["-m", "venv", "--system-site-packages", venv], { encoding: "utf8" });
  if (made.status === 0 && existsSync(join(venv, "bin", "python"))) {
    python = join(venv, "bin", "python");
    // No --no-deps: pip must find the one dependency, botocore, among the system's packages — with no index.
    const pip = spawnSync(python, ["-m", "pip", "install", "--no-index", "--disable-pip-version-check", wheel], { encoding: "utf8" });
    if (pip.status !== 0) throw new Error(`pip install into the venv failed:\n${pip.stderr}`);
    installedWith = "venv";
    return;
  }
  const target = join(dir, "site");
  const pip = spawnSync("python3", ["-m", "pip", "install", "--no-index", "--no-deps", "--disable-pip-version-check", "--target", target, wheel], { encoding: "utf8" });
  if (pip.status !== 0) throw new Error(`pip install --target failed:\n${pip.stderr}`);
  python = "python3";
  installEnv = { PYTHONPATH: target };
  installedWith = "target";
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mlwatch-python-"));
  const built = spawnSync("python3", ["python/build_wheel.py", "--out", join(dir, "dist")], { cwd: root, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build_wheel.py failed:\n${built.stderr}`);
  wheel = built.stdout.trim();
  install();
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `py-${randomBytes(4).toString("hex")}` });
  proxy = await startSigningProxy(server.url);
  const rows = (n: number, shift: number): string =>
    ["age,plan,income", ...Array.from({ length: n }, (_, i) => `${30 + ((i * 7) % 40) + shift},${i % 3 === 0 ? "pro" : "basic"},${i % 10 === 0 ? "nan" : 1000 + i}`)].join("\n");
  writeFileSync(join(dir, "train.csv"), rows(300, 0));
  writeFileSync(join(dir, "current.csv"), rows(300, 25));
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const awsEnv = {
  AWS_ACCESS_KEY_ID: proxyCredentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: proxyCredentials.secretAccessKey,
  AWS_SESSION_TOKEN: proxyCredentials.sessionToken,
  AWS_REGION: proxyRegion,
  AWS_DEFAULT_REGION: proxyRegion,
};

describe("the mlwatch Python package", () => {
  it("is a py3-none-any wheel whose only dependency is botocore, imported from the install, not the source tree", async () => {
    // Act
    const result = await run(python, ["-c", "import importlib.metadata as m, mlwatch, json; print(json.dumps([m.requires('mlwatch'), m.version('mlwatch'), mlwatch.__file__]))"], {}, dir);
    // Assess
    expect(result.stderr).toBe("");
    expect(wheel).toMatch(/mlwatch-\d+\.\d+\.\d+-py3-none-any\.whl$/);
    const [requires, version, file] = JSON.parse(result.stdout) as [string[], string, string];
    expect(requires).toHaveLength(1);
    expect(requires[0]).toMatch(/^botocore\b/);
    expect(version).toBe((await import("../../../package.json", { with: { type: "json" } })).default.version);
    expect(file.startsWith(dir)).toBe(true);
    expect(["venv", "target"]).toContain(installedWith);
  });

  it("builds the same wheel twice, byte for byte", () => {
    // Act
    const again = spawnSync("python3", ["python/build_wheel.py", "--out", join(dir, "again")], { cwd: root, encoding: "utf8" });
    // Assess
    expect(again.status).toBe(0);
    expect(readdirSync(join(dir, "again"))).toEqual([wheel.split("/").pop()]);
    const a = spawnSync("sha256sum", [wheel, again.stdout.trim()], { encoding: "utf8" }).stdout.split("\n").map((l) => l.split(" ")[0]);
    expect(a[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(a[0]).toBe(a[1]);
  });

  for (const module of ["test_client", "test_records", "test_operations"]) {
    it(`passes its unittest module ${module} against the installed wheel`, async () => {
      // Act
      const result = await run(python, ["-m", "unittest", module], { MLWATCH_OPENAPI: join(root, "docs", "openapi.json") }, join(root, "python", "tests"));
      // Assess
      const ran = Number(/^Ran (\d+) tests? in /m.exec(result.stderr)?.[1] ?? 0);
      expect(result.stderr).toMatch(/^OK$/m);
      expect(result.code).toBe(0);
      expect(ran).toBeGreaterThan(0);
    });
  }

  const pipelineEnv = (model: string): NodeJS.ProcessEnv => ({ MODEL: model, EMULATOR: server.endpoint, BUCKET: server.resources.bucket, DATA_DIR: dir });

  function assessPipeline(out: any, model: string): void {
    expect(out.module.startsWith(dir)).toBe(true);
    expect(out.health).toBe("ok");
    expect(out.versions).toEqual(["0.1.0", "0.2.0"]);
    expect(out.production).toBe("0.2.0");
    expect(out.productionAfterRollback).toBe("0.1.0");
    expect(out.baseline).toMatchObject({ status: "ready", active: true, rows: 300 });
    expect(out.inlineCheck).toEqual({ status: "completed", driftDetected: true, drifted: ["age"] });
    expect(out.asyncCheck).toEqual({ first: "pending", final: "completed", driftDetected: true });
    expect(out.reportHtml).toMatch(/^<!doctype html>/i);
    expect(out.groundTruth).toMatchObject({ joined: 10 });
    expect(out.report).toEqual({ task: "regression", batchCount: 2, hasRmse: true });
    expect(out.errors.missingModel).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(out.errors.missingModel.message).toContain(`${model}-none`);
    expect(out.errors.badBody).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect(out.errors.badPromotion).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(out.nanRefused).toBe(true);
  }

  it("runs register → promote → rollback → baseline → drift checks (inline and S3, waited for) → batch → ground truth → report against the local server, unsigned", async () => {
    // Prepare
    const model = `pyc${randomBytes(3).toString("hex")}`;
    // Act
    const result = await run(python, [join(root, "test", "integration", "python", "pipeline.py")], { ...pipelineEnv(model), MLWATCH_ENDPOINT: server.url }, dir);
    // Assess
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.signing).toBe(false);
    assessPipeline(out, model);
  });

  it("signs every request with SigV4 through botocore when told to, and the proxy's recomputed signatures match", async () => {
    // Prepare
    const model = `pys${randomBytes(3).toString("hex")}`;
    proxy.seen.length = 0;
    // Act
    const result = await run(python, [join(root, "test", "integration", "python", "pipeline.py")], { ...pipelineEnv(model), ...awsEnv, MLWATCH_ENDPOINT: proxy.url, MLWATCH_SIGN: "1" }, dir);
    // Assess
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.signing).toBe(true);
    assessPipeline(out, model);
    expect(proxy.seen.length).toBeGreaterThan(20);
    expect(proxy.seen.filter((s) => !(s.signed && s.valid))).toEqual([]);
    expect(proxy.seen.map((s) => s.request)).toContain(`GET /models/${model}/performance`);
  });

  it("uploads an artifact from a file (stored bytes and sha256 are the file's), renews an upload URL, and records a baseline and a batch from files", async () => {
    // Prepare
    const model = `pyf${randomBytes(3).toString("hex")}`;
    // Act
    const result = await run(python, [join(root, "test", "integration", "python", "files.py")], { ...pipelineEnv(model), MLWATCH_ENDPOINT: server.url }, dir);
    // Assess
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.first).toEqual({ status: "available", sizeBytes: 200_000, recordedMatches: true, storedSize: 200_000, storedMatches: true });
    expect(out.second).toEqual({ status: "available", storedMatches: true });
    expect(out.renewAvailable).toEqual({ status: 409, code: "CONFLICT" });
    expect(out.baseline).toEqual({ status: "ready", rows: 300, features: ["age", "plan"] });
    expect(out.batch).toEqual({ task: "regression", count: 20, rmse: 0.5 });
    expect(out.missingColumn).toBe(`${join(dir, "batch.jsonl")} row 1 has no "label" (actual_column names the column)`);
  });

  it("raises ApiError 403 when the signature is wrong, and the proxy saw it refused", async () => {
    // Prepare
    proxy.seen.length = 0;
    const script = "import mlwatch\ntry:\n    mlwatch.Client(sign=True).list_models()\nexcept mlwatch.ApiError as e:\n    print(e.status, e.code, e.message)";
    // Act
    const result = await run(python, ["-c", script], { ...awsEnv, AWS_SECRET_ACCESS_KEY: "wrong", MLWATCH_ENDPOINT: proxy.url }, dir);
    // Assess
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("403 HTTP_403 The request signature we calculated does not match the signature you provided.");
    expect(proxy.seen).toEqual([{ request: "GET /models", signed: true, valid: false }]);
  });
});
