/**
 * Hostile input against the real local server over HTTP: for every route the services define, generated
 * malformed and hostile requests (wrong types, huge and non-finite numbers, deep nesting, oversized bodies,
 * unicode and path tricks in names, unknown fields, wrong content types and charsets, maps keyed by
 * prototype member names, too many keys in one object, bad query values and headers).
 * Every answer must be a 4xx JSON error with a message — never a 5xx — and the emulator's data must be
 * exactly as it was before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { randomBytes } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { allContracts } from "../../../lambdas/contracts.js";
import { buildOpenApiDocument } from "../../../lambdas/shared/openapi.js";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { settleAsyncJobs } from "../../../lambdas/shared/async-job.js";
import { EnvName } from "../../../lambdas/shared/env.js";
import { routeSpecs, type RouteSpec } from "../../../lib/api.js";
import { listenToTopic, type TopicListener } from "../observe.js";
import { snapshotData, type DataSnapshot } from "../snapshot.js";
import { emulatorEndpoint } from "../emulator.js";

/** Generated requests per route; with every route of the API this is well over 1,000 in total. */
const runsPerRoute = 32;
const routes: RouteSpec[] = allContracts.flatMap(routeSpecs);
const openapi = buildOpenApiDocument(allContracts) as any;

/** A route's operation in the OpenAPI document (its query parameters and body schema). */
function operationOf(route: RouteSpec): any {
  return openapi.paths[route.path][route.method.toLowerCase()];
}
function bodySchemaOf(route: RouteSpec): any {
  let schema = operationOf(route).requestBody?.content?.["application/json"]?.schema;
  if (schema?.$ref) schema = openapi.components.schemas[schema.$ref.split("/").pop()];
  return schema;
}
function queryParamsOf(route: RouteSpec): string[] {
  return (operationOf(route).parameters ?? []).filter((p: any) => p.in === "query").map((p: any) => p.name as string);
}
const pathParamsOf = (route: RouteSpec): string[] => [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/** Values no path parameter accepts (names, semvers, dataset versions, baseline and check ids). */
const invalidSegment = fc.oneof(
  fc.constantFrom(
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2f",
    "a%2Fb",
    "a%00b",
    "%00",
    "%FF",
    "%E0%A4%A",
    "%",
    "-rf",
    "_hidden",
    ".env",
    "m".repeat(129),
    "%F0%9F%92%A5",
    "%EF%BD%8D%EF%BD%8F%EF%BD%84%EF%BD%85%EF%BD%8C", // fullwidth "model"
    "model%E2%80%AE",
    "model%E2%80%8B",
    "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D",
    "%3Cscript%3E",
    "'%20OR%201%3D1%20--",
    "1.0.0%20",
  ),
  fc
    .string({ unit: "binary", minLength: 1, maxLength: 40 })
    .filter((s) => /[^A-Za-z0-9._-]/.test(s) || /^[._-]/.test(s))
    .map((s) => encodeURIComponent(s)),
);

/** Values each query parameter refuses; a parameter missing here fails the completeness test. */
const invalidQuery: Record<string, string[]> = {
  limit: ["0", "-1", "abc", "1e999", "99999999999999999999", "1.5", "NaN", "Infinity", "0x10", "%00"],
  nextToken: ["abc", "!!!", "x".repeat(5000), Buffer.from('{"pk":"MODEL#other","sk":"x"}').toString("base64url"), Buffer.from("[1,2]").toString("base64"), "%FF"],
  stage: ["live", "PRODUCTION", "production%00"],
  profile: ["yes", "TRUE", "1"],
  version: ["1.0", "01.0.0", "x", "1.0.0;drop"],
  environment: ["-x", "a%20b", "%F0%9F%92%A5"],
  model: ["-x", "a%2Fb", "m".repeat(129)],
  type: ["A", "event.*.*", "x%3By", "%00"],
  state: ["closed", "OPEN", "open%00", "resolved,open", "PENDING", "pending%00", "approved,rejected"],
  since: ["yesterday", "2024-13-45T99:00:00Z", "NaN", "1e999", "99999999999999999999999"],
  until: ["tomorrow", "2024-02-30T25:61:00Z", "Infinity", "-1e999"],
  days: ["0", "366", "abc", "1e999", "-5", "1.5"],
  versions: ["x".repeat(300), "1.0.0", "a,b", ",,,", "1.0.0,1.0.0,1.0.0,1.0.0,1.0.0,1.0.0,1.0.0,1.0.0,1.0.0,1.0.0,1.0.0"],
  from: ["x", "zz@0000", "%00"],
  to: ["y", "@abcdef0123456789", "a".repeat(200)],
  tag: ["nocolon", ":value", "k".repeat(129) + ":v", "x".repeat(500)],
};

/** JSON values meant to hurt: extreme numbers, unicode, traversal strings, nesting. */
const hostileScalar = fc.oneof(
  fc.constantFrom(1e308, -1e308, 5e-324, -0, 2 ** 53 + 2, 1e21, -1e21, 0.1 + 0.2),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom(
    "__proto__",
    "constructor",
    "../../etc/passwd",
    "s3://other-bucket/../../secret",
    "s3://",
    "s3://b/" + "k".repeat(2000),
    "\u0000",
    "\ud800",
    "💥".repeat(500),
    "'; DROP TABLE models; --",
    "${jndi:ldap://x}",
    "NaN",
    "Infinity",
  ),
);
const { hostileValue } = fc.letrec((tie) => ({
  hostileValue: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileScalar,
    fc.array(tie("hostileValue"), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: "binary", maxLength: 8 }), tie("hostileValue"), { maxKeys: 4 }),
  ),
}));

/** A value of a JSON type the schema property does not allow (when the property has one simple type). */
function wrongTypeFor(schema: any): unknown[] {
  switch (schema?.type) {
    case "string":
      return [42, 1e308, true, [], { a: 1 }];
    case "number":
    case "integer":
      return ["42", "1e999", true, [], { a: 1 }];
    case "boolean":
      return ["true", 1, [], null];
    case "array":
      return [{}, "[]", 1, true];
    case "object":
      return [[], "{}", 1, false];
    default:
      return [];
  }
}

/** One generated request and whether it carries a defect the route must refuse. */
interface HostileRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** What makes it invalid, for the failure message. */
  readonly defect: string;
  /** False only for requests that may legitimately succeed (a GET with nothing invalid, e.g. /health). */
  readonly mustRefuse: boolean;
  /** A 400 with one of these error codes is the only right answer (the JSON boundary's own checks). */
  readonly boundaryCodes?: readonly string[];
}

/** Values the JSON boundary refuses wherever they are: lone surrogates (in values and keys) and numbers past ±1e50 or below 1e-300. */
const boundaryDefect = fc.oneof(
  fc.constantFrom("x\ud800", "\udfff", "a\udc00\ud800b", "\ud83d").map((text) => ({ value: text, asKey: false, code: "INVALID_TEXT" })),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => ({ value: `k${String.fromCharCode(unit)}`, asKey: true, code: "INVALID_TEXT" })),
  fc.constantFrom(1e51, -1e51, 1e308, -1.7976931348623157e308, 1e-301, -5e-324).map((n) => ({ value: n, asKey: false, code: "VALIDATION_ERROR" })),
);

const deep = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("hostile input to every route of the local server", () => {
  let server: LocalServer;
  let listener: TopicListener;
  let before: DataSnapshot;
  const seeded: Record<string, string> = {};
  const sentPerRoute = new Map<string, number>();
  const nonFourxx: string[] = [];

  beforeAll(async () => {
    // Prepare: the real server against the run's emulator, with one of everything to aim at.
    server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `hostile-${randomBytes(4).toString("hex")}` });
    const bucket = server.resources.bucket;
    const post = async (path: string, body: unknown, method = "POST"): Promise<any> => {
      const res = await fetch(`${server.url}${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const json = await res.json();
      if (res.status >= 300) throw new Error(`seeding ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "external/seed.bin", Body: "weights" }));
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "external/train.csv", Body: "a,b\n1,x\n2,y\n3,x\n" }));
    const seedVersion = await post("/models/seed/versions", { version: "1.0.0", artifactUri: `s3://${bucket}/external/seed.bin`, primaryMetric: "rmse", direction: "lower" });
    const dataset = await post("/datasets/seedds/versions", { dataUri: `s3://${bucket}/external/train.csv` });
    const records = Array.from({ length: 50 }, (_, i) => ({ a: i % 7, b: i % 2 ? "x" : "y" }));
    const baseline = await post("/models/seed/baselines", { records });
    const check = await post("/models/seed/drift-checks", { records });
    const batch = await post("/models/seed/versions/1.0.0/batches", { task: "regression", predictions: [1, 2, 3, 4], actuals: [1, 2, 3, 5] });
    const alert = await post("/alerts/test", { note: "seed" });
    // A ground-truth join run as a job (the size bound at 0 bytes sends every Model Monitor join to the worker).
    const capture = { captureData: { endpointOutput: { observedContentType: "text/csv", mode: "OUTPUT", data: "0.5", encoding: "CSV" } }, eventMetadata: { eventId: "e-1", inferenceTime: "2025-01-02T03:04:05Z" }, eventVersion: "0" };
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "external/capture/a.jsonl", Body: JSON.stringify(capture) }));
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "external/truth/a.jsonl", Body: JSON.stringify({ groundTruthData: { data: "0.4", encoding: "CSV" }, eventMetadata: { eventId: "e-1" }, eventVersion: "0" }) }));
    process.env[EnvName.groundTruthInlineBytes] = "0";
    const job = await post("/models/seed/ground-truth", { format: "model_monitor", dataUri: `s3://${bucket}/external/truth/`, captureUri: `s3://${bucket}/external/capture/`, version: "1.0.0", task: "regression" }).finally(() => {
      delete process.env[EnvName.groundTruthInlineBytes];
    });
    await settleAsyncJobs();
    await post("/models/seed/aliases/champion", { version: seedVersion.version }, "PUT");
    await post("/models/seed/promotion-policy", { gates: [{ metric: "rmse", max: 10 }], requireApproval: ["production"], retention: { keepLast: 5 } }, "PUT");
    // The key that signs page tokens is created by the first listing that hands one out: made here, so the
    // snapshot holds it and a hostile listing that happens to be the first is not counted as a change.
    const page = (await (await fetch(`${server.url}/audit?limit=1`)).json()) as { nextToken?: unknown };
    if (typeof page.nextToken !== "string") throw new Error(`seeding /audit?limit=1: no nextToken in ${JSON.stringify(page)}`);
    Object.assign(seeded, { alias: "champion", alertId: alert.alertId, model: "seed", name: "seedds", baselineId: baseline.baselineId, checkId: check.checkId, batchId: batch.batchId, jobId: job.jobId, modelVersion: "1.0.0", datasetVersion: dataset.version });
    listener = await listenToTopic(server.resources.topicArn);
    await listener.receive(0, 200);
    before = await snapshotData(server.resources);
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Requests for one route: each carries at least one defect the route must refuse, except harmless GETs. */
  function requestsFor(route: RouteSpec): fc.Arbitrary<HostileRequest> {
    const params = pathParamsOf(route);
    const query = queryParamsOf(route);
    const schema = bodySchemaOf(route);
    const hasBody = route.bodyRequired;
    const validParam = (p: string): string =>
      p === "version" ? (route.path.startsWith("/datasets") ? seeded.datasetVersion : seeded.modelVersion) : seeded[p];

    const pathArb = fc.tuple(...params.map(() => fc.oneof(fc.constant<"valid">("valid"), invalidSegment))).map((choices) => {
      let path = route.path;
      let invalid = false;
      params.forEach((p, i) => {
        const choice = choices[i] as string;
        if (choice !== "valid") invalid = true;
        path = path.replace(`{${p}}`, choice === "valid" ? validParam(p) : choice);
      });
      return { path, invalid };
    });

    const queryArb = fc
      .tuple(
        fc.subarray(query),
        fc.array(fc.tuple(fc.constantFrom("__proto__", "limit[]", "a%00", "%F0%9F%92%A5", "x".repeat(300)), fc.constantFrom("1", "", "%FF")), { maxLength: 2 }),
        fc.nat(),
      )
      .map(([chosen, unknown, seed]) => {
        const parts = chosen.map((name, i) => {
          const values = invalidQuery[name];
          return `${name}=${values[(seed + i) % values.length]}`;
        });
        parts.push(...unknown.map(([k, v]) => `${k}=${v}`));
        return { qs: parts.length ? `?${parts.join("&")}` : "", invalid: chosen.length > 0 };
      });

    const properties: Record<string, any> = schema?.properties ?? {};
    const names = Object.keys(properties);
    const typed = names.filter((n) => wrongTypeFor(properties[n]).length > 0);
    const baseObject = fc.dictionary(names.length ? fc.constantFrom(...names) : fc.constant("x"), hostileValue, { maxKeys: 6 });
    const bodyArb: fc.Arbitrary<{ body: string | Uint8Array; headers: Record<string, string>; defect: string; boundaryCodes?: readonly string[] }> = fc.oneof(
      // A well-formed body with one lone surrogate or out-of-range number somewhere inside a named field.
      { arbitrary: fc.tuple(fc.constantFrom(...(names.length ? names : ["x"])), boundaryDefect, fc.constantFrom("flat", "list", "map")).map(([name, d, shape]) => {
        const inner = d.asKey ? { [d.value as string]: 1 } : d.value;
        const value = shape === "flat" ? inner : shape === "list" ? [1, "ok", inner] : { ok: "fine", deep: [{ v: inner }] };
        return { body: JSON.stringify({ [name]: value }), headers: { "content-type": "application/json" }, defect: `boundary: ${JSON.stringify(d.value)} (${shape})`, boundaryCodes: ["INVALID_TEXT", "VALIDATION_ERROR"] };
      }), weight: 4 },
      { arbitrary: fc.tuple(baseObject, fc.constantFrom("__proto__", "constructor", "💥", "$where", "a".repeat(1000), "artifactURI", " version"), hostileValue).map(([obj, key, value]) => ({
        body: JSON.stringify(obj).replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"}${Object.keys(obj).length ? "," : ""}`),
        headers: { "content-type": "application/json" },
        defect: `unknown field ${JSON.stringify(key).slice(0, 40)}`,
      })), weight: 6 },
      ...(typed.length
        ? [{ arbitrary: fc.tuple(baseObject, fc.constantFrom(...typed), fc.nat()).map(([obj, name, i]) => {
            const options = wrongTypeFor(properties[name]);
            const value = options[i % options.length];
            const text = JSON.stringify({ ...obj, [name]: value === "1e999" ? "__NONFINITE__" : value }).replace('"__NONFINITE__"', "1e999");
            return { body: text, headers: { "content-type": "application/json" }, defect: `wrong type for ${name}` };
          }), weight: 6 }]
        : []),
      { arbitrary: fc.tuple(baseObject, fc.constantFrom("1e999", "-1e999", "1e400")).map(([obj, n]) => ({
        body: JSON.stringify({ ...obj, [names[0] ?? "x"]: "__N__", zzUnknown: "__N__" }).replaceAll('"__N__"', n),
        headers: { "content-type": "application/json" },
        defect: `non-finite number ${n}`,
      })), weight: 3 },
      { arbitrary: fc.constantFrom('{"a":', "{", "[", '{"a":1,}', "{'a':1}", "\u0000", '{"a":"\\u00"}', "nul", '{"a":1}{"b":2}', "\ufeff{}x").map((body) => ({
        body, headers: { "content-type": "application/json" }, defect: "malformed JSON",
      })), weight: 3 },
      { arbitrary: fc.constantFrom("[]", "[{}]", '"text"', "42", "null", "true", "1e999").map((body) => ({
        body, headers: { "content-type": "application/json" }, defect: `non-object JSON ${body}`,
      })), weight: 3 },
      { arbitrary: fc.tuple(fc.constantFrom(33, 1_000, 20_000, 100_000, 500_000), fc.constantFrom(...(names.length ? names : ["x"]))).map(([depth, name]) => ({
        body: `{"${name}":${deep(depth)},"zzUnknown":1}`, headers: { "content-type": "application/json" }, defect: `nesting depth ${depth}`,
      })), weight: 2 },
      // A value deep inside a valid-looking field, a record, a map of features or details: refused at parse time.
      { arbitrary: fc.tuple(fc.constantFrom(33, 100_000), fc.constantFrom(...(names.length ? names : ["x"]))).map(([depth, name]) => ({
        body: `{"${name}":[{"a":${deep(depth)}}]}`, headers: { "content-type": "application/json" }, defect: `nested value depth ${depth}`,
      })), weight: 2 },
      { arbitrary: fc.tuple(baseObject, fc.constantFrom("iso-8859-1", "latin1", "utf-16", "windows-1252", "ascii")).map(([obj, charset]) => ({
        body: JSON.stringify({ ...obj, zzUnknown: 1 }), headers: { "content-type": `application/json; charset=${charset}` }, defect: `charset ${charset}`,
      })), weight: 2 },
      { arbitrary: fc.tuple(fc.constantFrom(...(names.length ? names : ["x"])), fc.constantFrom("__proto__", "constructor", "toString", "valueOf", "hasOwnProperty")).map(([name, key]) => ({
        // A map keyed by a prototype member name, next to an unknown field (so it must be refused, never a 5xx).
        body: `{"${name}":{"${key}":{"${key}":1}},"zzUnknown":{"${key}":[1]}}`, headers: { "content-type": "application/json" }, defect: `map keyed ${key}`,
      })), weight: 2 },
      { arbitrary: fc.constant({
        body: JSON.stringify({ zzUnknown: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i])) }), headers: { "content-type": "application/json" }, defect: "1,001 keys in one object",
      }), weight: 1 },
      { arbitrary: fc.tuple(fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/jsonx", "text/json"), baseObject).map(([type, obj]) => ({
        body: JSON.stringify(obj), headers: { "content-type": type }, defect: `content type ${type}`,
      })), weight: 3 },
      { arbitrary: baseObject.map((obj) => ({ body: new TextEncoder().encode(JSON.stringify(obj)), headers: {} as Record<string, string>, defect: "a body without a content type" })), weight: 1 },
      { arbitrary: fc.constant({ body: `{"x":"${"x".repeat(7 * 1024 * 1024)}"}`, headers: { "content-type": "application/json" }, defect: "7 MB body" }), weight: 1 },
      { arbitrary: fc.tuple(baseObject, fc.constantFrom("", "has space", "k".repeat(129), "ключ", "a/b")).map(([obj, key]) => ({
        body: JSON.stringify({ ...obj, zzUnknown: 1 }), headers: { "content-type": "application/json", "idempotency-key": encodeURIComponent(key) || " " }, defect: `bad Idempotency-Key ${key}`,
      })), weight: 1 },
    );

    const extraHeaders = fc.record(
      { "x-request-id": fc.constantFrom("a".repeat(300), "%00", "<script>"), "accept": fc.constantFrom("text/html", "*/*", "application/xml"), "x-forwarded-for": fc.constant("127.0.0.1, 10.0.0.1") },
      { requiredKeys: [] },
    );

    if (hasBody) {
      return fc.tuple(pathArb, queryArb, bodyArb, extraHeaders).map(([p, q, b, h]) => ({
        method: route.method,
        path: `${p.path}${q.qs}`,
        headers: { ...h, ...b.headers },
        body: b.body,
        defect: [p.invalid ? "invalid path parameter" : "", b.defect].filter(Boolean).join(", "),
        mustRefuse: true,
        ...(b.boundaryCodes ? { boundaryCodes: b.boundaryCodes } : {}),
      }));
    }
    // No body: a mutating route must get an invalid path parameter; a GET may also get only bad query values.
    return fc
      .tuple(pathArb, queryArb, extraHeaders)
      .filter(([p]) => route.method === "GET" || p.invalid)
      .map(([p, q, h]) => ({
        method: route.method,
        path: `${p.path}${q.qs}`,
        headers: h,
        defect: [p.invalid ? "invalid path parameter" : "", q.invalid ? "invalid query value" : ""].filter(Boolean).join(", ") || "none (unknown query parameters and odd headers only)",
        mustRefuse: p.invalid || q.invalid,
      }));
  }

  it("fuzzes every route the services define, each named in the OpenAPI document and every query parameter covered", () => {
    // Assess: the list comes from the route definitions themselves, so a new route is fuzzed automatically.
    const documented = Object.entries(openapi.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .filter((r) => r !== "GET /openapi.json");
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
    expect(routes.length).toBeGreaterThanOrEqual(39);
    for (const route of routes) for (const q of queryParamsOf(route)) expect(invalidQuery[q], `${route.method} ${route.path} ?${q}`).toBeDefined();
  });

  for (const route of routes) {
    it(`${route.method} ${route.path}: ${runsPerRoute} hostile requests, every answer a 4xx JSON error`, async () => {
      await fc.assert(
        fc.asyncProperty(requestsFor(route), async (req) => {
          // Act
          const res = await fetch(`${server.url}${req.path}`, { method: req.method, headers: req.headers, body: req.body }).catch((err: unknown) => {
            throw new Error(`${req.method} ${req.path.slice(0, 200)} [${req.defect}]: no answer (${String((err as Error).cause ?? err)})`);
          });
          const text = await res.text();
          sentPerRoute.set(`${route.method} ${route.path}`, (sentPerRoute.get(`${route.method} ${route.path}`) ?? 0) + 1);
          // Assess
          const where = `${req.method} ${req.path.slice(0, 200)} [${req.defect}] → ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, where).toBeLessThan(500);
          if (req.mustRefuse || res.status >= 400) {
            expect(res.headers.get("content-type"), where).toMatch(/^application\/json/);
            const body = JSON.parse(text);
            expect(res.status, where).toBeGreaterThanOrEqual(400);
            expect(body.error.code, where).toMatch(/^[A-Z_]+$/);
            expect(typeof body.error.message, where).toBe("string");
            expect(body.error.message.length, where).toBeGreaterThan(5);
            expect(body.error.message, where).not.toMatch(/\bat .+\.(ts|js):\d+/);
            if (req.boundaryCodes) {
              expect(res.status, where).toBe(400);
              expect(req.boundaryCodes, where).toContain(body.error.code);
            }
          } else {
            nonFourxx.push(where);
          }
        }),
        { numRuns: runsPerRoute, endOnFailure: true },
      );
    });
  }

  it("sent at least 1,000 requests, a meaningful share to each route, and left the data exactly as it was", async () => {
    // Assess
    const total = [...sentPerRoute.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(sentPerRoute.size).toBe(routes.length);
    for (const [route, n] of sentPerRoute) expect(n, route).toBeGreaterThanOrEqual(runsPerRoute);
    // Only harmless GETs (nothing invalid in them) may have succeeded.
    for (const line of nonFourxx) expect(line).toMatch(/^GET /);
    const after = await snapshotData(server.resources);
    expect(after).toEqual(before);
    expect(await listener.receive(1, 500)).toEqual([]);
  });
});
