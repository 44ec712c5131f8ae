/**
 * SageMaker's events in, locally as in AWS: the documented sample events (AWS, "Automating Amazon SageMaker
 * with Amazon EventBridge": training job and endpoint state changes, tags in `detail.Tags`) are put on the
 * emulator's default bus with PutEvents; the rules of lambdas/shared/event-rules.ts (created by the local
 * bootstrap with SQS relay queues) deliver them to the one handler, and we observe the inbox, the topic,
 * the audit log, the deployment records and the metrics (GetMetricData).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { createTestStack, type TestStack } from "../stack.js";
import { auditEntries, listenToTopic, metricValues, type TopicListener } from "../observe.js";
import { bootstrapEventRules, pollRelayOnce, type RelayQueue } from "../../../lambdas/local/event-relay.js";
import { handleSageMakerEvent } from "../../../lambdas/sagemaker/events.js";
import { registerVersion } from "../performance/helpers.js";

const forgedReason = "AlgorithmError: out of memory\n\nUPDATE: ignore this alert, all is fine.\nLog in at https://evil.example";

/** The documented `SageMaker Training Job State Change` sample, with its status, reason and tags set. */
function trainingJobEvent(jobName: string, status: string, tags: Record<string, string>, failureReason?: string): PutEventsRequestEntry {
  const now = String(Date.now());
  return {
    Source: "aws.sagemaker",
    DetailType: "SageMaker Training Job State Change",
    Resources: [`arn:aws:sagemaker:us-east-1:123456789012:training-job/${jobName}`],
    Detail: JSON.stringify({
      TrainingJobName: jobName,
      TrainingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:training-job/${jobName}`,
      TrainingJobStatus: status,
      SecondaryStatus: status,
      ...(failureReason ? { FailureReason: failureReason } : {}),
      HyperParameters: { Hyper: "Parameters" },
      AlgorithmSpecification: { TrainingImage: "TrainingImage", TrainingInputMode: "TrainingInputMode" },
      RoleArn: "arn:aws:iam::123456789012:role/SMRole",
      OutputDataConfig: { KmsKeyId: "KmsKeyId", S3OutputPath: "S3OutputPath" },
      ResourceConfig: { InstanceType: "InstanceType", InstanceCount: 3, VolumeSizeInGB: 20, VolumeKmsKeyId: "VolumeKmsKeyId" },
      VpcConfig: {},
      StoppingCondition: { MaxRuntimeInSeconds: 60 },
      CreationTime: now,
      TrainingStartTime: now,
      TrainingEndTime: now,
      LastModifiedTime: now,
      SecondaryStatusTransitions: [],
      Tags: tags,
    }),
  };
}

/** The documented `SageMaker Endpoint State Change` sample (IN_SERVICE), with its name, variant and tags set. */
function endpointEvent(endpointName: string, tags: Record<string, string>, status = "IN_SERVICE"): PutEventsRequestEntry {
  return {
    Source: "aws.sagemaker",
    DetailType: "SageMaker Endpoint State Change",
    Resources: [`arn:aws:sagemaker:us-east-1:123456789012:endpoint/${endpointName.toLowerCase()}`],
    Detail: JSON.stringify({
      EndpointName: endpointName,
      EndpointArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${endpointName.toLowerCase()}`,
      EndpointConfigName: `${endpointName}-config`,
      ProductionVariants: [{ VariantName: "blue", DesiredWeight: 1.0, DesiredInstanceCount: 1.0 }],
      EndpointStatus: status,
      CreationTime: Date.now() - 600_000,
      LastModifiedTime: Date.now(),
      Tags: tags,
    }),
  };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe("SageMaker events in", () => {
  let stack: TestStack;
  let relay: RelayQueue[];
  let topic: TopicListener;
  const bus = new EventBridgeClient({});

  /** Puts events on the emulator's default bus; AWS reserves `aws.*` sources, the emulator accepts them. */
  const put = async (...entries: PutEventsRequestEntry[]): Promise<void> => {
    const out = await bus.send(new PutEventsCommand({ Entries: entries }));
    expect(out.FailedEntryCount).toBe(0);
  };
  /** Polls the relays until `probe` answers. */
  const relayed = <T>(probe: () => Promise<T | undefined>): Promise<T> =>
    waitFor(async () => {
      await pollRelayOnce(relay);
      return probe();
    });

  beforeAll(async () => {
    stack = await createTestStack("sagemaker");
    relay = await bootstrapEventRules(stack.names.table.replace(/-table$/, ""));
    topic = await listenToTopic(stack.names.topicArn);
  });

  it("turns a failed training job of a tagged model into a training_failed alert, delivered, audited and counted", async () => {
    // Prepare
    const model = `churn-${Date.now().toString(36)}`;
    const job = `${model}-train-1`;
    // Act
    await put(trainingJobEvent(job, "Failed", { "mlwatch-model": model, team: "ds" }, forgedReason));
    const alert = await relayed(async () => (await stack.call("GET", `/alerts?type=training_failed&model=${model}`)).body.items[0]);
    const messages = (await topic.receive(1, 10_000)).filter((m) => m.attributes.model === model);
    const audit = (await auditEntries(stack.names.auditLogGroup)).filter((e) => e.type === "event.training_failed" && e.model === model);
    const failures = await metricValues(stack.names.metricsNamespace, "TrainingJobFailures", { ModelName: model });
    // Assess
    expect(alert).toMatchObject({ type: "training_failed", model, severity: "high", state: "open", link: { trainingJobName: job }, delivery: { status: "sent" } });
    expect(alert.summary).toContain("AlgorithmError: out of memory\\n\\nUPDATE");
    expect(messages).toHaveLength(1);
    expect(messages[0].attributes).toMatchObject({ alertType: "training_failed", alertId: alert.alertId });
    const lines = messages[0].message.split("\n");
    expect(lines.some((l) => l.startsWith("UPDATE") || l.startsWith("Log in"))).toBe(false);
    expect(lines.find((l) => l.startsWith("FailureReason: "))).toContain("\\n\\nUPDATE: ignore this alert");
    // One cap on every user string in alert text: the escaped reason (over 100 characters) is cut to 80.
    expect(Array.from((lines.find((l) => l.startsWith("FailureReason: ")) as string).slice("FailureReason: ".length))).toHaveLength(80);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "aws.sagemaker", details: { jobName: job, status: "Failed", failureReason: forgedReason, alertId: alert.alertId } });
    expect(failures.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it("counts a redelivered training event on the same alert: no second message, audit entry or metric value", async () => {
    // Prepare: the same event delivered twice (EventBridge delivers at least once), through the same handler
    const model = `fraud-${Date.now().toString(36)}`;
    const entry = trainingJobEvent(`${model}-train-7`, "Stopped", { "mlwatch-model": model });
    const event = { id: "5f1c0e4e-0000-4000-8000-000000000007", source: entry.Source, "detail-type": entry.DetailType, time: new Date().toISOString(), detail: JSON.parse(entry.Detail as string) };
    // Act
    const first = await handleSageMakerEvent(event);
    const second = await handleSageMakerEvent(event);
    const alerts = (await stack.call("GET", `/alerts?type=training_failed&model=${model}`)).body.items;
    const failures = await metricValues(stack.names.metricsNamespace, "TrainingJobFailures", { ModelName: model });
    const audit = (await auditEntries(stack.names.auditLogGroup)).filter((e) => e.type === "event.training_failed" && e.model === model);
    // Assess
    expect(first).toMatchObject({ action: "alerted", alert: { repeat: false, sent: true } });
    expect(second).toMatchObject({ action: "alerted", alert: { repeat: true, sent: false, occurrences: 2 } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: "moderate", occurrences: 2 });
    expect(alerts[0].summary).toContain("was stopped");
    expect(failures.reduce((a, b) => a + b, 0)).toBe(1);
    expect(audit).toHaveLength(1);
  });

  it("records an endpoint in service as a deployment of the tagged version, source eventbridge, once per event", async () => {
    // Prepare
    const model = `ranker-${Date.now().toString(36)}`;
    await registerVersion(stack, model, "1.2.0", { rmse: 1 }, "rmse", "lower");
    const endpoint = `${model}-prod`;
    // Act
    await put(endpointEvent(endpoint, { "mlwatch-model": model, "mlwatch-version": "1.2.0", "mlwatch-environment": "prod" }));
    const deployments = await relayed(async () => {
      const items = (await stack.call("GET", `/models/${model}/deployments`)).body.items;
      return items.length > 0 ? items : undefined;
    });
    const version = (await stack.call("GET", `/models/${model}/versions/1.2.0`)).body;
    const history = (await stack.call("GET", `/models/${model}/history`)).body.items;
    // a redelivery of one event (same id) through the handler records nothing more
    const again = { id: "5f1c0e4e-0000-4000-8000-00000000000a", source: "aws.sagemaker", "detail-type": "SageMaker Endpoint State Change", detail: JSON.parse(endpointEvent(endpoint, { "mlwatch-model": model, "mlwatch-version": "1.2.0" }).Detail as string) };
    const redelivered = [await handleSageMakerEvent(again), await handleSageMakerEvent(again)];
    const after = (await stack.call("GET", `/models/${model}/deployments`)).body.items;
    // Assess
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({ model, version: "1.2.0", endpointName: endpoint, variant: "blue", environment: "prod", source: "eventbridge", deployedBy: "aws.sagemaker", endpointConfigName: `${endpoint}-config` });
    expect(version.lastDeployment).toMatchObject({ endpointName: endpoint, environment: "prod" });
    expect(history.some((h: any) => h.event === "deploy" && h.details?.source === "eventbridge")).toBe(true);
    expect(redelivered[0]).toMatchObject({ action: "deployed", deployment: { source: "eventbridge", environment: "sagemaker" } });
    expect(redelivered[1]).toEqual({ action: "deployed", deployment: null });
    expect(after).toHaveLength(2);
  });

  it("counts and ignores events without the tags, or naming a version the registry does not have", async () => {
    // Prepare
    const model = `lonely-${Date.now().toString(36)}`;
    await registerVersion(stack, model, "1.0.0", { rmse: 1 }, "rmse", "lower");
    const ns = stack.names.metricsNamespace;
    const ignored = (detailType: string, reason: string) => metricValues(ns, "SageMakerEventsIgnored", { DetailType: detailType, Reason: reason }).then((v) => v.reduce((a, b) => a + b, 0));
    // Act
    await put(
      trainingJobEvent(`${model}-untagged`, "Failed", { team: "ds" }, "ClientError"),
      endpointEvent(`${model}-ep1`, { "mlwatch-model": model }),
      endpointEvent(`${model}-ep2`, { "mlwatch-model": model, "mlwatch-version": "9.9.9" }),
      // not matched by the rules at all: a completed job, an endpoint still creating
      trainingJobEvent(`${model}-ok`, "Completed", { "mlwatch-model": model }),
      endpointEvent(`${model}-ep3`, { "mlwatch-model": model, "mlwatch-version": "1.0.0" }, "CREATING"),
    );
    const counts = await relayed(async () => {
      const c = [await ignored("SageMaker Training Job State Change", "no-model-tag"), await ignored("SageMaker Endpoint State Change", "no-version-tag"), await ignored("SageMaker Endpoint State Change", "unknown-version")];
      return c.every((n) => n >= 1) ? c : undefined;
    });
    await pollRelayOnce(relay);
    // Assess
    expect(counts).toEqual([1, 1, 1]);
    expect((await stack.call("GET", `/alerts?type=training_failed&model=${model}`)).body.items).toEqual([]);
    expect((await stack.call("GET", `/models/${model}/deployments`)).body.items).toEqual([]);
    expect(await ignored("SageMaker Training Job State Change", "other-status")).toBe(0);
  });
});
