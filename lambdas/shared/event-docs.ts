/**
 * The published description of mlwatch's events, generated from event-schemas.ts: the JSON document
 * committed as docs/events.schema.json and the schema blocks of docs/events.md (between
 * `<!-- schema: {detail-type} -->` and `<!-- /schema -->`). Used by scripts/events-schema.ts and the test
 * that keeps both files current.
 */
import { eventBusName, eventJsonSchemas, eventSource, MlwatchEventType } from "./event-schemas.js";

/** docs/events.schema.json: the source, the bus and each detail-type's detail schema. */
export function eventsDocument(): { source: string; bus: string; detailTypes: Record<string, unknown> } {
  return { source: eventSource, bus: eventBusName, detailTypes: eventJsonSchemas() };
}

/** `markdown` with every schema block replaced by the generated schema of its detail-type. */
export function withSchemaBlocks(markdown: string): string {
  const schemas = eventJsonSchemas();
  return markdown.replace(/<!-- schema: (.+?) -->\n[\s\S]*?<!-- \/schema -->/g, (whole, type: string) => {
    const schema = schemas[type as MlwatchEventType];
    if (!schema) throw new Error(`docs/events.md names an unknown detail-type "${type}"`);
    return `<!-- schema: ${type} -->\n\`\`\`json\n${JSON.stringify(schema, null, 2)}\n\`\`\`\n<!-- /schema -->`;
  });
}

/** The detail-types whose schema block docs/events.md lacks. */
export function missingSchemaBlocks(markdown: string): string[] {
  return Object.values(MlwatchEventType).filter((t) => !markdown.includes(`<!-- schema: ${t} -->`));
}
