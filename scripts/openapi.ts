/**
 * Writes docs/openapi.json from the services' contracts and, from that document, client/api-types.ts (the
 * client's request and answer types), client/operations.json and python/src/mlwatch/_operations.py (the
 * clients' operation names, from the operationIds) (`npm run openapi`); `--check` exits 1 when a committed
 * file differs from what the contracts give.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { allContracts } from "../lambdas/contracts.js";
import { ErrorCode } from "../lambdas/core/errors.js";
import { buildOpenApiDocument } from "../lambdas/shared/openapi.js";
import { clientTypesSource } from "./client-types.js";
import { operationsJson, operationsPython } from "./operations.js";

const documentPath = new URL("../docs/openapi.json", import.meta.url);
const typesPath = new URL("../client/api-types.ts", import.meta.url);
const operationsPath = new URL("../client/operations.json", import.meta.url);
const pythonOperationsPath = new URL("../python/src/mlwatch/_operations.py", import.meta.url);
const document = buildOpenApiDocument(allContracts);
const text = `${JSON.stringify(document, null, 2)}\n`;
const types = clientTypesSource(JSON.parse(text), allContracts, ErrorCode);
const outputs: [URL, string][] = [
  [documentPath, text],
  [typesPath, types],
  [operationsPath, operationsJson(JSON.parse(text))],
  [pythonOperationsPath, operationsPython(JSON.parse(text))],
];

const read = (path: URL): string => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return ""; // missing: stale
  }
};

if (process.argv.includes("--check")) {
  const stale = outputs.filter(([path, want]) => read(path) !== want).map(([path]) => path.pathname.replace(/.*\/(docs|client|python)\//, "$1/"));
  if (stale.length > 0) {
    process.stderr.write(`${stale.join(" and ")} ${stale.length > 1 ? "are" : "is"} stale: run npm run openapi\n`);
    process.exit(1);
  }
} else {
  for (const [path, want] of outputs) writeFileSync(path, want);
  process.stdout.write(`wrote docs/openapi.json (${Object.keys(JSON.parse(text).paths).length} paths), client/api-types.ts, client/operations.json and python/src/mlwatch/_operations.py\n`);
}
