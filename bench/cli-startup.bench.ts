/**
 * Benchmark: start-up of the `mlwatch` command as users install it (the bin of @mlwatch/client: one esbuild
 * bundle built here by scripts/cli-bundle.mjs, the build the package gets) and from a checkout (`node
 * bin/mlwatch.js`, tsx compiling the sources). Each command is a whole process timed from spawn to exit:
 * `help`, and three API commands (`models list`, `baselines list`, `api listModels`) against a stub HTTP
 * server on 127.0.0.1 that answers at once, so the time is the command's own (Node start, module loading,
 * one request). Medians of RUNS (default 7) of the wall time and of the CPU time (user + system, from
 * /usr/bin/time: on a shared machine the CPU time is the steadier figure), with the load average seen.
 *
 * INSTALLED=1 measures the bin of the package itself instead of the bundle: the tarball built by
 * scripts/package-client.mjs, installed offline into a scratch folder, run as `node_modules/.bin/mlwatch`
 * (its shebang), as a user runs it. ENDPOINT=URL sends the API commands to a running server (e.g. the
 * local server of `npm start`) instead of the stub.
 *
 * Usage: npm run bench -- cli-startup   (RUNS, INSTALLED, ENDPOINT)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, statSync } from "node:fs";
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
const endpoint = process.env.ENDPOINT || `http://127.0.0.1:${(stub.address() as { port: number }).port}`;

const dir = mkdtempSync(join(tmpdir(), "mlwatch-cli-bench-"));
let bundle = join(dir, "mlwatch.mjs");
let installed: string[];
if (process.env.INSTALLED === "1") {
  const { buildClientPackage, installOffline } = await import("../test/e2e/package-install.js");
  const tarball = buildClientPackage(join(dir, "dist"));
  const manifest = JSON.parse(readFileSync(join(root, "build", "client", "package.json"), "utf8")) as { dependencies: Record<string, string> };
  installOffline(join(dir, "app"), tarball, Object.keys(manifest.dependencies));
  bundle = join(dir, "app", "node_modules", "@mlwatch", "client", "bin", "mlwatch.mjs");
  installed = [join(dir, "app", "node_modules", ".bin", "mlwatch")];
} else {
  // @ts-expect-error -- an .mjs build script without types
  const { buildCliBundle } = (await import("../scripts/cli-bundle.mjs")) as { buildCliBundle: (out: string) => Promise<void> };
  await buildCliBundle(bundle);
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  installed = [process.execPath, bundle];
}

const commands: [string, string[]][] = [
  ["help", ["help"]],
  ["models list", ["models", "list", "--endpoint", endpoint]],
  ["baselines list", ["baselines", "list", "m", "--endpoint", endpoint]],
  ["api listModels", ["api", "listModels", "--endpoint", endpoint]],
];
const bins: [string, string[]][] = [
  [process.env.INSTALLED === "1" ? "installed package's bin" : "installed bin (bundle)", installed],
  ["checkout (tsx)", [process.execPath, join(root, "bin", "mlwatch.js")]],
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(`bundle ${(statSync(bundle).size / 1024).toFixed(0)} KB; ${RUNS} runs each; API commands to ${process.env.ENDPOINT ? endpoint : "a stub server"}; load average at start ${loadavg()[0].toFixed(1)}\n`);
process.stdout.write(`| command | ${bins.map(([b]) => `${b}: wall ms (min–max), CPU ms`).join(" | ")} |\n| --- | --- | --- |\n`);
for (const [name, args] of commands) {
  const cells: string[] = [];
  for (const [, bin] of bins) {
    const times: number[] = [];
    const cpu: number[] = [];
    const cpuFile = join(dir, "cpu.txt");
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      // spawnSync would block the stub server: run each process asynchronously; /usr/bin/time writes the
      // child's user and system seconds to cpuFile (its own start-up is not counted in them)
      await new Promise<void>((resolve, reject) => {
        const child = spawn("/usr/bin/time", ["-f", "%U %S", "-o", cpuFile, ...bin, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, MLWATCH_ENDPOINT: "", NODE_OPTIONS: "" } });
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited ${code}: ${err}`))));
      });
      times.push(performance.now() - started);
      const [user, system] = readFileSync(cpuFile, "utf8").trim().split(/\s+/).map(Number);
      cpu.push((user + system) * 1000);
    }
    cells.push(`${median(times).toFixed(0)} (${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)}), CPU ${median(cpu).toFixed(0)}`);
  }
  process.stdout.write(`| \`mlwatch ${name}\` | ${cells.join(" | ")} |\n`);
}
process.stdout.write(`load average at end ${loadavg()[0].toFixed(1)}\n`);
stub.close();
