import { describe, expect, it } from "vitest";
import { defaultEnvironment, defaultVariant, eventTime, interpretSageMakerEvent, tagsOf } from "../../../../lambdas/core/sagemaker/events.js";

const training = (detail: Record<string, unknown>) => ({ id: "e1", source: "aws.sagemaker", "detail-type": "SageMaker Training Job State Change", time: "2018-10-06T12:26:13Z", detail });
const endpoint = (detail: Record<string, unknown>) => ({ id: "e2", source: "aws.sagemaker", "detail-type": "SageMaker Endpoint State Change", time: "1583831889050", region: "us-west-2", detail });

describe("interpretSageMakerEvent", () => {
  it("reads a failed training job of a tagged model, keeping FailureReason raw", () => {
    const m = interpretSageMakerEvent(training({ TrainingJobName: "job-1", TrainingJobStatus: "Failed", FailureReason: "a\nb", Tags: { "mlwatch-model": "churn" }, TrainingEndTime: "1583831889050" }));
    expect(m).toEqual({ kind: "training_failed", model: "churn", jobName: "job-1", jobArn: undefined, status: "Failed", failureReason: "a\nb", at: "2020-03-10T09:18:09.050Z" });
  });

  it("ignores training jobs that completed, have no model tag, or an invalid one", () => {
    expect(interpretSageMakerEvent(training({ TrainingJobName: "j", TrainingJobStatus: "Completed", Tags: { "mlwatch-model": "churn" } }))).toMatchObject({ kind: "ignored", reason: "other-status" });
    expect(interpretSageMakerEvent(training({ TrainingJobName: "j", TrainingJobStatus: "Stopped", Tags: {} }))).toMatchObject({ kind: "ignored", reason: "no-model-tag" });
    expect(interpretSageMakerEvent(training({ TrainingJobName: "j", TrainingJobStatus: "Failed", Tags: { "mlwatch-model": "../etc" } }))).toMatchObject({ kind: "ignored", reason: "invalid-tag" });
  });

  it("reads an endpoint in service (both spellings) with the variant from the event, else the tag, else AllTraffic", () => {
    const tags = { "mlwatch-model": "churn", "mlwatch-version": "1.2.0" };
    const named = interpretSageMakerEvent(endpoint({ EndpointName: "ep", EndpointStatus: "IN_SERVICE", ProductionVariants: [{ VariantName: "blue" }], Tags: tags, LastModifiedTime: 1592411994287.0 }));
    expect(named).toMatchObject({ kind: "deployment", model: "churn", version: "1.2.0", endpointName: "ep", variant: "blue", environment: defaultEnvironment, region: "us-west-2", eventId: "e2", at: "2020-06-17T16:39:54.287Z" });
    expect(interpretSageMakerEvent(endpoint({ EndpointName: "ep", EndpointStatus: "InService", ProductionVariants: [{ DesiredWeight: 1 }], Tags: { ...tags, "mlwatch-variant": "green" } }))).toMatchObject({ variant: "green" });
    expect(interpretSageMakerEvent(endpoint({ EndpointName: "ep", EndpointStatus: "InService", Tags: tags }))).toMatchObject({ variant: defaultVariant, at: "2020-03-10T09:18:09.050Z" });
  });

  it("ignores endpoints not in service, without a version tag, or with an environment that is not a name", () => {
    const tags = { "mlwatch-model": "churn", "mlwatch-version": "1.2.0" };
    expect(interpretSageMakerEvent(endpoint({ EndpointName: "ep", EndpointStatus: "CREATING", Tags: tags }))).toMatchObject({ kind: "ignored", reason: "other-status" });
    expect(interpretSageMakerEvent(endpoint({ EndpointName: "ep", EndpointStatus: "IN_SERVICE", Tags: { "mlwatch-model": "churn" } }))).toMatchObject({ kind: "ignored", reason: "no-version-tag", detailType: "SageMaker Endpoint State Change" });
    expect(interpretSageMakerEvent(endpoint({ EndpointName: "ep", EndpointStatus: "IN_SERVICE", Tags: { ...tags, "mlwatch-environment": "a b" } }))).toMatchObject({ kind: "ignored", reason: "invalid-tag" });
  });

  it("ignores other sources and detail-types, naming no user-chosen detail-type", () => {
    expect(interpretSageMakerEvent({ source: "mlwatch", "detail-type": "SageMaker Endpoint State Change", detail: {} })).toEqual({ kind: "ignored", reason: "not-sagemaker", detailType: "SageMaker Endpoint State Change" });
    expect(interpretSageMakerEvent({ source: "aws.sagemaker", "detail-type": "anything\nat all", detail: {} })).toEqual({ kind: "ignored", reason: "not-sagemaker", detailType: "unknown" });
  });
});

describe("tagsOf", () => {
  it("reads the documented object and the API's Key/Value list, without prototype keys", () => {
    expect([...tagsOf({ Tags: { a: "1", b: 2 } })]).toEqual([["a", "1"]]);
    expect([...tagsOf({ Tags: [{ Key: "a", Value: "1" }, { Key: "b" }] })]).toEqual([["a", "1"]]);
    const proto = tagsOf(JSON.parse('{"Tags": {"__proto__": "x", "constructor": "y"}}'));
    expect(proto.get("__proto__")).toBe("x");
    expect(proto.get("constructor")).toBe("y");
    expect(tagsOf({}).get("constructor")).toBeUndefined();
  });
});

describe("eventTime", () => {
  it("reads epoch milliseconds (number or string) and ISO times", () => {
    expect(eventTime(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(eventTime("1583831889050")).toBe("2020-03-10T09:18:09.050Z");
    expect(eventTime("2018-10-06T12:26:13Z")).toBe("2018-10-06T12:26:13.000Z");
    expect(eventTime("soon")).toBeUndefined();
    expect(eventTime(undefined)).toBeUndefined();
  });
});
