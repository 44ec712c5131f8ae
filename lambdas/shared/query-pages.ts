/**
 * Reading a whole DynamoDB query, page after page (each from the last one's `LastEvaluatedKey`): every item
 * up to a cap, the count, or the first item a filter lets through. The stores' reads that decide or report
 * over all of a partition use these; listings answered one page at a time use page tokens (page-token.ts).
 */
import type { QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { loadDynamo } from "./sdk/dynamodb.js";

/** An item as the document client reads it. */
export type QueryItem = Record<string, unknown>;

/** What one page of a query answers (the parts these readers use). */
export interface QueryPageOutput {
  readonly Items?: QueryItem[];
  readonly Count?: number;
  readonly LastEvaluatedKey?: QueryItem;
}

/** Sends one page's query: the document client by default, a fake in unit tests. */
export type SendQuery = (input: QueryCommandInput) => Promise<QueryPageOutput>;

const sendQuery: SendQuery = async (input) => {
  const { QueryCommand, documentClient } = await loadDynamo();
  return documentClient().send(new QueryCommand(input));
};

/** The pages of `input`, in order, until the last (or until the caller stops iterating). */
export async function* queryPages(input: QueryCommandInput, send: SendQuery = sendQuery): AsyncGenerator<QueryPageOutput> {
  let start: QueryItem | undefined;
  do {
    const page = await send({ ...input, ExclusiveStartKey: start });
    yield page;
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Every item of `input` in query order, or the first `cap`: reading stops at the page that reaches the cap,
 * and `truncated` says the cap cut the result (items beyond it on that page, or pages left unread).
 */
export async function queryItems(input: QueryCommandInput, options: { cap?: number; send?: SendQuery } = {}): Promise<{ items: QueryItem[]; truncated: boolean }> {
  const cap = options.cap ?? Infinity;
  const items: QueryItem[] = [];
  for await (const page of queryPages(input, options.send)) {
    for (const item of page.Items ?? []) items.push(item);
    if (items.length >= cap) return { items: items.slice(0, cap), truncated: page.LastEvaluatedKey !== undefined || items.length > cap };
  }
  return { items, truncated: false };
}

/** The number of items `input` matches (send it with `Select: "COUNT"`), over all pages. */
export async function queryCount(input: QueryCommandInput, send: SendQuery = sendQuery): Promise<number> {
  let count = 0;
  for await (const page of queryPages(input, send)) count += page.Count ?? 0;
  return count;
}

/** The first item of `input` (its filter applied), reading only as many pages as it takes; undefined when none matches. */
export async function queryFirst(input: QueryCommandInput, send: SendQuery = sendQuery): Promise<QueryItem | undefined> {
  for await (const page of queryPages(input, send)) {
    const found = page.Items?.[0];
    if (found) return found;
  }
  return undefined;
}
