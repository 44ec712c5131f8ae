import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { isHourlyPartitioned, listS3Objects } from "../../../lambdas/shared/readers/s3-source.js";
import { putObject } from "./fixtures.js";

describe("incremental S3 listing (StartAfter)", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("drift-inc");
    for (const hour of ["2026/11/30/23", "2026/12/01/05", "2026/12/01/06", "2026/12/01/09"]) {
      await putObject(stack.names.bucket, `data-capture/ep/AllTraffic/${hour}/part.jsonl`, '{"a":1}\n');
    }
    await putObject(stack.names.bucket, "datasets/flat/a.csv", "a\n1\n");
  });

  it("lists only keys after StartAfter, and tells an hourly-partitioned prefix from another", async () => {
    const uri = `s3://${stack.names.bucket}/data-capture/ep/AllTraffic/`;
    const all = await listS3Objects(uri);
    expect(all).toHaveLength(4);
    const later = await listS3Objects(uri, { startAfter: "data-capture/ep/AllTraffic/2026/12/01/06" });
    expect(later.map((o) => o.key)).toEqual(["data-capture/ep/AllTraffic/2026/12/01/06/part.jsonl", "data-capture/ep/AllTraffic/2026/12/01/09/part.jsonl"]);
    expect(await listS3Objects(uri, { startAfter: "data-capture/ep/AllTraffic/2027" })).toEqual([]);
    expect(await isHourlyPartitioned(uri)).toBe(true);
    expect(await isHourlyPartitioned(`s3://${stack.names.bucket}/data-capture/ep/`)).toBe(false);
    expect(await isHourlyPartitioned(`s3://${stack.names.bucket}/datasets/flat/`)).toBe(false);
  });
});
