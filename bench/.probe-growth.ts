process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
const port = 45000 + Math.floor(Math.random() * 1000);
const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore", env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: "true" } });
const endpoint = `http://127.0.0.1:${port}`;
for (let i = 0; i < 600; i++) { try { await fetch(`${endpoint}/moto-api/`); break; } catch { await new Promise((r) => setTimeout(r, 200)); } }
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) / 1024;
const { startLocalServer } = await import("../lambdas/local/server.js");
const { s3Client } = await import("../lambdas/shared/aws.js");
const { PutObjectCommand } = await import("@aws-sdk/client-s3");
const server = await startLocalServer({ port: 0, host: "127.0.0.1", prefix: "probe", endpoint });
const base = server.url;
const call = async (method: string, path: string, body?: unknown) => { const r = await fetch(base + path, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined }); const t = await r.text(); if (r.status >= 300) console.log(method, path, r.status, t.slice(0, 200)); return r.status; };
await s3Client().send(new PutObjectCommand({ Bucket: server.resources.bucket, Key: "external/model.bin", Body: "weights" }));
const artifactUri = `s3://${server.resources.bucket}/external/model.bin`;
await call("POST", "/models/m/versions", { version: "1.0.0", artifactUri, primaryMetric: "rmse", direction: "lower", metrics: { rmse: 1 } });
const kind = process.argv[2] ?? "all";
const n = Number(process.argv[3] ?? 100);
let v = 0;
const kinds: Record<string, (i: number) => Promise<unknown>> = {
  versions: () => call("POST", "/models/m/versions", { version: `2.${++v}.0`, artifactUri, metrics: { rmse: 1 } }),
  batches: (i) => { const a = Array.from({ length: 200 }, (_, k) => 10 + ((k * 7 + i) % 23)); return call("POST", "/models/m/versions/1.0.0/batches", { task: "regression", actuals: a, predictions: a.map((x, k) => x + (k % 2 ? 0.5 : -0.5)) }); },
  events: (i) => call("POST", "/events", { type: "prediction_batch", model: "m", jobName: `job-${i}` }),
  health: () => call("GET", "/health"),
  get: () => call("GET", "/models/m"),
  tags: (i) => call("PUT", "/models/m/versions/1.0.0/tags", { tags: { k: String(i) } }),
};
await new Promise((r) => setTimeout(r, 1000));
console.log("start rss", rss().toFixed(1));
for (const k of kind === "all" ? Object.keys(kinds) : kind.split(",")) {
  const before = rss(); const t0 = performance.now();
  for (let i = 0; i < n; i++) await kinds[k](i);
  await new Promise((r) => setTimeout(r, 500));
  console.log(k, "n", n, "rss", rss().toFixed(1), "delta/req MB", ((rss() - before) / n).toFixed(3), "ms/req", ((performance.now() - t0) / n).toFixed(1));
}
await server.close(); child.kill();
