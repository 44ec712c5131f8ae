/**
 * The drift service's asynchronous functions in the template: reserved concurrency (worker from context
 * `driftWorkerConcurrency`, default 10; monitor 1), an encrypted dead-letter queue for the worker, the
 * monitor and the failure handler, the worker's on-failure destination (the failure handler, invokable by
 * its unqualified ARN only), and an alarm on the queue's depth to the alert topic.
 */
import { describe, expect, it } from "vitest";
import { resourcesOf, synth } from "./synth.js";

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
    const queues = resourcesOf(template, "AWS::SQS::Queue");
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
    const invoke = resourcesOf(template, "AWS::IAM::Policy")
      .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => asList(s.Action).includes("lambda:InvokeFunction"));
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Resource).toEqual({ "Fn::GetAtt": [failures.id, "Arn"] });
    // The handler updates the table only: no S3, no SNS.
    const handlerRole = failures.fn.Properties.Role["Fn::GetAtt"][0];
    const actions = resourcesOf(template, "AWS::IAM::Policy")
      .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === handlerRole))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: any) => asList(s.Action) as string[]);
    expect(actions.some((a) => a.startsWith("s3:") || a.startsWith("sns:"))).toBe(false);
    expect(actions).toContain("dynamodb:UpdateItem");
  });

  it("alarms to the alert topic as soon as one event is in the dead-letter queue", () => {
    const { template, stack } = driftFunctions();
    const [queueId] = resourcesOf(template, "AWS::SQS::Queue")[0];
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
