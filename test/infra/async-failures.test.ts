/**
 * The drift service's asynchronous functions in the template: reserved concurrency (worker from context
 * `driftWorkerConcurrency`, default 10; monitor 1), an encrypted dead-letter queue for the worker, the
 * monitor and the failure handler, the worker's on-failure destination (the failure handler, invokable by
 * its unqualified ARN only), and an alarm on the queue's depth to the alert topic.
 */
import { describe, expect, it } from "vitest";
import { resourcesOf, synth, roleStatements } from "./synth.js";

const json = (x: unknown): string => JSON.stringify(x);
const asList = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);

function driftFunctions(context: Record<string, unknown> = {}) {
  const { template, stack } = synth(context);
  const fns = resourcesOf(template, "AWS::Lambda::Function");
  const find = (prefix: string) => {
    const found = fns.filter(([, f]) => String(f.Properties.Description ?? "").startsWith(prefix));
    expect(found, prefix).toHaveLength(1);
    return { id: found[0][0], fn: found[0][1] };
  };
  return { template, stack, worker: find("mlwatch drift worker:"), monitor: find("mlwatch drift monitor:"), failures: find("mlwatch drift failures:"), api: find("mlwatch drift API:") };
}

describe("asynchronous drift functions", () => {
  it("reserves 10 concurrent workers by default, the context's number when set, and 1 monitor", () => {
    const byDefault = driftFunctions();
    expect(byDefault.worker.fn.Properties.ReservedConcurrentExecutions).toBe(10);
    expect(byDefault.monitor.fn.Properties.ReservedConcurrentExecutions).toBe(1);
    expect(byDefault.api.fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(driftFunctions({ driftWorkerConcurrency: 25 }).worker.fn.Properties.ReservedConcurrentExecutions).toBe(25);
    expect(() => synth({ driftWorkerConcurrency: 0 })).toThrow(/driftWorkerConcurrency must be a number from 1 to 1000/);
  });

  it("sends the worker's, the monitor's and the failure handler's failed events to one encrypted, SSL-only queue", () => {
    const { template, worker, monitor, failures } = driftFunctions();
    const queues = resourcesOf(template, "AWS::SQS::Queue").filter(([, q]) => q.Properties.KmsMasterKeyId !== undefined);
    expect(queues).toHaveLength(1);
    const [queueId, queue] = queues[0];
    expect(queue.Properties.KmsMasterKeyId).toBe("alias/aws/sqs");
    expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 86_400);
    for (const f of [worker, monitor, failures]) expect(f.fn.Properties.DeadLetterConfig.TargetArn).toEqual({ "Fn::GetAtt": [queueId, "Arn"] });
    const policy = resourcesOf(template, "AWS::SQS::QueuePolicy").find(([, p]) => json(p.Properties.Queues).includes(queueId));
    const deny = policy![1].Properties.PolicyDocument.Statement.find((s: any) => s.Effect === "Deny");
    expect(deny.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
  });

  it("makes the failure handler the worker's on-failure destination, invokable by its unqualified ARN only", () => {
    const { template, worker, failures } = driftFunctions();
    const config = resourcesOf(template, "AWS::Lambda::EventInvokeConfig").find(([, c]) => json(c.Properties.FunctionName).includes(worker.id))![1];
    expect(config.Properties.MaximumRetryAttempts).toBe(1);
    expect(config.Properties.MaximumEventAgeInSeconds).toBe(3600);
    expect(config.Properties.DestinationConfig.OnFailure.Destination).toEqual({ "Fn::GetAtt": [failures.id, "Arn"] });
    const roleId = worker.fn.Properties.Role["Fn::GetAtt"][0];
    const invoke = roleStatements(template, roleId)
      .filter((s: any) => asList(s.Action).includes("lambda:InvokeFunction"));
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Resource).toEqual({ "Fn::GetAtt": [failures.id, "Arn"] });
    // The handler updates the table only: no S3, no SNS.
    const handlerRole = failures.fn.Properties.Role["Fn::GetAtt"][0];
    const actions = roleStatements(template, handlerRole)
      .flatMap((s: any) => asList(s.Action) as string[]);
    expect(actions.some((a) => a.startsWith("s3:") || a.startsWith("sns:"))).toBe(false);
    expect(actions).toContain("dynamodb:UpdateItem");
  });

  it("alarms to the alert topic as soon as one event is in the dead-letter queue", () => {
    const { template, stack } = driftFunctions();
    const [queueId] = resourcesOf(template, "AWS::SQS::Queue").find(([, q]) => q.Properties.KmsMasterKeyId !== undefined)!;
    const alarm = resourcesOf(template, "AWS::CloudWatch::Alarm").find(([, a]) => a.Properties.AlarmName === `${stack.stackName}-async-dead-letters`)![1].Properties;
    expect(alarm.MetricName).toBe("ApproximateNumberOfMessagesVisible");
    expect(alarm.Namespace).toBe("AWS/SQS");
    expect(json(alarm.Dimensions)).toContain(queueId);
    expect(alarm.Threshold).toBe(1);
    expect(alarm.ComparisonOperator).toBe("GreaterThanOrEqualToThreshold");
    const [topicId] = resourcesOf(template, "AWS::SNS::Topic")[0];
    expect(json(alarm.AlarmActions)).toContain(topicId);
  });
});

describe("events EventBridge could not hand to a function", () => {
  const { template, stack } = synth();
  const queues = resourcesOf(template, "AWS::SQS::Queue").filter(([, q]) => q.Properties.SqsManagedSseEnabled === true);
  const queueArn = () => ({ "Fn::GetAtt": [queues[0][0], "Arn"] });
  const lambdaRules = resourcesOf(template, "AWS::Events::Rule").filter(([, r]) => r.Properties.Targets.some((t: any) => json(t.Arn).includes("Function")));

  it("go to one SSE-SQS, SSL-only queue from every rule that targets a function, with bounded retries", () => {
    expect(queues).toHaveLength(1);
    expect(queues[0][1].Properties.KmsMasterKeyId).toBeUndefined();
    expect(queues[0][1].Properties.MessageRetentionPeriod).toBe(14 * 86_400);
    // the inbox's alarm rule, the SageMaker rules and the monitor's schedule
    expect(lambdaRules.length).toBeGreaterThanOrEqual(4);
    for (const [id, rule] of lambdaRules) {
      for (const target of rule.Properties.Targets) {
        expect(target.DeadLetterConfig, id).toEqual({ Arn: queueArn() });
        expect(target.RetryPolicy.MaximumRetryAttempts, id).toBeLessThanOrEqual(4);
      }
    }
  });

  it("may be written by EventBridge for those rules only, over TLS only", () => {
    const policy = resourcesOf(template, "AWS::SQS::QueuePolicy").find(([, p]) => json(p.Properties.Queues).includes(queues[0][0]))![1];
    const statements = policy.Properties.PolicyDocument.Statement;
    const allows = statements.filter((s: any) => s.Effect === "Allow");
    for (const s of allows) {
      expect(s.Principal).toEqual({ Service: "events.amazonaws.com" });
      expect(s.Action).toBe("sqs:SendMessage");
      expect(s.Condition.ArnEquals["aws:SourceArn"]).toBeDefined();
    }
    const sources = allows.map((s: any) => json(s.Condition.ArnEquals["aws:SourceArn"]));
    for (const [id] of lambdaRules) expect(sources.some((src: string) => src.includes(id)), id).toBe(true);
    expect(statements.find((s: any) => s.Effect === "Deny").Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
  });

  it("also hold what the inbox and SageMaker functions failed on after their retries, and alarm at one message", () => {
    const fns = resourcesOf(template, "AWS::Lambda::Function").filter(([, f]) => /^mlwatch (alerts: alarm state changes|sagemaker:)/.test(String(f.Properties.Description)));
    expect(fns).toHaveLength(2);
    for (const [id, fn] of fns) expect(fn.Properties.DeadLetterConfig, id).toEqual({ TargetArn: queueArn() });
    const alarm = resourcesOf(template, "AWS::CloudWatch::Alarm").find(([, a]) => json(a.Properties.Dimensions ?? null).includes(queues[0][0]))![1].Properties;
    expect(alarm.AlarmName).toBe(`${stack.stackName}-async-dead-letters-2`);
    expect(alarm.MetricName).toBe("ApproximateNumberOfMessagesVisible");
    expect(alarm.Threshold).toBe(1);
    expect(alarm.AlarmDescription).toContain("EventBridge events");
  });
});
