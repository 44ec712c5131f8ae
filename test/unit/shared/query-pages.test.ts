import { describe, expect, it } from "vitest";
import type { QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { queryCount, queryFirst, queryItems, type QueryItem, type QueryPageOutput, type SendQuery } from "../../../lambdas/shared/query-pages.js";

const input: QueryCommandInput = { TableName: "t", KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": "M#m" } };

/** A fake paging client over `pages` (each a list of item ids): records every start key it is sent. */
function pagedClient(pages: number[][]): { send: SendQuery; starts: unknown[] } {
  const starts: unknown[] = [];
  const send: SendQuery = (sent) => {
    expect(sent.TableName).toBe("t");
    starts.push(sent.ExclusiveStartKey);
    const at = sent.ExclusiveStartKey === undefined ? 0 : (sent.ExclusiveStartKey.page as number);
    const last = at + 1 < pages.length ? { page: at + 1 } : undefined;
    const out: QueryPageOutput = { Items: pages[at]!.map((id) => ({ id })), Count: pages[at]!.length, LastEvaluatedKey: last };
    return Promise.resolve(out);
  };
  return { send, starts };
}

const ids = (items: QueryItem[]) => items.map((i) => i.id);

describe("queryItems", () => {
  it("reads every page in order, each from the last one's key", async () => {
    const { send, starts } = pagedClient([[1, 2], [], [3], [4, 5]]);
    const { items, truncated } = await queryItems(input, { send });
    expect(ids(items)).toEqual([1, 2, 3, 4, 5]);
    expect(truncated).toBe(false);
    expect(starts).toEqual([undefined, { page: 1 }, { page: 2 }, { page: 3 }]);
  });

  it("stops at the page that reaches the cap, keeps the first items and says it cut them", async () => {
    const { send, starts } = pagedClient([[1, 2], [3, 4, 5], [6]]);
    const { items, truncated } = await queryItems(input, { cap: 4, send });
    expect(ids(items)).toEqual([1, 2, 3, 4]);
    expect(truncated).toBe(true);
    expect(starts).toHaveLength(2);
  });

  it("says truncated when the cap is reached at a page's end with pages left", async () => {
    const { send, starts } = pagedClient([[1, 2], [3], [4]]);
    const { items, truncated } = await queryItems(input, { cap: 3, send });
    expect(ids(items)).toEqual([1, 2, 3]);
    expect(truncated).toBe(true);
    expect(starts).toHaveLength(2);
  });

  it("is not truncated when the last page holds exactly the cap", async () => {
    const { send } = pagedClient([[1, 2], [3]]);
    expect(await queryItems(input, { cap: 3, send })).toEqual({ items: [{ id: 1 }, { id: 2 }, { id: 3 }], truncated: false });
  });

  it("answers nothing for an empty query", async () => {
    const { send, starts } = pagedClient([[]]);
    expect(await queryItems(input, { cap: 10, send })).toEqual({ items: [], truncated: false });
    expect(starts).toEqual([undefined]);
  });

  it("reads past empty pages (a filter that matched nothing on them)", async () => {
    const { send } = pagedClient([[], [], [7]]);
    expect(ids((await queryItems(input, { send })).items)).toEqual([7]);
  });
});

describe("queryCount", () => {
  it("adds every page's count", async () => {
    const { send, starts } = pagedClient([[1, 2], [], [3, 4, 5]]);
    expect(await queryCount(input, send)).toBe(5);
    expect(starts).toHaveLength(3);
  });

  it("is zero for an empty query", async () => {
    expect(await queryCount(input, pagedClient([[]]).send)).toBe(0);
  });
});

describe("queryFirst", () => {
  it("answers the first item, reading no page after the one that has it", async () => {
    const { send, starts } = pagedClient([[], [8, 9], [10]]);
    expect(await queryFirst(input, send)).toEqual({ id: 8 });
    expect(starts).toHaveLength(2);
  });

  it("is undefined when no page has an item", async () => {
    const { send, starts } = pagedClient([[], []]);
    expect(await queryFirst(input, send)).toBeUndefined();
    expect(starts).toHaveLength(2);
  });
});
