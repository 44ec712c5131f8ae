/**
 * Parse-time request limits on every body route, through the same host app the local server runs:
 * depth 32 → 400 BODY_TOO_DEEP (a 100,000-level nested array included), more than 1,000 keys in an
 * object → 400, a charset other than UTF-8 → 415, more than 1,000 features → 400; and Idempotency-Key
 * replays that compare the parsed JSON, not its bytes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";

const deepArray = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("request limits at parse time", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("limits");
    const base = await stack.call("POST", "/models/lim/baselines", { records: [{ a: 1 }, { a: 2 }, { a: 3 }] });
    expect(base.status).toBe(201);
  });

  const deepCases: Array<[string, (deep: string) => string]> = [
    ["/models/lim/drift-checks", (d) => `{"records":[{"a":${d}}]}`],
    ["/models/lim/baselines", (d) => `{"records":[{"a":${d}}]}`],
    ["/events", (d) => `{"type":"training_completed","details":{"x":${d}}}`],
    ["/models/lim/versions/1.0.0/batches", (d) => `{"task":"regression","predictions":[1],"actuals":[1],"features":{"f":[${d}]}}`],
    ["/models/lim/versions", (d) => `{"requestUpload":true,"primaryMetric":"auc","direction":"higher","parameters":{"p":${d}}}`],
  ];

  for (const [path, body] of deepCases) {
    it(`POST ${path}: a 100,000-level nested array is a 400 BODY_TOO_DEEP, depth 33 too`, async () => {
      for (const depth of [100_000, 33]) {
        const res = await stack.call("POST", path, body(deepArray(depth)));
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.error.code).toBe("BODY_TOO_DEEP");
        expect(res.body.error.message).toMatch(/nests deeper than 32 levels/);
      }
    });
  }

  it("a body within the depth limit passes the parser (the schema judges it)", async () => {
    const res = await stack.call("POST", "/events", `{"type":"training_completed","details":{"x":${deepArray(28)}}}`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it("an object with more than 1,000 keys is a 400 naming the limit", async () => {
    const record = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`f${i}`, i]));
    const res = await stack.call("POST", "/models/lim/baselines", { records: [record, record] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/body\.records\.\d+: at most 1,000 keys per object, got 1,001/);
  });

  it("more than 1,000 features across records is refused, not cut to the first 1,000", async () => {
    const a = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}`, i]));
    const b = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`g${i}`, i]));
    const res = await stack.call("POST", "/models/wide/baselines", { records: [a, b] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/more than 1,000 features/);
    expect((await stack.call("GET", "/models/wide/baselines")).body.items).toEqual([]);
  });

  it("a body declared in a charset other than UTF-8 is a 415; utf-8 in any spelling passes", async () => {
    const body = '{"type":"training_completed"}';
    for (const type of ["application/json; charset=iso-8859-1", "application/json;charset=\"latin1\"", "application/json; charset=utf-16"]) {
      const res = await stack.call("POST", "/events", body, { "content-type": type });
      expect(res.status, type).toBe(415);
      expect(res.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    for (const type of ["application/json; charset=utf-8", "application/json; charset=UTF8", 'application/json; charset="UTF-8"']) {
      expect((await stack.call("POST", "/events", body, { "content-type": type })).status, type).toBe(201);
    }
  });

  it("an Idempotency-Key retry with the same JSON in another key order and whitespace replays the first answer", async () => {
    const key = `k-${Date.now()}`;
    const first = await stack.call("POST", "/events", '{"type":"training_completed","model":"idem","details":{"a":1,"b":[1,2]}}', { "idempotency-key": key });
    const again = await stack.call("POST", "/events", '{ "details" : { "b" : [ 1, 2 ], "a" : 1 },\n "model": "idem", "type": "training_completed" }', { "idempotency-key": key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    const different = await stack.call("POST", "/events", '{"type":"training_completed","model":"idem","details":{"a":2,"b":[1,2]}}', { "idempotency-key": key });
    expect(different.status).toBe(422);
  });
});
