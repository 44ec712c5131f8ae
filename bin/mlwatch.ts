/**
 * The `mlwatch` command line's entry (bin/mlwatch.js runs a cached esbuild bundle of it, or tsx with
 * MLWATCH_TSX=1; scripts/cli-bundle.mjs bundles it for the package): the commands are in ./cli.ts.
 */
import { runCommandLine } from "./cli.js";

runCommandLine(process.argv.slice(2)).then((code) => {
  if (code !== -1) process.exitCode = code;
});
