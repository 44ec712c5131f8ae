/**
 * Time-sortable ids (`20250102T030405123Z-a1b2c3`): UTC time to the millisecond plus 6 random hex digits, so
 * sort-key order is time order. Drift baselines and checks, alerts and ground-truth join jobs use them.
 */
import { randomBytes } from "node:crypto";

/** The shape of a {@link timeSortableId}, for path parameters and job payloads. */
export const timeSortableIdPattern = /^[0-9TZ]+-[0-9a-f]{6}$/;

/** A new time-sortable id. */
export function timeSortableId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, "")}-${randomBytes(3).toString("hex")}`;
}
