import { describe, expect, it } from "vitest";
import { CaptureColumnParser, captureInputRows, isCaptureRecord, splitCaptureCsvLine } from "../../../lambdas/shared/readers/data-capture.js";

const line = (data: string, type: string, encoding: string) =>
  JSON.stringify({ captureData: { endpointInput: { observedContentType: type, mode: "INPUT", data, encoding } }, eventMetadata: { eventId: "e", inferenceTime: "2025-01-01T00:00:00Z" } });

describe("SageMaker data capture", () => {
  it("recognises capture records", () => {
    expect(isCaptureRecord(JSON.parse(line("1", "text/csv", "CSV")))).toBe(true);
    expect(isCaptureRecord({ a: 1 })).toBe(false);
    expect(isCaptureRecord(null)).toBe(false);
  });

  it("reads CSV payloads as positional rows, one per line, with RFC 4180 quotes", () => {
    expect(captureInputRows({ observedContentType: "text/csv", encoding: "CSV", data: '1,2,"a,b"\n3,4,c' })).toEqual({ named: [], positional: [["1", "2", "a,b"], ["3", "4", "c"]] });
    expect(splitCaptureCsvLine('"say ""hi""",2')).toEqual(['say "hi"', "2"]);
  });

  it("reads the common JSON shapes", () => {
    const rows = (data: unknown) => captureInputRows({ observedContentType: "application/json", encoding: "JSON", data: JSON.stringify(data) });
    expect(rows({ a: 1, b: "x" })).toEqual({ named: [{ a: 1, b: "x" }], positional: [] });
    expect(rows({ instances: [{ a: 1 }, { a: 2 }] })).toEqual({ named: [{ a: 1 }, { a: 2 }], positional: [] });
    expect(rows({ instances: [[1, 2], [3, 4]] })).toEqual({ named: [], positional: [[1, 2], [3, 4]] });
    expect(rows({ instances: [{ features: [1, 2] }] })).toEqual({ named: [], positional: [[1, 2]] });
    expect(rows({ inputs: [{ a: 1 }] })).toEqual({ named: [{ a: 1 }], positional: [] });
    expect(rows({ features: [1, "x"] })).toEqual({ named: [], positional: [[1, "x"]] });
    expect(rows([1, 2, 3])).toEqual({ named: [], positional: [[1, 2, 3]] });
  });

  it("decodes base64 payloads by their content type, and JSON Lines payloads line by line", () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    expect(captureInputRows({ observedContentType: "text/csv", encoding: "BASE64", data: b64("1,2") }).positional).toEqual([["1", "2"]]);
    expect(captureInputRows({ observedContentType: "application/json", encoding: "BASE64", data: b64('{"a":1}') }).named).toEqual([{ a: 1 }]);
    expect(captureInputRows({ observedContentType: "application/jsonlines", encoding: "JSON", data: '{"a":1}\n{"a":2}' }).named).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("builds columns, naming positional values by the given names and feature_{i} beyond them; skips bad lines and counts them", () => {
    const p = new CaptureColumnParser({ positionalNames: ["age", "plan"] });
    p.pushLine(line("30,basic,7", "text/csv", "CSV"));
    p.pushLine(line(JSON.stringify({ age: 40, plan: "pro" }), "application/json", "JSON"));
    p.pushLine("not json");
    p.pushLine(line("{broken", "application/json", "JSON"));
    p.pushLine("");
    const t = p.finish();
    expect(t.rows).toBe(2);
    const byName = Object.fromEntries(t.columns.map((c) => [c.name, c]));
    expect(Array.from(byName.age.numbers)).toEqual([30, 40]);
    expect(byName.plan.texts).toEqual(["basic", "pro"]);
    expect(Array.from(byName.feature_2.numbers)).toEqual([7, NaN]);
    expect(p.skipped).toBe(2);
    expect(p.firstError).toBe("line 3: not JSON");
  });
});
