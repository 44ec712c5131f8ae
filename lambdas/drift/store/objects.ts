/**
 * The drift service's objects in the data bucket: baseline profiles (`baselines/{model}/{baselineId}.json`),
 * full reports (`reports/drift/{model}/{checkId}.json`), their HTML pages and Model Monitor violations next to
 * them (key builders from lambdas/shared/buckets.ts).
 */
import { resourceNames } from "../../shared/env.js";
import { serviceLogger } from "../../shared/logger.js";
import { bucketKeys } from "../../shared/buckets.js";
import { loadS3 } from "../../shared/sdk/s3.js";

/** The data bucket key of a baseline profile. */
export const profileKey = bucketKeys.baselineProfile;
/** The data bucket key of a full drift report. */
export const reportKey = bucketKeys.driftReport;
/** The data bucket key of a drift report's HTML page, next to the JSON. */
export const reportHtmlKey = bucketKeys.driftReportHtml;
/** The data bucket key of a check's constraint_violations.json, next to the report. */
export const violationsKey = bucketKeys.driftViolations;

const bucket = (): string => resourceNames().bucket;

/** Writes a JSON object to the data bucket; returns its s3:// URI. */
export async function putJson(key: string, value: unknown): Promise<string> {
  const { PutObjectCommand, s3Client } = await loadS3();
  await s3Client().send(
    new PutObjectCommand({ Bucket: bucket(), Key: key, Body: JSON.stringify(value), ContentType: "application/json" }),
  );
  return `s3://${bucket()}/${key}`;
}

/** Writes a text object (an HTML report) to the data bucket; returns its s3:// URI. */
export async function putText(key: string, body: string, contentType: string): Promise<string> {
  const { PutObjectCommand, s3Client } = await loadS3();
  await s3Client().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body, ContentType: contentType }));
  return `s3://${bucket()}/${key}`;
}

/**
 * Removes an object this service wrote whose record could not be stored (a baseline profile, a report), so
 * a failed write leaves nothing behind. A clean-up failure is logged by key, never thrown over the cause.
 */
export async function removeOrphan(key: string, context: Record<string, unknown>): Promise<void> {
  const { DeleteObjectCommand, s3Client } = await loadS3();
  try {
    await s3Client().send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
  } catch (err) {
    serviceLogger("drift").error("removing an object whose record was not stored failed", { ...context, key, error: err as Error });
  }
}

/** Reads a JSON object's text from the data bucket. */
export async function getText(key: string): Promise<string> {
  const { GetObjectCommand, s3Client } = await loadS3();
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  return (await out.Body?.transformToString("utf-8")) ?? "";
}
