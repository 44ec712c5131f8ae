/**
 * Writes docs/openapi.json from the services' contracts (`npm run openapi`); `--check` exits 1 when the
 * committed file differs from what the schemas give.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { allContracts } from "../lambdas/contracts.js";
import { buildOpenApiDocument } from "../lambdas/shared/openapi.js";

const path = new URL("../docs/openapi.json", import.meta.url);
const text = `${JSON.stringify(buildOpenApiDocument(allContracts), null, 2)}\n`;
if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(path, "utf8");
  } catch {
    // missing: stale
  }
  if (committed !== text) {
    process.stderr.write("docs/openapi.json is stale: run npm run openapi\n");
    process.exit(1);
  }
} else {
  writeFileSync(path, text);
  process.stdout.write(`wrote docs/openapi.json (${Object.keys(JSON.parse(text).paths).length} paths)\n`);
}
