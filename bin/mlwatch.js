#!/usr/bin/env node
// Launcher of the checkout's `mlwatch`. Registering the TypeScript loader (tsx) costs about half a second of
// CPU before the first line of the CLI runs, so the sources are bundled once with esbuild (packages stay
// imports) into a folder of node_modules/.mlwatch-cli/ and that bundle runs while none of its sources has
// changed: node_modules/.mlwatch-cli/current.json names the folder and lists every source file with its size
// and modification time, checked at each start. A build never touches a folder another start may be reading:
// it writes a new one, then renames current.json over the old (folders older than an hour are removed).
// Each folder is two levels under the checkout, as bin/commands/ and lambdas/local/ are, so the files that find
// the checkout from their own location find it from the bundle too. MLWATCH_TSX=1 runs the sources through
// tsx instead, as does any failure to check or build the bundle.
import { readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cacheRoot = join(root, "node_modules", ".mlwatch-cli");
const manifestPath = join(cacheRoot, "current.json");

/** The bundle's entry when it is as new as its sources, else undefined. */
function freshBundle() {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    for (const [file, [size, mtimeMs]] of Object.entries(manifest.inputs)) {
      const s = statSync(join(root, file));
      if (s.size !== size || s.mtimeMs !== mtimeMs) return undefined;
    }
    return join(cacheRoot, manifest.folder, "mlwatch.mjs");
  } catch {
    return undefined;
  }
}

/** Builds the bundle into a folder of its own, then points current.json at it. */
async function buildBundle() {
  const { build } = await import("esbuild");
  const folder = `${Date.now()}-${process.pid}`;
  const outdir = join(cacheRoot, folder);
  const result = await build({
    entryPoints: { mlwatch: join(root, "bin", "mlwatch.ts") },
    outdir,
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    metafile: true,
    logLevel: "silent",
    outExtension: { ".js": ".mjs" },
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const path = resolve(file);
    const s = statSync(path);
    inputs[relative(root, path)] = [s.size, s.mtimeMs];
  }
  const partial = join(cacheRoot, `current.${folder}.tmp`);
  writeFileSync(partial, JSON.stringify({ folder, inputs }));
  renameSync(partial, manifestPath);
  for (const old of readdirSync(cacheRoot)) {
    const at = Number(old.split("-")[0]);
    if (old !== folder && Number.isFinite(at) && at < Date.now() - 3_600_000) rmSync(join(cacheRoot, old), { recursive: true, force: true });
  }
  return join(outdir, "mlwatch.mjs");
}

let entry;
if (process.env.MLWATCH_TSX !== "1") {
  try {
    entry = freshBundle() ?? (await buildBundle());
  } catch {
    entry = undefined;
  }
}
if (entry) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./mlwatch.ts");
}
