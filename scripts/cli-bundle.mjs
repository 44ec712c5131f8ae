/**
 * The `mlwatch` command line as one ESM file (the bin of @mlwatch/client): esbuild from bin/mlwatch.ts with
 * the package's own dependencies left as imports and `mlwatch serve` replaced by serve-packaged.ts (the local
 * server, its emulator and the AWS SDK stay in the repository). One source for scripts/package-client.mjs
 * and bench/drift-cli.bench.ts, so the benchmark times the file users install.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Packages @mlwatch/client depends on (dependency or optional peer): imported, not bundled. */
export const cliExternal = ["@smithy/signature-v4", "@aws-sdk/credential-provider-node"];

/** Builds the CLI bundle to `outfile`. */
export async function buildCliBundle(outfile) {
  const { build } = await import("esbuild");
  await build({
    entryPoints: [join(root, "bin", "mlwatch.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    logLevel: "warning",
    external: cliExternal,
    // The packaged bin has no server: its help does not list `serve` (bin/mlwatch.ts).
    define: { "process.env.MLWATCH_PACKAGED_BIN": '"1"' },
    plugins: [
      {
        name: "serve-stays-in-the-repository",
        setup(b) {
          b.onResolve({ filter: /^\.\/commands\/serve\.js$/ }, () => ({ path: join(root, "bin", "commands", "serve-packaged.ts") }));
        },
      },
    ],
  });
}
