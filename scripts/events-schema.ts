/**
 * Writes docs/events.schema.json and the schema blocks of docs/events.md from the zod detail schemas in
 * lambdas/shared/event-schemas.ts (`npm run events-schema`); `--check` exits 1 when either is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { eventsDocument, withSchemaBlocks } from "../lambdas/shared/event-docs.js";

const jsonPath = new URL("../docs/events.schema.json", import.meta.url);
const mdPath = new URL("../docs/events.md", import.meta.url);
const json = `${JSON.stringify(eventsDocument(), null, 2)}\n`;
const md = withSchemaBlocks(readFileSync(mdPath, "utf8"));
const read = (p: URL): string => {
  try {
    return readFileSync(p, "utf8");
  } catch {
    return "";
  }
};
if (process.argv.includes("--check")) {
  if (read(jsonPath) !== json || read(mdPath) !== md) {
    process.stderr.write("docs/events.schema.json or docs/events.md is stale: run npm run events-schema\n");
    process.exit(1);
  }
} else {
  writeFileSync(jsonPath, json);
  writeFileSync(mdPath, md);
  process.stdout.write("wrote docs/events.schema.json and the schemas in docs/events.md\n");
}
