/**
 * Cold-start weight of every function: each is built exactly as it is deployed (lib/bundles.ts: an ESM
 * entry plus code-split chunks, the AWS SDK bundled) and measured for
 *   - total: every .mjs of the asset (entry and chunks, source maps excluded), raw and gzip;
 *   - at import: the entry and the chunks it imports statically (what `import(handler)` evaluates before
 *     the first event), raw and gzip — the rest loads when a route first needs it (an SDK client, …);
 *   - import: median time for a fresh Node process to `await import(handler)`;
 *   - + every chunk: the same process then importing every other chunk — the upper bound of what a first
 *     request can add (a route loads only the chunks it reaches).
 * Medians of RUNS (default 7) fresh processes. The heaviest packages at import are listed after the table.
 * `SDK=external` builds with `@aws-sdk/*` left to the runtime instead (resolved from our node_modules, as
 * the runtime resolves /var/runtime/node_modules): the comparison behind lib/bundles.ts `bundleAwsSdk`.
 *
 *   npm run bench -- bundles
 *   SDK=external npm run bench -- bundles
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { cpus } from "node:os";
import { buildLambda, importGraph, lambdaEntries, type LambdaName } from "../lib/bundles.js";

const projectRoot = join(import.meta.dirname, "..");

const runs = Number(process.env.RUNS ?? 7);
const bundleSdk = process.env.SDK !== "external";
const out = join(projectRoot, "bench", ".data", "bundles");
rmSync(out, { recursive: true, force: true });

const env = {
  ...process.env,
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "x",
  AWS_SECRET_ACCESS_KEY: "x",
  MLWATCH_BUCKET: "b",
  MLWATCH_TABLE: "t",
  MLWATCH_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:t",
  MLWATCH_AUDIT_LOG_GROUP: "g",
  MLWATCH_DRIFT_WORKER: "w",
  POWERTOOLS_LOG_LEVEL: "SILENT",
};

/** Milliseconds to import the entry, and to import the given chunks after it. */
function importMs(entry: string, chunks: string[]): { entry: number; chunks: number } {
  const urls = JSON.stringify(chunks.map((c) => pathToFileURL(c).href));
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(entry).href)}); const e = performance.now() - t;
for (const u of ${urls}) await import(u);
process.stdout.write(JSON.stringify({ entry: e, chunks: performance.now() - t - e }));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`import of ${entry} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { entry: number; chunks: number };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`;
const sizes = (files: string[]): { raw: number; gzip: number } => {
  const bytes = files.map((f) => readFileSync(join(projectRoot, f)));
  return { raw: bytes.reduce((n, b) => n + b.length, 0), gzip: bytes.reduce((n, b) => n + gzipSync(b).length, 0) };
};

console.log(`node ${process.version}; ${cpus().length} × ${cpus()[0]?.model}; SDK ${bundleSdk ? "bundled" : "external"}; ${runs} fresh processes per function (median)`);
console.log("| function | total (gzip) | at import (gzip) | import | + every chunk |");
console.log("| --- | --- | --- | --- | --- |");
const heavy: string[] = [];
for (const name of Object.keys(lambdaEntries) as LambdaName[]) {
  const meta = await buildLambda(name, join(out, name), projectRoot, { bundleSdk });
  const graph = importGraph(name, meta);
  const total = sizes(graph.all);
  const atImport = sizes(graph.atImport);
  const entry = join(projectRoot, graph.atImport[0]!);
  const rest = graph.all.filter((f) => !graph.atImport.includes(f)).map((f) => join(projectRoot, f));
  const times = Array.from({ length: runs }, () => importMs(entry, rest));
  console.log(
    `| ${name} | ${kb(total.raw)} (${kb(total.gzip)}) | ${kb(atImport.raw)} (${kb(atImport.gzip)}) | ${median(times.map((t) => t.entry)).toFixed(0)} ms | +${median(times.map((t) => t.chunks)).toFixed(0)} ms |`,
  );
  const byPackage = new Map<string, number>();
  for (const f of graph.atImport) {
    for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[f]!.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? "mlwatch";
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6);
  heavy.push(`${name}: ${top.map(([p, n]) => `${p} ${kb(n)}`).join(", ")}`);
}
console.log("\nat import, by package (esbuild metafile, bytes in output):");
for (const line of heavy) console.log(`  ${line}`);
