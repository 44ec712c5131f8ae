import { afterEach, describe, expect, it } from "vitest";
import { MonitorEnv, defaultMonitorRunLimits, monitorRunLimits, selectRunObjects } from "../../../lambdas/drift/monitor.js";
import type { S3ObjectRef } from "../../../lambdas/shared/readers/s3-source.js";

const t0 = Date.parse("2026-03-01T10:00:00.000Z");
/** An object `second` seconds after t0. */
const ref = (key: string, second: number, size = 100): S3ObjectRef => ({ bucket: "b", key, size, lastModified: new Date(t0 + second * 1000) });

describe("selectRunObjects (what one monitor run covers)", () => {
  it("covers everything within the limits, oldest first, and leaves the watermark to the caller's cutoff", () => {
    // Prepare
    const objects = [ref("c", 2), ref("a", 1), ref("b", 1)];
    // Act
    const out = selectRunObjects(objects, { objects: 3, bytes: 300 });
    // Assess
    expect(out.covered.map((o) => o.key)).toEqual(["a", "b", "c"]);
    expect(out.through).toBeUndefined();
    expect(out.deferred).toBe(0);
  });

  it("stops before the group that would pass the object cap and names the newest covered time", () => {
    const out = selectRunObjects([ref("a", 1), ref("b", 1), ref("c", 2), ref("d", 2), ref("e", 3)], { objects: 3, bytes: 1e9 });
    // a and b fit; c and d share a LastModified, so both wait (else the watermark would cover d unchecked)
    expect(out.covered.map((o) => o.key)).toEqual(["a", "b"]);
    expect(out.through).toEqual(new Date(t0 + 1000));
    expect(out.deferred).toBe(3);
  });

  it("applies the byte cap the same way", () => {
    const out = selectRunObjects([ref("a", 1, 600), ref("b", 2, 300), ref("c", 3, 200)], { objects: 100, bytes: 1000 });
    expect(out.covered.map((o) => o.key)).toEqual(["a", "b"]);
    expect(out.through).toEqual(new Date(t0 + 2000));
    expect(out.deferred).toBe(1);
  });

  it("takes an oldest group larger than the cap whole, so monitoring can pass it", () => {
    const out = selectRunObjects([ref("a", 1), ref("b", 1), ref("c", 1), ref("d", 2)], { objects: 2, bytes: 1e9 });
    expect(out.covered.map((o) => o.key)).toEqual(["a", "b", "c"]);
    expect(out.through).toEqual(new Date(t0 + 1000));
    expect(out.deferred).toBe(1);
  });

  it("covers nothing of an empty listing", () => {
    expect(selectRunObjects([], defaultMonitorRunLimits)).toEqual({ covered: [], deferred: 0 });
  });
});

describe("monitorRunLimits", () => {
  afterEach(() => {
    delete process.env[MonitorEnv.maxObjects];
    delete process.env[MonitorEnv.maxBytes];
  });

  it("defaults to 20,000 objects and 256 GiB a run, and reads the environment over them", () => {
    expect(monitorRunLimits()).toEqual({ objects: 20_000, bytes: 256 * 1024 ** 3 });
    process.env[MonitorEnv.maxObjects] = "7";
    process.env[MonitorEnv.maxBytes] = "4096";
    expect(monitorRunLimits()).toEqual({ objects: 7, bytes: 4096 });
  });

  it("refuses a limit that is not a positive integer", () => {
    process.env[MonitorEnv.maxObjects] = "0";
    expect(() => monitorRunLimits()).toThrow(`${MonitorEnv.maxObjects} must be a positive integer`);
    process.env[MonitorEnv.maxObjects] = "2.5";
    expect(() => monitorRunLimits()).toThrow(/must be a positive integer/);
  });
});
