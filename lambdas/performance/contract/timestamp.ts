/** Timestamps in performance requests: ISO 8601 with an offset, from 2000 on. */
import { z } from "@hono/zod-openapi";

/** Earliest timestamp accepted (a year-0000 or 1970 timestamp is a bug in the caller, not data). */
export const earliestTimestamp = "2000-01-01T00:00:00Z";
export const timestampSchema = z.iso
  .datetime({ offset: true, error: "must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z" })
  .refine((t) => Date.parse(t) >= Date.parse(earliestTimestamp), `must be on or after ${earliestTimestamp}`);
