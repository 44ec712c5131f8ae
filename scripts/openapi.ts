/**
 * Writes docs/openapi.json from the services' contracts and client/api-types.ts (the client's request
 * and answer types) from that document (`npm run openapi`); `--check` exits 1 when either committed file
 * differs from what the contracts give.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { allContracts } from "../lambdas/contracts.js";
import { ErrorCode } from "../lambdas/core/errors.js";
import { buildOpenApiDocument } from "../lambdas/shared/openapi.js";
import { clientTypesSource } from "./client-types.js";

const documentPath = new URL("../docs/openapi.json", import.meta.url);
const typesPath = new URL("../client/api-types.ts", import.meta.url);
const document = buildOpenApiDocument(allContracts);
const text = `${JSON.stringify(document, null, 2)}\n`;
const types = clientTypesSource(JSON.parse(text), allContracts, ErrorCode);

const read = (path: URL): string => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return ""; // missing: stale
  }
};

if (process.argv.includes("--check")) {
  const stale = [[documentPath, text], [typesPath, types]].filter(([path, want]) => read(path as URL) !== want).map(([path]) => (path as URL).pathname.replace(/.*\/(docs|client)\//, "$1/"));
  if (stale.length > 0) {
    process.stderr.write(`${stale.join(" and ")} ${stale.length > 1 ? "are" : "is"} stale: run npm run openapi\n`);
    process.exit(1);
  }
} else {
  writeFileSync(documentPath, text);
  writeFileSync(typesPath, types);
  process.stdout.write(`wrote docs/openapi.json (${Object.keys(JSON.parse(text).paths).length} paths) and client/api-types.ts\n`);
}
