import { describe, expect, it } from "vitest";
import { formatFromContent, formatFromKey, hourlyStartAfter, parseS3Uri } from "../../../lambdas/shared/readers/s3-source.js";

describe("S3 source", () => {
  it("parses s3:// URIs and refuses others", () => {
    expect(parseS3Uri("s3://my-bucket/a/b.csv")).toEqual({ bucket: "my-bucket", key: "a/b.csv" });
    expect(parseS3Uri("s3://my-bucket")).toEqual({ bucket: "my-bucket", key: "" });
    expect(() => parseS3Uri("https://my-bucket/a")).toThrow(/not an s3:\/\/bucket\/key URI/);
    expect(() => parseS3Uri("s3://UPPER/a")).toThrow();
  });

  it("detects the format by extension, gzip included", () => {
    expect(formatFromKey("a/train.csv")).toBe("csv");
    expect(formatFromKey("a/train.CSV.gz")).toBe("csv");
    expect(formatFromKey("a/part.jsonl")).toBe("jsonl");
    expect(formatFromKey("a/part.ndjson.gz")).toBe("jsonl");
    expect(formatFromKey("a/capture.jsonl")).toBe("jsonl");
    expect(formatFromKey("a/part-0001.parquet")).toBe("parquet");
    expect(formatFromKey("a/part-0001")).toBeUndefined();
  });

  it("detects the format by content when the name does not tell", () => {
    const bytes = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
    expect(formatFromContent(bytes("PAR1\u0015\u0004"))).toBe("parquet");
    expect(formatFromContent(bytes('\ufeff  {"a":1}'.replace("\ufeff", "\xef\xbb\xbf")))).toBe("jsonl");
    expect(formatFromContent(bytes("a,b\n1,2\n"))).toBe("csv");
    expect(formatFromContent(bytes(""))).toBe("csv");
  });
});

describe("incremental listing of hourly data capture", () => {
  it("starts after the watermark's hour folder less the capture lag, in UTC", () => {
    // 2026-12-01T09:30Z − 3 h → the 06 hour folder, which StartAfter still lists ("…/06/x" > "…/06")
    expect(hourlyStartAfter("cap/ep/AllTraffic", new Date("2026-12-01T09:30:00Z"))).toBe("cap/ep/AllTraffic/2026/12/01/06");
    expect(hourlyStartAfter("cap/", new Date("2027-01-01T01:00:00Z"), 2)).toBe("cap/2026/12/31/23");
    expect("cap/2026/12/31/23/file.jsonl" > hourlyStartAfter("cap/", new Date("2027-01-01T01:00:00Z"), 2)).toBe(true);
    expect("cap/2026/12/31/22/file.jsonl" > hourlyStartAfter("cap/", new Date("2027-01-01T01:00:00Z"), 2)).toBe(false);
  });
});
