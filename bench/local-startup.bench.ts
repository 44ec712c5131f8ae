/**
 * Local mode start-up: from `node bin/mlwatch.js serve` to the first answered `GET /health`
 * (emulator start, resource creation, server listen), five runs, and a check that no emulator
 * process outlives the server.
 *
 *   npx tsx bench/local-startup.bench.ts
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { freePort } from "../lambdas/local/emulator.js";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const cli = join(process.cwd(), "bin", "mlwatch.js");

async function once(): Promise<{ ms: number; orphan: boolean }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  delete env.AWS_ENDPOINT_URL;
  const started = performance.now();
  const child = spawn(process.execPath, [cli, "serve"], { env, stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  let ms = NaN;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) {
        ms = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const emulatorPort = /embedded emulator at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
  const orphan = emulatorPort ? await fetch(`http://127.0.0.1:${emulatorPort}/moto-api/`).then(() => true, () => false) : false;
  return { ms, orphan };
}

const times: number[] = [];
let orphans = 0;
for (let i = 0; i < runs; i++) {
  const r = await once();
  times.push(r.ms);
  if (r.orphan) orphans++;
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(`local start-up to first GET /health 200, ${runs} runs: min ${sorted[0].toFixed(0)} ms, median ${median.toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms; emulators left running after SIGTERM: ${orphans}`);
if (!(sorted[sorted.length - 1] < 10_000) || orphans > 0) process.exitCode = 1;
