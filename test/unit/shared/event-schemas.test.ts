/**
 * The event schemas: docs/events.schema.json and docs/events.md are current with the zod schemas, the
 * JSON schemas accept the details the publisher builds and refuse broken ones (checked with the test's
 * JSON-schema-subset validator, the same one the integration tests run on delivered events).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eventsDocument, missingSchemaBlocks, withSchemaBlocks } from "../../../lambdas/shared/event-docs.js";
import { eventDetailSchemas, MlwatchEventType } from "../../../lambdas/shared/event-schemas.js";
import { schemaProblems } from "../../json-schema-subset.js";

const committedJson = readFileSync(new URL("../../../docs/events.schema.json", import.meta.url), "utf8");
const committedMd = readFileSync(new URL("../../../docs/events.md", import.meta.url), "utf8");
const schemas = JSON.parse(committedJson).detailTypes;

const samples: Record<MlwatchEventType, Record<string, unknown>> = {
  [MlwatchEventType.driftDetected]: {
    model: "churn", checkId: "c1", baselineId: "b1", driftShare: 0.5, severity: "high",
    driftedFeatures: [{ name: "income", psi: 0.41, pValue: 1e-9 }, { name: "plan", psi: null, pValue: 0.001 }], driftedFeatureCount: 2, reportUri: "s3://b/r.json",
  },
  [MlwatchEventType.performanceDegraded]: { model: "churn", version: "1.0.0", batchId: "x", metric: "rmse", value: 0.8, baseline: 0.5, degradationPercent: 60, severity: "high" },
  [MlwatchEventType.performanceEstimatedDrop]: {
    model: "churn", version: "1.0.0", date: "2026-05-01", count: 1200, metric: "accuracy", estimate: 0.63, lower: 0.6, upper: 0.66,
    baseline: 0.8, limit: 0.75, degradationPercent: 21.25, method: "isotonic", severity: "high",
  },
  [MlwatchEventType.modelPromoted]: { model: "churn", version: "1.0.0", from: "staging", to: "production", actor: "local", reason: "better" },
  [MlwatchEventType.modelRolledBack]: { model: "churn", version: "1.0.0", from: "1.1.0", to: "1.0.0", actor: "local", reason: "canary" },
  [MlwatchEventType.retrainingRequested]: { model: "churn", trigger: "manual", reason: "r", requestedBy: "local", requestId: "rt-1", evidence: {}, evidenceId: "rt-1" },
  [MlwatchEventType.retentionPending]: { table: "mlwatch-local-table", model: "churn", keepLast: 2, caller: "alice", requestId: "r-1" },
};

describe("event schemas", () => {
  it("docs/events.schema.json and docs/events.md are what npm run events-schema writes", () => {
    expect(committedJson).toBe(`${JSON.stringify(eventsDocument(), null, 2)}\n`);
    expect(committedMd).toBe(withSchemaBlocks(committedMd));
    expect(missingSchemaBlocks(committedMd)).toEqual([]);
  });

  it("has one schema per detail-type, and the docs name them exactly", () => {
    expect(Object.keys(schemas).sort()).toEqual(Object.values(MlwatchEventType).sort());
    expect(JSON.parse(committedJson).source).toBe("mlwatch");
    for (const type of Object.values(MlwatchEventType)) expect(committedMd).toContain(`| \`${type}\` |`);
  });

  for (const type of Object.values(MlwatchEventType)) {
    it(`${type}: the JSON schema and the zod schema agree on a valid detail and on broken ones`, () => {
      const sample = samples[type];
      expect(schemaProblems(schemas[type], sample)).toEqual([]);
      expect(eventDetailSchemas[type].safeParse(sample).success).toBe(true);
      const broken = [
        { ...sample, unexpected: 1 },
        Object.fromEntries(Object.entries(sample).filter(([k]) => k !== "model")),
        { ...sample, model: 42 },
        { ...sample, model: "" },
      ];
      for (const b of broken) {
        expect(schemaProblems(schemas[type], b).length, JSON.stringify(b)).toBeGreaterThan(0);
        expect(eventDetailSchemas[type].safeParse(b).success).toBe(false);
      }
    });
  }

  it("refuses values outside enums and ranges", () => {
    const drift = schemas[MlwatchEventType.driftDetected];
    expect(schemaProblems(drift, { ...samples[MlwatchEventType.driftDetected], severity: "extreme" })).toEqual(['$.severity: "extreme" is not one of ["none","moderate","high"]']);
    expect(schemaProblems(drift, { ...samples[MlwatchEventType.driftDetected], driftShare: 1.5 })).toEqual(["$.driftShare: above 1"]);
    expect(schemaProblems(drift, { ...samples[MlwatchEventType.driftDetected], driftedFeatures: [{ name: "a", psi: "0.2", pValue: null }] })).toEqual(["$.driftedFeatures[0].psi: expected number or null, got string"]);
    const retrain = schemas[MlwatchEventType.retrainingRequested];
    expect(schemaProblems(retrain, { ...samples[MlwatchEventType.retrainingRequested], trigger: "whim" })).toHaveLength(1);
    expect(schemaProblems(retrain, { ...samples[MlwatchEventType.retrainingRequested], evidence: { jobId: "x" } })).toEqual(["$.evidence: unexpected property jobId"]);
  });
});
