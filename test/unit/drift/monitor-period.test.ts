import { describe, expect, it } from "vitest";
import { isDue, periodOf } from "../../../lambdas/drift/monitor.js";

const at = (iso: string): Date => new Date(iso);

describe("a monitored model's period", () => {
  it("is everyMinutes less a tenth (at most 5 minutes) for the rule's jitter, else the schedule's", () => {
    expect(periodOf({ schedule: "hourly", everyMinutes: 5 })).toBe(4.5 * 60_000);
    expect(periodOf({ schedule: "daily", everyMinutes: 30 })).toBe(27 * 60_000);
    expect(periodOf({ schedule: "hourly", everyMinutes: 60 })).toBe(55 * 60_000);
    expect(periodOf({ schedule: "hourly" })).toBe(55 * 60_000);
    expect(periodOf({ schedule: "daily" })).toBe((23 * 60 + 55) * 60_000);
  });

  it("makes a 5-minute model due at the next 5-minute pass, and an hourly one not", () => {
    const lastRunAt = "2025-01-01T10:00:03Z";
    expect(isDue({ schedule: "hourly", everyMinutes: 5, lastRunAt }, at("2025-01-01T10:05:01Z"))).toBe(true);
    expect(isDue({ schedule: "hourly", everyMinutes: 5, lastRunAt }, at("2025-01-01T10:04:00Z"))).toBe(false);
    expect(isDue({ schedule: "hourly", lastRunAt }, at("2025-01-01T10:05:01Z"))).toBe(false);
    expect(isDue({ schedule: "hourly", everyMinutes: 5 }, at("2025-01-01T10:05:01Z"))).toBe(true);
  });
});
