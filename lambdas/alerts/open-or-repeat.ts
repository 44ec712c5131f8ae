/**
 * Opening an alert or counting a repeat, race-safe.
 *
 * A new alert is one transaction (store/fingerprints.ts): claim its fingerprint (`ALERTFP#{digest}`,
 * conditional on no unresolved alert holding it and the suppression window having passed), write the
 * alert, count it in the model's unresolved count. When the claim fails, the fingerprint points to the
 * alert this one repeats, and the repeat is an atomic `ADD occurrences 1` on it. Two checks finding the
 * same drift at once therefore produce one alert with two occurrences and one message.
 */
import { ConflictError } from "../shared/errors.js";
import { AlertState, type AlertType } from "./contract/alert-types.js";
import type { AlertRecord } from "./contract.js";
import { newAlertId } from "./store/alerts.js";
import { claimFingerprint, countRepeat, fingerprintDigest, fingerprintTarget } from "./store/fingerprints.js";

/** What raises an alert. */
export interface NewAlert {
  readonly type: AlertType;
  readonly model?: string;
  readonly version?: string;
  readonly severity: string;
  readonly subject: string;
  readonly summary: string;
  readonly link: AlertRecord["link"];
  /** What makes two alerts "the same" (with model and type): built by lambdas/core/alerts/fingerprint.ts. */
  readonly fingerprint: string;
  /** Initial delivery status. */
  readonly delivery: AlertRecord["delivery"];
}

/** The outcome of {@link openOrRepeat}. */
export interface OpenOrRepeat {
  /** Whether this raised a new alert (else it counted a repeat on `alert`). */
  readonly created: boolean;
  readonly alert: AlertRecord;
}

/** The store operations {@link openOrRepeat} is made of (the table's by default; tests pass their own). */
export interface OpenOrRepeatStore {
  /** Writes the claim, the alert and the count in one transaction. @returns false when the fingerprint is held */
  readonly claim: (alert: AlertRecord, claim: { digest: string; fingerprint: string; windowEnd: number; now: Date }) => Promise<boolean>;
  /** The alert the fingerprint points to, if the pointer still exists. */
  readonly target: (digest: string) => Promise<{ alertId: string } | undefined>;
  /** Counts one more occurrence. @returns the alert after the count, undefined when the alert is gone */
  readonly countRepeat: (alertId: string, at: string) => Promise<AlertRecord | undefined>;
  /** A new alert id. */
  readonly newId: (now: Date) => string;
}

const tableStore: OpenOrRepeatStore = { claim: claimFingerprint, target: fingerprintTarget, countRepeat, newId: newAlertId };

/** How many times a claim is tried before giving up (each loss means the pointer changed hands). */
const attempts = 3;

/**
 * Raises an alert, or counts it on the alert it repeats: a repeat is the same model, type and fingerprint
 * while that alert is unresolved, or within `windowSeconds` of its first occurrence.
 * @throws ConflictError when the fingerprint changed hands three times in a row
 */
export async function openOrRepeat(input: NewAlert, windowSeconds: number, now = new Date(), store: OpenOrRepeatStore = tableStore): Promise<OpenOrRepeat> {
  const digest = fingerprintDigest(input.model, input.type, input.fingerprint);
  const iso = now.toISOString();
  const windowEnd = Math.floor(now.getTime() / 1000) + Math.max(0, Math.round(windowSeconds));
  for (let attempt = 0; attempt < attempts; attempt++) {
    const alert: AlertRecord = {
      alertId: store.newId(now),
      type: input.type,
      ...(input.model ? { model: input.model } : {}),
      ...(input.version ? { version: input.version } : {}),
      severity: input.severity,
      subject: input.subject,
      summary: input.summary,
      link: input.link,
      state: AlertState.open,
      occurrences: 1,
      firstSeen: iso,
      lastSeen: iso,
      suppressedUntil: new Date(windowEnd * 1000).toISOString(),
      delivery: input.delivery,
    };
    if (await store.claim(alert, { digest, fingerprint: input.fingerprint, windowEnd, now })) return { created: true, alert };
    const target = await store.target(digest);
    if (!target) continue; // the claim expired in between: claim again
    const repeated = await store.countRepeat(target.alertId, iso);
    if (repeated) return { created: false, alert: repeated };
    // The alert it pointed to has expired (resolved long ago): claim again.
  }
  throw new ConflictError("the alert's fingerprint changed hands three times in a row; retry");
}
