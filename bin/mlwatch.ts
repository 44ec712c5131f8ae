/**
 * The `mlwatch` command line's entry (bin/mlwatch.js registers tsx and imports it; scripts/cli-bundle.mjs
 * bundles it): the commands are in ./cli.ts.
 */
import { runCommandLine } from "./cli.js";

runCommandLine(process.argv.slice(2)).then((code) => {
  if (code !== -1) process.exitCode = code;
});
