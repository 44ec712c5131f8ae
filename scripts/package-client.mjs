#!/usr/bin/env node
/**
 * Builds the TypeScript client as an installable package: `dist-packages/mlwatch-client-<version>.tgz`
 * (`npm run package:client`; scripts/package.mjs calls it too).
 *
 * 1. tsc -p client/tsconfig.build.json → build/client/dist (ESM JavaScript and .d.ts of client/ alone);
 * 2. build/client/package.json: `@mlwatch/client`, ESM only, the one runtime dependency signing needs
 *    (@smithy/signature-v4, pinned to the version the repository tests) and the AWS SDK's default
 *    credential chain as an optional peer (only loaded when signing without given credentials);
 * 3. the `mlwatch` command line as the package's bin (`bin/mlwatch.mjs`, one ESM file bundled by esbuild from
 *    bin/mlwatch.ts): the API commands, `mlwatch demo` and the two-file `mlwatch drift`; `mlwatch serve`
 *    (the local server, its emulator and the AWS SDK) stays in the repository — serve-packaged.ts says so.
 *    Installing @mlwatch/client is how a user gets an `mlwatch` of ours on PATH (`npx mlwatch` outside a
 *    checkout would fetch whatever package of that name the public registry has);
 * 4. npm pack → dist-packages/.
 * Prints the tarball's path on its last line. `--out DIR` writes the tarball elsewhere.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCliBundle } from "./cli-bundle.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outIndex = process.argv.indexOf("--out");
const outDir = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(root, "dist-packages"));
const buildDir = join(root, "build", "client");

const repo = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
/** The exact version the repository itself depends on (one source for what is tested and what ships). */
const pinned = (name) => {
  const version = repo.dependencies?.[name] ?? repo.devDependencies?.[name];
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`package.json must pin ${name} to an exact version (found ${version})`);
  return version;
};

rmSync(buildDir, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "client", "tsconfig.build.json")], { stdio: "inherit" });

await buildCliBundle(join(buildDir, "bin", "mlwatch.mjs"));

const manifest = {
  name: "@mlwatch/client",
  version: repo.version,
  description: "Typed client of the mlwatch API (model registry, drift detection, performance tracking, audit): SigV4 for the deployed API, plain HTTP for the local server.",
  license: repo.license,
  type: "module",
  exports: {
    ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
    "./operations.json": "./operations.json",
    "./package.json": "./package.json",
  },
  types: "./dist/index.d.ts",
  bin: { mlwatch: "./bin/mlwatch.mjs" },
  files: ["dist", "bin", "operations.json", "README.md"],
  sideEffects: false,
  engines: { node: repo.engines?.node ?? ">=20.19" },
  dependencies: { "@smithy/signature-v4": pinned("@smithy/signature-v4") },
  peerDependencies: { "@aws-sdk/credential-provider-node": pinned("@aws-sdk/credential-provider-node") },
  peerDependenciesMeta: { "@aws-sdk/credential-provider-node": { optional: true } },
};
writeFileSync(join(buildDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(root, "client", "README.md"), join(buildDir, "README.md"));
copyFileSync(join(root, "client", "operations.json"), join(buildDir, "operations.json"));

mkdirSync(outDir, { recursive: true });
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const packed = JSON.parse(execFileSync(npm, ["pack", "--json", "--pack-destination", outDir], { cwd: buildDir, encoding: "utf8" }));
const tarball = join(outDir, packed[0].filename);
process.stdout.write(`${packed[0].files.length} files, ${packed[0].size} bytes\n${tarball}\n`);
