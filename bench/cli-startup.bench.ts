/**
 * Benchmark: start-up of the `mlwatch` command as users install it (the bin of @mlwatch/client: one esbuild
 * bundle built here by scripts/cli-bundle.mjs, the build the package gets) and from a checkout (`node
 * bin/mlwatch.js`, tsx compiling the sources). Each command is a whole process timed from spawn to exit:
 * `help`, and three API commands (`models list`, `baselines list`, `api listModels`) against a stub HTTP
 * server on 127.0.0.1 that answers at once, so the time is the command's own (Node start, module loading,
 * one request). Medians of RUNS (default 7) with the load average seen: the machine may be shared.
 *
 * Usage: npm run bench -- cli-startup   (RUNS)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, symlinkSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.RUNS ?? 7);

const stub = createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(req.url?.includes("/baselines") ? { items: [], nextToken: null, model: "m", activeBaselineId: null } : { items: [], nextToken: null }));
});
await new Promise<void>((r) => stub.listen(0, "127.0.0.1", r));
const endpoint = `http://127.0.0.1:${(stub.address() as { port: number }).port}`;

const dir = mkdtempSync(join(tmpdir(), "mlwatch-cli-bench-"));
const bundle = join(dir, "mlwatch.mjs");
// @ts-expect-error -- an .mjs build script without types
const { buildCliBundle } = (await import("../scripts/cli-bundle.mjs")) as { buildCliBundle: (out: string) => Promise<void> };
await buildCliBundle(bundle);
symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));

const commands: [string, string[]][] = [
  ["help", ["help"]],
  ["models list", ["models", "list", "--endpoint", endpoint]],
  ["baselines list", ["baselines", "list", "m", "--endpoint", endpoint]],
  ["api listModels", ["api", "listModels", "--endpoint", endpoint]],
];
const bins: [string, string[]][] = [
  ["installed bin", [bundle]],
  ["checkout (tsx)", [join(root, "bin", "mlwatch.js")]],
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(`bundle ${(statSync(bundle).size / 1024).toFixed(0)} KB; ${RUNS} runs each; load average at start ${loadavg()[0].toFixed(1)}\n`);
process.stdout.write("| command | installed bin (median ms) | checkout with tsx (median ms) |\n| --- | --- | --- |\n");
for (const [name, args] of commands) {
  const cells: string[] = [];
  for (const [, bin] of bins) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      // spawnSync would block the stub server: run each process asynchronously
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [...bin, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, MLWATCH_ENDPOINT: "", NODE_OPTIONS: "" } });
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited ${code}: ${err}`))));
      });
      times.push(performance.now() - started);
    }
    cells.push(`${median(times).toFixed(0)} (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`);
  }
  process.stdout.write(`| \`mlwatch ${name}\` | ${cells.join(" | ")} |\n`);
}
process.stdout.write(`load average at end ${loadavg()[0].toFixed(1)}\n`);
stub.close();
