/**
 * `mlwatch serve` as a user runs it: a real process, a real emulator, a real port, a real signal.
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../lambdas/local/emulator.js";

const cli = join(process.cwd(), "bin", "mlwatch.js");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("mlwatch serve", () => {
  it("serves GET /health with the embedded emulator, prints one line for the request, and leaves no emulator behind on SIGTERM", async () => {
    // Prepare
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    delete env.AWS_ENDPOINT_URL;
    const child = spawn(process.execPath, [cli, "serve", "--log-format", "text"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    try {
      // Act: wait for the one startup line, then ask for health
      const deadline = Date.now() + 60_000;
      while (!stdout.includes("listening") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toContain(`mlwatch listening on http://127.0.0.1:${port}`);
      const emulatorPort = Number(/embedded emulator at http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
      expect(emulatorPort).toBeGreaterThan(0);
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      const body = (await res.json()) as any;
      // Assess
      expect(res.status).toBe(200);
      expect(body.status).toBe("ok");
      expect(Object.values(body.dependencies).every((d: any) => d.ok)).toBe(true);
      const emulatorUp = await fetch(`http://127.0.0.1:${emulatorPort}/moto-api/`).then((r) => r.ok, () => false);
      expect(emulatorUp).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toMatch(/\n\d\d:\d\d:\d\d\.\d{3} GET {4}\/health 200 \d+(\.\d)? ms\n/);

      // Act: stop it the way Ctrl-C / a process manager does
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      // Assess: the emulator went with it
      const emulatorAfter = await fetch(`http://127.0.0.1:${emulatorPort}/moto-api/`).then((r) => r.ok, () => false);
      expect(emulatorAfter).toBe(false);
    } finally {
      if (child.pid && alive(child.pid)) child.kill("SIGKILL");
    }
  });

  it("prints JSON lines when stdout is not a terminal: the start, each request, and an alert as it is raised", async () => {
    // Prepare: stdout is a pipe here, and no --log-format is given
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    delete env.AWS_ENDPOINT_URL;
    const child = spawn(process.execPath, [cli, "serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!stdout.includes("listening") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      // Act: a request, and a drifted check that raises an alert
      await fetch(`http://127.0.0.1:${port}/health`);
      const post = (path: string, body: unknown) => fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const rows = (shift: number) => Array.from({ length: 300 }, (_, i) => ({ age: 30 + ((i * 7) % 40) + shift }));
      await post("/models/console/baselines", { records: rows(0) });
      await post("/models/console/drift-checks", { records: rows(25) });
      await new Promise((r) => setTimeout(r, 200));
      const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      // Assess: every line is one JSON object
      expect(lines[0]).toMatchObject({ type: "listening", url: `http://127.0.0.1:${port}`, startedEmulator: true });
      expect(lines).toContainEqual(expect.objectContaining({ type: "request", method: "GET", path: "/health", status: 200 }));
      expect(lines).toContainEqual(expect.objectContaining({ type: "request", method: "POST", path: "/models/console/drift-checks", status: 201 }));
      expect(lines).toContainEqual(expect.objectContaining({ type: "alert", alertType: "data_drift", model: "console", repeat: false, delivery: "sent" }));
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("exits 2 with one line naming pip, the project venv and the Docker image when moto_server is missing and cannot be installed", () => {
    // Prepare: a PATH with only node (no moto_server, no python3), and an empty project home (no venv)
    const home = mkdtempSync(join(tmpdir(), "mlwatch-home-"));
    mkdirSync(join(home, "bin"));
    symlinkSync(process.execPath, join(home, "bin", "node"));
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: join(home, "bin"), PORT: "0", MLWATCH_HOME: home };
    delete env.AWS_ENDPOINT_URL;
    // Act
    const run = spawnSync(process.execPath, [cli, "serve"], { env, encoding: "utf8", timeout: 60_000 });
    // Assess
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('pip install "moto[server]==5.2.1"');
    expect(lines[0]).toContain(join(home, "venv"));
    expect(lines[0]).toContain("motoserver/moto:5.2.1");
    expect(lines[0]).toContain("AWS_ENDPOINT_URL");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    rmSync(home, { recursive: true, force: true });
  });

  it("exits 2 on an invalid PORT", () => {
    const run = spawnSync(process.execPath, [cli, "serve"], { env: { ...process.env, PORT: "http" }, encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('mlwatch serve: PORT must be a TCP port number, got "http"');
  });

  it("answers an unknown command with exit 2 and one line", () => {
    const run = spawnSync(process.execPath, [cli, "frobnicate"], { encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('mlwatch: unknown command "frobnicate"; run "mlwatch help" for the list');
  });
});
