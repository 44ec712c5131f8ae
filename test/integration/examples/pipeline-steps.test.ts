/**
 * The pipeline examples run as a user runs them — python3 with the mlwatch package (examples/sagemaker_pipeline_step.py)
 * and tsx (examples/pipeline-step.ts) — against the local server, through a proxy that checks every
 * request's SigV4 signature (recomputed with client/sigv4.ts) before passing it on: both examples sign
 * as they would for the deployed API.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../../client/sigv4.js";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { emulatorEndpoint } from "../emulator.js";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "example-session-token" };
const region = "eu-west-1";

let server: LocalServer;
let proxy: Server;
let proxyUrl: string;
let dir: string;
const seen: { request: string; signed: boolean; valid: boolean }[] = [];

/** Recomputes the signature of a request from the headers it says it signed. */
async function signatureValid(method: string, url: URL, headers: Record<string, string>, body: string): Promise<boolean> {
  const auth = headers.authorization ?? "";
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/execute-api\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m || m[1] !== credentials.accessKeyId || m[3] !== region) return false;
  const names = m[4].split(";");
  const given: Record<string, string> = {};
  for (const n of names) if (!["host", "x-amz-date", "x-amz-security-token"].includes(n)) given[n] = headers[n];
  const time = headers["x-amz-date"];
  const now = new Date(`${time.slice(0, 4)}-${time.slice(4, 6)}-${time.slice(6, 8)}T${time.slice(9, 11)}:${time.slice(11, 13)}:${time.slice(13, 15)}Z`);
  const expected = await signRequest({ method, url, headers: given, body }, { credentials, region, now });
  return expected.authorization === auth && expected["x-amz-security-token"] === headers["x-amz-security-token"];
}

beforeAll(async () => {
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `ex-${randomBytes(4).toString("hex")}` });
  dir = mkdtempSync(join(tmpdir(), "mlwatch-examples-"));
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const signed = headers.authorization !== undefined;
      seen.push({ request: `${req.method} ${url.pathname}`, signed, valid: signed && (await signatureValid(req.method ?? "GET", url, headers, body)) });
      const forward: Record<string, string> = { ...headers };
      delete forward.host;
      delete forward["content-length"];
      void fetch(`${server.url}${req.url}`, { method: req.method, headers: forward, body: body === "" ? undefined : body }).then(async (answer) => {
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const address = proxy.address();
  proxyUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], ...(cwd ? { cwd } : {}) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const awsEnv = { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: credentials.sessionToken, AWS_REGION: region, AWS_DEFAULT_REGION: region };
const rows = (n: number, shift: number) => Array.from({ length: n }, (_, i) => ({ age: 30 + ((i * 7) % 40) + shift, plan: i % 3 === 0 ? "pro" : "basic" }));

describe("pipeline examples", () => {
  it("the Python SageMaker processing step registers a version, uploads its artifact and runs a drift check, every request signed", async () => {
    // Prepare
    const model = `py${randomBytes(3).toString("hex")}`;
    const artifact = join(dir, "model.tar.gz");
    writeFileSync(artifact, randomBytes(64));
    writeFileSync(join(dir, "evaluation.json"), JSON.stringify({ metrics: { auc: { value: 0.91 } } }));
    const toCsv = (r: ReturnType<typeof rows>) => ["age,plan", ...r.map((x) => `${x.age},${x.plan}`)].join("\n");
    writeFileSync(join(dir, "train.csv"), toCsv(rows(300, 0)));
    writeFileSync(join(dir, "current.csv"), toCsv(rows(300, 25)));
    const output = join(dir, "out", "mlwatch.json");
    seen.length = 0;
    // Act
    const result = await run(
      "python3",
      [
        "examples/sagemaker_pipeline_step.py",
        ...["--endpoint", proxyUrl, "--sign", "always", "--model", model, "--artifact-file", artifact],
        ...["--metrics-file", join(dir, "evaluation.json"), "--primary-metric", "auc", "--direction", "higher"],
        ...["--baseline-data", join(dir, "train.csv"), "--current-data", join(dir, "current.csv"), "--output", output],
      ],
      // The mlwatch package from the source tree (a pipeline image installs the wheel).
      { ...awsEnv, PYTHONPATH: join(process.cwd(), "python", "src") },
    );
    const version = await (await fetch(`${server.url}/models/${model}/versions/0.1.0`)).json();
    // Assess
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`registered ${model} 0.1.0 (development)`);
    expect(result.stdout).toMatch(/drift DETECTED \(high\): age; report s3:\/\/\S+\.html/);
    expect(JSON.parse(readFileSync(output, "utf8"))).toMatchObject({ model, version: "0.1.0", driftDetected: true, driftedFeatures: ["age"] });
    expect(version).toMatchObject({ metrics: { auc: 0.91 }, artifact: { status: "available", owned: true } });
    expect(seen.map((s) => s.request)).toEqual([
      `POST /models/${model}/versions`,
      `POST /models/${model}/versions/0.1.0/artifact/verify`,
      `POST /models/${model}/baselines`,
      `POST /models/${model}/drift-checks`,
    ]);
    expect(seen.every((s) => s.signed && s.valid)).toBe(true);
    expect(result.stdout).toContain(`summary written to ${output}\n`);
  });

  it("the Python step writes its summary under the current folder outside SageMaker, to the job's output folder inside", async () => {
    // Prepare: a scratch working folder, no --output
    const cwd = mkdtempSync(join(tmpdir(), "mlwatch-py-out-"));
    const model = `pyout${randomBytes(3).toString("hex")}`;
    const bucket = server.resources.bucket;
    await fetch(`${server.endpoint}/${bucket}/models/${model}.tar.gz`, { method: "PUT", body: "m" });
    try {
      // Act
      const result = await run(
        "python3",
        [join(process.cwd(), "examples", "sagemaker_pipeline_step.py"), "--endpoint", server.url, "--model", model, "--artifact-uri", `s3://${bucket}/models/${model}.tar.gz`, "--primary-metric", "auc", "--direction", "higher"],
        { ...awsEnv, PYTHONPATH: join(process.cwd(), "python", "src") },
        cwd,
      );
      const defaults = await run(
        "python3",
        ["-c", "import sys, tempfile; sys.path.insert(0, 'examples'); import sagemaker_pipeline_step as s; f = tempfile.NamedTemporaryFile(); print(s.default_output(f.name)); print(s.default_output('/nonexistent/processingjobconfig.json'))"],
        { ...awsEnv, PYTHONPATH: join(process.cwd(), "python", "src") },
      );
      // Assess
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("summary written to mlwatch-output/mlwatch.json\n");
      expect(JSON.parse(readFileSync(join(cwd, "mlwatch-output", "mlwatch.json"), "utf8"))).toMatchObject({ model, version: "0.1.0" });
      expect(defaults.stdout).toBe("/opt/ml/processing/output/mlwatch.json\nmlwatch-output/mlwatch.json\n");
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("the TypeScript step does the same with the typed client, signed with SigV4", async () => {
    // Prepare
    const model = `ts${randomBytes(3).toString("hex")}`;
    const artifactUri = `s3://${server.resources.bucket}/models/${model}/model.tar.gz`;
    await fetch(`${server.endpoint}/${server.resources.bucket}/models/${model}/model.tar.gz`, { method: "PUT", body: "model" });
    const jsonl = (r: ReturnType<typeof rows>) => r.map((x) => JSON.stringify(x)).join("\n");
    writeFileSync(join(dir, "metrics.json"), JSON.stringify({ auc: 0.88 }));
    writeFileSync(join(dir, "train.jsonl"), jsonl(rows(300, 0)));
    writeFileSync(join(dir, "current.jsonl"), jsonl(rows(300, 25)));
    seen.length = 0;
    // Act
    const result = await run(
      process.execPath,
      ["--import", "tsx", "examples/pipeline-step.ts", model, artifactUri, join(dir, "metrics.json"), join(dir, "train.jsonl"), join(dir, "current.jsonl")],
      { ...awsEnv, MLWATCH_ENDPOINT: proxyUrl, MLWATCH_AUTH: "sigv4" },
    );
    // Assess
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1); // drift detected
    expect(result.stdout).toContain(`registered ${model} 0.1.0 (development)`);
    expect(result.stdout).toMatch(/baseline \S+ \(300 rows\) is active/);
    expect(result.stdout).toMatch(/drift DETECTED \(high\): age \(PSI [\d.]+\)/);
    expect(seen.map((s) => s.request)).toEqual([`POST /models/${model}/versions`, `POST /models/${model}/baselines`, `POST /models/${model}/drift-checks`]);
    expect(seen.every((s) => s.signed && s.valid)).toBe(true);
  });
});
