/**
 * Listing mlwatch's data bucket is granted only under s3:prefix conditions (no role, the registry's
 * included, lists the whole bucket), and the IAM5 acknowledgements of prefix grants say who chooses the
 * keys under each prefix — true for datasets/ (users) and data-capture/ (SageMaker) as for mlwatch's own.
 */
import { describe, expect, it } from "vitest";
import { Validations } from "aws-cdk-lib";
import { iamStatements, resourcesOf, synth } from "./synth.js";
import { BucketPrefix, healthProbePrefix } from "../../lambdas/shared/buckets.js";

const asList = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);
const json = (x: unknown): string => JSON.stringify(x);

describe("least privilege on the data bucket", () => {
  const { template, stack } = synth({ dataBuckets: "team-training-data" });
  const [bucketId] = resourcesOf(template, "AWS::S3::Bucket").find(([id]) => id.startsWith("StorageData"))!;

  it("grants s3:ListBucket on the data bucket only with an s3:prefix condition", () => {
    const listing = iamStatements(template).filter((s) => asList(s.Action).includes("s3:ListBucket") && json(s.Resource).includes(bucketId));
    expect(listing.length).toBeGreaterThanOrEqual(4);
    for (const s of listing) {
      const prefixes = s.Condition?.StringLike?.["s3:prefix"] ?? s.Condition?.StringEquals?.["s3:prefix"];
      expect(prefixes, json(s)).toBeDefined();
      for (const p of asList(prefixes)) expect(String(p)).toMatch(/^[a-z-]+(\/[a-z-]+)*\/\*?$/);
    }
    // The health probe lists exactly one prefix, which the registry may list anyway.
    expect(listing.some((s) => json(s.Condition) === json({ StringEquals: { "s3:prefix": [healthProbePrefix] } }))).toBe(true);
  });

  it("states who chooses the keys in each prefix's IAM5 acknowledgement", () => {
    const reasons = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .filter(([id]) => id.includes("AwsSolutions-IAM5") && id.includes(bucketId));
    const reasonFor = (prefix: string): string[] => reasons.filter(([id]) => id.endsWith(`/${prefix}*]`)).map(([, r]) => r);
    expect(reasonFor(BucketPrefix.datasets).length).toBeGreaterThan(0);
    for (const r of reasonFor(BucketPrefix.datasets)) expect(r).toMatch(/users put their datasets there under keys they choose/);
    expect(reasonFor(BucketPrefix.dataCapture).length).toBeGreaterThan(0);
    for (const r of reasonFor(BucketPrefix.dataCapture)) expect(r).toMatch(/SageMaker endpoints write captured data there under keys SageMaker generates/);
    for (const r of reasonFor(BucketPrefix.batches)) expect(r).toMatch(/mlwatch generates the keys per model, version, day and batch/);
    for (const [, r] of reasons) expect(r).not.toMatch(/generated per model, version and request/);
  });
});
