/**
 * openOrRepeat's decisions with the store's operations injected: a claim opens a new alert; a lost claim
 * counts a repeat on the alert the fingerprint points to; a pointer or alert that vanished in between is
 * claimed again; three losses in a row are a conflict. (The transactions themselves run against the
 * emulator in test/integration/alerts/.)
 */
import { describe, expect, it } from "vitest";
import type { AlertRecord } from "../../../lambdas/alerts/contract.js";
import { openOrRepeat, type NewAlert, type OpenOrRepeatStore } from "../../../lambdas/alerts/open-or-repeat.js";
import { fingerprintDigest } from "../../../lambdas/alerts/store/fingerprints.js";
import { ConflictError } from "../../../lambdas/shared/errors.js";

const now = new Date("2026-03-01T12:00:00.000Z");
const input: NewAlert = { type: "data_drift", model: "churn", severity: "high", subject: "drift", summary: "age drifted", link: { checkId: "c1" }, fingerprint: "age", delivery: { status: "sending" } };

/** A store whose answers are scripted; every call is recorded. */
function scripted(answers: { claims: boolean[]; targets?: ({ alertId: string } | undefined)[]; repeats?: (AlertRecord | undefined)[] }) {
  const calls: string[] = [];
  const claimed: { alert: AlertRecord; claim: { digest: string; fingerprint: string; windowEnd: number } }[] = [];
  let ids = 0;
  const store: OpenOrRepeatStore = {
    claim: async (alert, claim) => {
      calls.push("claim");
      claimed.push({ alert, claim });
      return answers.claims.shift() ?? false;
    },
    target: async () => {
      calls.push("target");
      return answers.targets?.shift();
    },
    countRepeat: async (alertId) => {
      calls.push(`repeat:${alertId}`);
      return answers.repeats?.shift();
    },
    newId: () => `id-${++ids}`,
  };
  return { store, calls, claimed };
}

const existing = (occurrences: number): AlertRecord => ({ ...input, alertId: "old", state: "open", occurrences, firstSeen: "2026-03-01T11:00:00.000Z", lastSeen: now.toISOString(), suppressedUntil: "2026-03-01T17:00:00.000Z" }) as AlertRecord;

describe("openOrRepeat", () => {
  it("opens a new alert when the claim holds: one occurrence, the window from now, the digest of model, type and fingerprint", async () => {
    // Prepare
    const { store, calls, claimed } = scripted({ claims: [true] });
    // Act
    const out = await openOrRepeat(input, 6 * 3600, now, store);
    // Assess
    expect(out.created).toBe(true);
    expect(out.alert).toMatchObject({ alertId: "id-1", state: "open", occurrences: 1, firstSeen: now.toISOString(), lastSeen: now.toISOString(), suppressedUntil: "2026-03-01T18:00:00.000Z", model: "churn", delivery: { status: "sending" } });
    expect(calls).toEqual(["claim"]);
    expect(claimed[0].claim).toEqual({ digest: fingerprintDigest("churn", "data_drift", "age"), fingerprint: "age", windowEnd: Date.parse("2026-03-01T18:00:00.000Z") / 1000, now });
  });

  it("counts a repeat on the alert the fingerprint points to when the claim is held", async () => {
    // Prepare
    const { store, calls } = scripted({ claims: [false], targets: [{ alertId: "old" }], repeats: [existing(3)] });
    // Act
    const out = await openOrRepeat(input, 3600, now, store);
    // Assess
    expect(out).toEqual({ created: false, alert: existing(3) });
    expect(calls).toEqual(["claim", "target", "repeat:old"]);
  });

  it("claims again when the pointer vanished in between, and when the alert it pointed to has expired", async () => {
    // Prepare
    const { store, calls } = scripted({ claims: [false, false, true], targets: [undefined, { alertId: "gone" }], repeats: [undefined] });
    // Act
    const out = await openOrRepeat(input, 3600, now, store);
    // Assess
    expect(out.created).toBe(true);
    expect(out.alert.alertId).toBe("id-3");
    expect(calls).toEqual(["claim", "target", "claim", "target", "repeat:gone", "claim"]);
  });

  it("gives up with a conflict after three lost claims in a row", async () => {
    // Prepare
    const { store, calls } = scripted({ claims: [false, false, false], targets: [undefined, undefined, undefined] });
    // Act / Assess
    await expect(openOrRepeat(input, 3600, now, store)).rejects.toBeInstanceOf(ConflictError);
    expect(calls.filter((c) => c === "claim")).toHaveLength(3);
  });

  it("leaves model and version out of an alert that has none, and never lets a negative window end before now", async () => {
    // Prepare
    const { store } = scripted({ claims: [true] });
    // Act
    const out = await openOrRepeat({ ...input, model: undefined, type: "alarm" }, -50, now, store);
    // Assess
    expect("model" in out.alert).toBe(false);
    expect("version" in out.alert).toBe(false);
    expect(out.alert.suppressedUntil).toBe(now.toISOString());
  });
});
