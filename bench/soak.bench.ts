/**
 * Soak of local mode: `mlwatch serve` (its embedded emulator included) under 20,000 mixed requests from
 * one client, loopback only, a bounded loop with a fixed number of requests in flight. Every 1,000
 * requests it records the emulator's resident memory (read from `GET /health`, which reports it) and the
 * window's p50/p95/max latency and the CPU time the emulator and the server used (the machine may be shared:
 * wall time is then mostly waiting for a core); at the end it says whether the goals held: emulator under
 * 2 GB, p95 flat (last window within 1.5× the second; the first warms up), no 5xx.
 *
 *   npm run bench -- soak                      (BENCH_REQUESTS, BENCH_CONCURRENCY override 20000 and 8)
 *   BENCH_EMULATOR=unpatched npm run bench -- soak
 *       the same traffic against a moto_server the benchmark starts itself without lambdas/local/moto-patch.ts
 *       (AWS_ENDPOINT_URL), to show what the patch bounds; its memory is read from /proc.
 *
 * Figures go to bench/.data/soak-result.json; bench/README.md quotes them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const total = Number(process.env.BENCH_REQUESTS ?? 20_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const windowSize = 1000;
const unpatched = process.env.BENCH_EMULATOR === "unpatched";
if (!Number.isInteger(total) || total < windowSize || total > 200_000) throw new Error("BENCH_REQUESTS must be an integer in [1000, 200000]");

/** Resident memory of a process from /proc, bytes (the unpatched run's emulator; /health reports the embedded one). */
function rssOf(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return kb ? Number(kb[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** User + system CPU seconds of a process from /proc (null when gone). */
function cpuOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await (await fetch(url, { signal: AbortSignal.timeout(2000) })).arrayBuffer();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// Prepare: an unpatched emulator when asked, then `mlwatch serve` on a free port.
let moto: ChildProcess | undefined;
const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", POWERTOOLS_LOG_LEVEL: "ERROR" };
delete env.AWS_ENDPOINT_URL;
if (unpatched) {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  moto = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore", env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: "true" } });
  await waitFor(`http://127.0.0.1:${port}/moto-api/`, 300_000);
  Object.assign(env, { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
}
const serve = spawn(process.execPath, [join(here, "..", "bin", "mlwatch.js"), "serve", "--log-format", "json"], { env, stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise<string>((resolve, reject) => {
  const lines = createInterface({ input: serve.stdout as NodeJS.ReadableStream });
  const timer = setTimeout(() => reject(new Error("mlwatch serve did not listen within 120 s")), 120_000);
  lines.on("line", (line) => {
    // One line per request follows; only the first ("listening") is read, the rest is drained.
    if (line.includes('"listening"')) {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    }
  });
  serve.once("exit", (code) => reject(new Error(`mlwatch serve exited with ${code}`)));
});
const stopAll = async (): Promise<void> => {
  serve.kill("SIGTERM");
  await new Promise((r) => serve.once("exit", r));
  moto?.kill("SIGTERM");
};

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json, ms };
}

/** The emulator's pid, as /health reports it (the embedded one) or as started here (the unpatched one). */
let emulatorPid: number | undefined = moto?.pid;
/** The emulator's RSS: from /health for the embedded one (the product's own report), /proc for the unpatched one. */
async function emulatorRss(): Promise<number | null> {
  if (moto?.pid !== undefined) return rssOf(moto.pid);
  const health = await call("GET", "/health");
  emulatorPid ??= health.json?.emulator?.pid as number | undefined;
  return (health.json?.emulator?.rssBytes as number | undefined) ?? null;
}

/** The Node server's own RSS (the `mlwatch serve` process), MB, from /proc. */
const serverRss = (): number | null => {
  const bytes = serve.pid === undefined ? null : rssOf(serve.pid);
  return bytes === null ? null : Math.round(bytes / 1048576);
};

const models = ["churn", "fraud", "eta", "ranker", "spam"];
const features = (i: number) => ({ age: 20 + (i % 50), income: 1000 + ((i * 37) % 900), plan: i % 3 === 0 ? "pro" : "basic" });
for (const m of models) {
  const reg = await call("POST", `/models/${m}/versions`, { version: "1.0.0", requestUpload: true, primaryMetric: "rmse", direction: "lower", metrics: { rmse: 1 } });
  const baseline = await call("POST", `/models/${m}/baselines`, { records: Array.from({ length: 200 }, (_, i) => features(i)) });
  if (reg.status !== 201 || baseline.status !== 201) throw new Error(`seeding ${m}: ${reg.status} ${JSON.stringify(reg.json)} / ${baseline.status} ${JSON.stringify(baseline.json)}`);
}

/** The mix: reads a console and pipelines send, and every kind of write, deterministic in the request index. */
type Kind = { name: string; weight: number; make: (i: number) => [string, string, unknown?] | undefined };
let nextVersion = 0;
let nextPrediction = 0;
const logged: Array<{ model: string; ids: string[] }> = [];
const recorded: Array<{ model: string; batchId: string }> = [];
const openAlerts: string[] = [];
const kinds: Kind[] = [
  { name: "GET /health", weight: 2, make: () => ["GET", "/health"] },
  { name: "GET /models", weight: 5, make: () => ["GET", "/models"] },
  { name: "GET model", weight: 9, make: (i) => ["GET", `/models/${models[i % 5]}`] },
  { name: "GET versions", weight: 8, make: (i) => ["GET", `/models/${models[i % 5]}/versions?limit=25`] },
  { name: "GET performance", weight: 7, make: (i) => ["GET", `/models/${models[i % 5]}/performance?days=7`] },
  { name: "GET audit", weight: 3, make: (i) => ["GET", `/audit?model=${models[i % 5]}&limit=20`] },
  { name: "GET alerts", weight: 3, make: () => ["GET", "/alerts?state=open&limit=20"] },
  { name: "POST versions", weight: 6, make: (i) => ["POST", `/models/${models[i % 5]}/versions`, { version: `2.${++nextVersion}.0`, requestUpload: true, metrics: { rmse: 1 } }] },
  {
    name: "POST batches",
    weight: 14,
    make: (i) => {
      const actuals = Array.from({ length: 100 }, (_, k) => 10 + ((k * 7 + i) % 23));
      return ["POST", `/models/${models[i % 5]}/versions/1.0.0/batches`, { task: "regression", actuals, predictions: actuals.map((a, k) => a + (k % 2 ? 0.5 : -0.5)) }];
    },
  },
  {
    name: "DELETE batch",
    weight: 2,
    make: () => {
      const b = recorded.shift();
      return b ? ["DELETE", `/models/${b.model}/versions/1.0.0/batches/${b.batchId}`] : undefined;
    },
  },
  {
    name: "POST predictions",
    weight: 4,
    make: (i) => {
      const model = models[i % 5];
      const ids = Array.from({ length: 20 }, () => `p${++nextPrediction}`);
      logged.push({ model, ids });
      return ["POST", `/models/${model}/versions/1.0.0/predictions`, { task: "regression", records: ids.map((id, k) => ({ id, prediction: 10 + k })) }];
    },
  },
  {
    name: "POST ground-truth",
    weight: 4,
    make: () => {
      const l = logged.shift();
      return l ? ["POST", `/models/${l.model}/ground-truth`, { records: l.ids.map((id, k) => ({ id, actual: 10.5 + k })) }] : undefined;
    },
  },
  { name: "POST drift-checks", weight: 6, make: (i) => ["POST", `/models/${models[i % 5]}/drift-checks`, { records: Array.from({ length: 100 }, (_, k) => features(k + i)) }] },
  { name: "POST events", weight: 8, make: (i) => ["POST", "/events", { type: "prediction_batch", model: models[i % 5], jobName: `job-${i}` }] },
  { name: "PUT thresholds", weight: 2, make: (i) => ["PUT", `/models/${models[i % 5]}/performance/thresholds`, { rmseIncreasePct: 10 + (i % 40) }] },
  { name: "POST alerts/test", weight: 2, make: (i) => ["POST", "/alerts/test", { note: `soak ${i}` }] },
  { name: "POST acknowledge", weight: 2, make: () => (openAlerts.length > 0 ? ["POST", `/alerts/${openAlerts.shift()}/acknowledge`, { reason: "seen in the soak" }] : undefined) },
  { name: "POST promote", weight: 2, make: (i) => (nextVersion > 0 ? ["POST", `/models/${models[(nextVersion - 1) % 5]}/versions/2.${nextVersion}.0/promote`, { stage: "staging", reason: `soak ${i}` }] : undefined) },
];
const weights = kinds.reduce((s, k) => s + k.weight, 0);
const kindOf = (i: number): Kind => {
  let r = (i * 37) % weights;
  return kinds.find((k) => (r -= k.weight) < 0) as Kind;
};

// Act: the bounded loop; `concurrency` workers take request indexes until `total` are sent.
type Window = {
  window: number;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  emulatorRssMb: number | null;
  serverRssMb: number | null;
  errors5xx: number;
  wallS: number;
  emulatorCpuS: number | null;
  serverCpuS: number | null;
  load1: number;
  /** p95 of each kind of request in this window (which kinds grow, if any). */
  kindsP95Ms: Record<string, number>;
};
const q = (xs: number[], p: number): number => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)] ?? 0);
const windows: Window[] = [];
const perKind = new Map<string, number[]>();
const statuses = new Map<number, number>();
let fiveXx: string[] = [];
let current: number[] = [];
let currentKinds = new Map<string, number[]>();
let next = 0;
let done = 0;
let windowStarted = performance.now();
const started = performance.now();
const startRss = await emulatorRss();
const startServerRss = serverRss();
let lastCpu = { emulator: cpuOf(emulatorPid), server: cpuOf(serve.pid) };
const cpuDelta = (now: number | null, before: number | null): number | null => (now === null || before === null ? null : Number((now - before).toFixed(1)));
let closing: Promise<void> = Promise.resolve();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      const kind = kindOf(i);
      const request = kind.make(i) ?? kinds[1].make(i);
      if (request === undefined) continue;
      const [method, path, body] = request;
      const res = await call(method, path, body);
      current.push(res.ms);
      (perKind.get(kind.name) ?? perKind.set(kind.name, []).get(kind.name))?.push(res.ms);
      (currentKinds.get(kind.name) ?? currentKinds.set(kind.name, []).get(kind.name))?.push(res.ms);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) {
        fiveXx.push(`${method} ${path}: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
        if (fiveXx.length <= 3) console.error(`5xx at request ${i}: ${fiveXx[fiveXx.length - 1]}`);
      }
      if (kind.name === "POST batches" && res.status === 201) recorded.push({ model: path.split("/")[2], batchId: res.json.batchId as string });
      if (kind.name === "POST alerts/test" && typeof res.json?.alertId === "string") openAlerts.push(res.json.alertId as string);
      if (++done % windowSize === 0) {
        const lat = current.sort((a, b) => a - b);
        const errors = fiveXx.length;
        current = [];
        const kindsP95Ms = Object.fromEntries([...currentKinds].map(([k, xs]) => [k, q(xs, 0.95)]));
        currentKinds = new Map();
        fiveXx = [];
        const wallS = (performance.now() - windowStarted) / 1000;
        windowStarted = performance.now();
        const index = done / windowSize;
        closing = closing.then(async () => {
          const rss = await emulatorRss();
          const cpu = { emulator: cpuOf(emulatorPid), server: cpuOf(serve.pid) };
          const w: Window = {
            window: index,
            requests: lat.length,
            p50Ms: Math.round(lat[Math.floor(lat.length * 0.5)]),
            p95Ms: Math.round(lat[Math.floor(lat.length * 0.95)]),
            maxMs: Math.round(lat[lat.length - 1]),
            emulatorRssMb: rss === null ? null : Math.round(rss / 1048576),
            serverRssMb: serverRss(),
            errors5xx: errors,
            wallS: Math.round(wallS),
            emulatorCpuS: cpuDelta(cpu.emulator, lastCpu.emulator),
            serverCpuS: cpuDelta(cpu.server, lastCpu.server),
            load1: Number(loadavg()[0].toFixed(1)),
            kindsP95Ms,
          };
          lastCpu = cpu;
          windows.push(w);
          console.log(JSON.stringify({ ...w, kindsP95Ms: undefined }));
          // Kept up to date window by window, so a run stopped early still leaves its figures.
          mkdirSync(join(here, ".data"), { recursive: true });
          writeFileSync(join(here, ".data", `soak-${unpatched ? "unpatched-" : ""}progress.json`), `${JSON.stringify({ requestsDone: done, of: total, concurrency, windows }, null, 2)}\n`);
        });
      }
    }
  }),
);
await closing;
const totalS = (performance.now() - started) / 1000;
await stopAll();

// Assess
const maxRss = Math.max(...windows.map((w) => w.emulatorRssMb ?? 0));
// The first window warms up (first calls of every route, empty table); flat = the last within 1.5× the second.
const reference = windows[Math.min(1, windows.length - 1)];
const flat = windows[windows.length - 1].p95Ms <= 1.5 * Math.max(reference.p95Ms, 1);
const result = {
  emulator: unpatched ? "moto_server 5.2.1 unpatched (started by the benchmark)" : "embedded (mlwatch serve, lambdas/local/moto-patch.ts)",
  requests: total,
  concurrency,
  totalSeconds: Math.round(totalS),
  startEmulatorRssMb: startRss === null ? null : Math.round(startRss / 1048576),
  maxEmulatorRssMb: maxRss,
  startServerRssMb: startServerRss,
  maxServerRssMb: Math.max(...windows.map((w) => w.serverRssMb ?? 0)),
  firstWindowP95Ms: windows[0].p95Ms,
  secondWindowP95Ms: reference.p95Ms,
  lastWindowP95Ms: windows[windows.length - 1].p95Ms,
  goals: { under2GB: maxRss < 2048 && Math.max(...windows.map((w) => w.serverRssMb ?? 0)) < 2048, p95Flat: flat, no5xx: windows.every((w) => w.errors5xx === 0) },
  statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])),
  perKindP95Ms: Object.fromEntries([...perKind].map(([k, xs]) => [k, q(xs, 0.95)])),
  windows,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(1))) },
};
mkdirSync(join(here, ".data"), { recursive: true });
writeFileSync(join(here, ".data", unpatched ? "soak-unpatched-result.json" : "soak-result.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify({ ...result, windows: undefined }, null, 2));
if (!unpatched && !(result.goals.under2GB && result.goals.p95Flat && result.goals.no5xx)) process.exitCode = 1;
