#!/usr/bin/env node
/**
 * Builds @mlwatch/cdk → dist-packages/mlwatch-cdk-<version>.tgz:
 *   dist/index.js      lib/ (the MlwatchMonitoring construct) bundled by esbuild into one ESM file;
 *                      aws-cdk-lib and constructs stay imports (peer dependencies)
 *   types/             .d.ts emitted by tsc from lib/index.ts (the public surface names CDK types only)
 *   lambda/<name>/     each function prebuilt (index.mjs, chunks/, maps) with lib/bundles.ts's esbuild options;
 *                      lib/function.ts uses them through lambda.Code.fromAsset instead of bundling at synth
 * No network: esbuild and tsc come from our node_modules, `npm pack` packs a folder.
 *
 *   node scripts/package-cdk.mjs [--out dist-packages]
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { register } from "tsx/esm/api";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { out: { type: "string", default: join(root, "dist-packages") } } });
const out = values.out;
register();
const { buildLambda, lambdaEntries, requireBanner } = await import("../lib/bundles.ts");

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const stage = join(out, ".build", "cdk");
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// 1. The construct library. Externals: the peers, and node built-ins (platform node).
await build({
  entryPoints: [join(root, "lib", "index.ts")],
  outfile: join(stage, "dist", "index.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  // esbuild: lib/bundles.ts loads it only to build a function, which the package never does (its code is prebuilt).
  external: ["aws-cdk-lib", "aws-cdk-lib/*", "constructs", "esbuild"],
  banner: { js: requireBanner },
  logLevel: "error",
});

// 2. Declarations of the public surface.
const tsconfig = join(stage, "tsconfig.types.json");
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: join(root, "tsconfig.json"),
    compilerOptions: { typeRoots: [join(root, "node_modules", "@types")], noEmit: false, declaration: true, emitDeclarationOnly: true, outDir: join(stage, "types"), rootDir: root },
    files: [join(root, "lib", "index.ts")],
    include: [],
  }),
);
execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", tsconfig], { stdio: "inherit" });
rmSync(tsconfig);

// 3. The prebuilt functions.
for (const name of Object.keys(lambdaEntries)) await buildLambda(name, join(stage, "lambda", name), root);

// 4. The README and the manifest.
copyFileSync(join(root, "packages", "cdk", "README.md"), join(stage, "README.md"));
const cdkVersion = pkg.dependencies["aws-cdk-lib"];
const constructsVersion = pkg.dependencies.constructs;
writeFileSync(
  join(stage, "package.json"),
  JSON.stringify(
    {
      name: "@mlwatch/cdk",
      version: pkg.version,
      description: "mlwatch as a CDK construct (MlwatchMonitoring) with its Lambda code prebuilt",
      license: pkg.license,
      type: "module",
      exports: { ".": { types: "./types/lib/index.d.ts", default: "./dist/index.js" } },
      types: "./types/lib/index.d.ts",
      engines: pkg.engines,
      peerDependencies: { "aws-cdk-lib": `^${cdkVersion}`, constructs: `^${constructsVersion.split(".")[0]}.0.0` },
      files: ["dist", "types", "lambda", "README.md"],
    },
    null,
    2,
  ) + "\n",
);
const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", out], { cwd: stage, encoding: "utf8" }).trim().split("\n").pop();
rmSync(join(out, ".build"), { recursive: true, force: true });
console.log(join(out, tarball));
