import { describe, expect, it } from "vitest";
import { cancellationCodes, classifyCancellation } from "../../../lambdas/shared/transact.js";

describe("classifyCancellation", () => {
  it("is a condition only when every failed item failed its condition", () => {
    expect(classifyCancellation(["None", "ConditionalCheckFailed"])).toBe("condition");
    expect(classifyCancellation(["ConditionalCheckFailed", "ConditionalCheckFailed"])).toBe("condition");
  });

  it("retries transient reasons, even beside a failed condition (that condition is not yet an answer)", () => {
    expect(classifyCancellation(["TransactionConflict", "None"])).toBe("retry");
    expect(classifyCancellation(["None", "ThrottlingError"])).toBe("retry");
    expect(classifyCancellation(["ProvisionedThroughputExceeded"])).toBe("retry");
    expect(classifyCancellation(["RequestLimitExceeded", "ConditionalCheckFailed"])).toBe("retry");
  });

  it("refuses anything else: an item DynamoDB would not take, no reason at all, an unknown code", () => {
    expect(classifyCancellation(["None", "ValidationError"])).toBe("refused");
    expect(classifyCancellation(["ConditionalCheckFailed", "ValidationError"])).toBe("refused");
    expect(classifyCancellation(["ItemCollectionSizeLimitExceeded"])).toBe("refused");
    expect(classifyCancellation([])).toBe("refused");
    expect(classifyCancellation(["None", "None"])).toBe("refused");
    expect(classifyCancellation(["SomethingNew"])).toBe("refused");
  });

  it("reads the per-item codes of an exception, None where an item has none", () => {
    expect(cancellationCodes({ CancellationReasons: [{ Code: "None" }, {}, { Code: "ConditionalCheckFailed" }] })).toEqual(["None", "None", "ConditionalCheckFailed"]);
    expect(cancellationCodes({})).toEqual([]);
  });
});
