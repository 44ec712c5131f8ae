import { describe, expect, it } from "vitest";
import { alertFingerprint } from "../../../../lambdas/core/alerts/fingerprint.js";

// The formats are stored (the inbox claims a digest of them): these strings are the ones alerts already
// open in users' tables were raised with.
describe("alertFingerprint", () => {
  it("keeps every stored format", () => {
    expect(alertFingerprint.dataDrift(["income", "age"])).toBe("age,income");
    expect(alertFingerprint.performanceDrift("1.2.0", ["f1", "accuracy"])).toBe("performance:1.2.0:accuracy,f1");
    expect(alertFingerprint.performanceEstimated("1.2.0", "accuracy")).toBe("estimated:1.2.0:accuracy");
    expect(alertFingerprint.alarm("mlwatch-drift-errors")).toBe("alarm:mlwatch-drift-errors");
    expect(alertFingerprint.trainingFailed("churn-2026")).toBe("training:churn-2026");
    expect(alertFingerprint.test(new Date("2026-01-01T00:00:00Z"), "7")).toBe("test:2026-01-01T00:00:00.000Z:7");
  });

  it("gives the same set the same fingerprint whatever its order, and a different set another", () => {
    expect(alertFingerprint.dataDrift(["b", "a", "c"])).toBe(alertFingerprint.dataDrift(["c", "b", "a"]));
    expect(alertFingerprint.dataDrift(["a", "b"])).not.toBe(alertFingerprint.dataDrift(["a", "b", "c"]));
    expect(alertFingerprint.performanceDrift("1", ["x"])).not.toBe(alertFingerprint.performanceDrift("2", ["x"]));
  });

  it("does not reorder the caller's list", () => {
    const names = ["b", "a"];
    alertFingerprint.dataDrift(names);
    expect(names).toEqual(["b", "a"]);
  });
});
