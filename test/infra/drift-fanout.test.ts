import { describe, expect, it } from "vitest";
import { resourcesOf, synth, roleStatements } from "./synth.js";
import { EnvName } from "../../lambdas/shared/env.js";
import { lambdaEntries } from "../../lib/bundles.js";
import { resolveConfig } from "../../lib/config.js";

const asList = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);
const json = (x: unknown): string => JSON.stringify(x);

/** The state machine's definition, its tokens (GetAtt / Ref) replaced by their logical id. */
function definitionOf(context: Record<string, unknown> = {}) {
  const { template } = synth(context);
  const machines = resourcesOf(template, "AWS::StepFunctions::StateMachine");
  expect(machines).toHaveLength(1);
  const [id, sm] = machines[0];
  const body = sm.Properties.DefinitionString;
  const text = typeof body === "string" ? body : (body["Fn::Join"][1] as unknown[]).map((p) => (typeof p === "string" ? p : (p as any)["Fn::GetAtt"]?.[0] ?? (p as any).Ref)).join("");
  return { template, id, sm, definition: JSON.parse(text) };
}

function fnByDescription(template: any, prefix: string) {
  const fns = resourcesOf(template, "AWS::Lambda::Function").filter(([, f]) => String(f.Properties.Description ?? "").startsWith(prefix));
  expect(fns).toHaveLength(1);
  return fns[0];
}

function statementsOfRole(template: any, roleId: string): any[] {
  return roleStatements(template, roleId);
}

describe("DriftFanOut state machine", () => {
  it("is a standard state machine with X-Ray tracing and logging", () => {
    const { sm } = definitionOf();
    expect(sm.Properties.StateMachineType).toBe("STANDARD");
    expect(sm.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.Properties.LoggingConfiguration.Level).toBe("ALL");
    expect(sm.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn["Fn::GetAtt"]).toBeDefined();
  });

  it("maps over the manifest with a Distributed Map, batches objects and limits concurrency from context driftMaxConcurrency", () => {
    const defaults = definitionOf().definition;
    const { definition, template } = definitionOf({ driftMaxConcurrency: 7, driftShardObjects: 5 });
    const [shardId] = fnByDescription(template, "mlwatch drift shard");
    const [reduceId] = fnByDescription(template, "mlwatch drift reduce");
    expect(definition.StartAt).toBe("Shards");
    const map = definition.States.Shards;
    expect(map.Type).toBe("Map");
    expect(map.ItemProcessor.ProcessorConfig).toMatchObject({ Mode: "DISTRIBUTED", ExecutionType: "STANDARD" });
    expect(map.MaxConcurrency).toBe(7);
    expect(defaults.States.Shards.MaxConcurrency).toBe(40);
    expect(map.ItemReader.Resource).toMatch(/:states:::s3:getObject$/);
    expect(map.ItemReader.ReaderConfig.InputType).toBe("JSON");
    expect(map.ItemReader.Parameters).toEqual({ "Bucket.$": "$.bucket", "Key.$": "$.manifestKey" });
    expect(map.ItemBatcher.MaxItemsPerBatch).toBe(5);
    expect(map.ItemBatcher.BatchInput).toEqual({ "model.$": "$.model", "checkId.$": "$.checkId", "baselineId.$": "$.baselineId", "psiBins.$": "$.psiBins" });
    expect(map.ResultWriter.Parameters.Prefix).toMatch(/^reports\/drift-shards\//);
    expect(map.ResultPath).toBeNull();
    const child = map.ItemProcessor.States[map.ItemProcessor.StartAt];
    expect(child.Resource).toBe(shardId);
    expect(map.Next).toBe("MergeSummaries");
    const reduce = definition.States.MergeSummaries;
    expect(reduce.Resource).toBe(reduceId);
    expect(reduce.Parameters).toMatchObject({ action: "reduce", "model.$": "$.model", "checkId.$": "$.checkId", "objects.$": "$.objects" });
    expect(reduce.End).toBe(true);
  });

  it("catches any failure of the map or the reduce, marks the check failed with the error, then fails", () => {
    const { definition, template } = definitionOf();
    const [reduceId] = fnByDescription(template, "mlwatch drift reduce");
    for (const state of ["Shards", "MergeSummaries"]) {
      expect(definition.States[state].Catch, state).toEqual([{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "MarkFailed" }]);
    }
    const mark = definition.States.MarkFailed;
    expect(mark.Resource).toBe(reduceId);
    expect(mark.Parameters).toMatchObject({ action: "fail", "error.$": "$.error" });
    expect(definition.States[mark.Next].Type).toBe("Fail");
  });

  it("bundles the shard and reduce handlers and gives them 15 minutes and tracing", () => {
    expect(lambdaEntries["drift-shard"]).toBe("lambdas/drift/handlers/shard.ts");
    expect(lambdaEntries["drift-reduce"]).toBe("lambdas/drift/handlers/reduce.ts");
    const { template } = synth();
    for (const which of ["mlwatch drift shard", "mlwatch drift reduce"]) {
      const [, fn] = fnByDescription(template, which);
      expect(fn.Properties.Timeout).toBe(900);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: "Active" });
    }
  });

  it("grants least privilege: the shard writes only shard summaries; the state machine reads only manifests and invokes only its two functions; the worker starts only it", () => {
    const { template, id: smId, sm } = definitionOf();
    const [shardId, shard] = fnByDescription(template, "mlwatch drift shard");
    const [reduceId, reduce] = fnByDescription(template, "mlwatch drift reduce");
    const shardStatements = statementsOfRole(template, shard.Properties.Role["Fn::GetAtt"][0]);
    const writes = shardStatements.filter((s) => asList(s.Action).includes("s3:PutObject"));
    expect(writes).toHaveLength(1);
    expect(json(writes[0].Resource)).toContain("/reports/drift-shards/*");
    expect(shardStatements.some((s) => asList(s.Action).some((a) => String(a).startsWith("sns:")))).toBe(false);
    expect(shardStatements.some((s) => asList(s.Action).includes("dynamodb:PutItem"))).toBe(false);
    const reduceStatements = statementsOfRole(template, reduce.Properties.Role["Fn::GetAtt"][0]);
    const reduceWrites = reduceStatements.filter((s) => asList(s.Action).includes("s3:PutObject"));
    expect(json(reduceWrites.map((s) => s.Resource))).toContain("/reports/drift/*");
    expect(json(reduceWrites.map((s) => s.Resource))).not.toContain("/reports/drift-shards/*");

    const smStatements = statementsOfRole(template, sm.Properties.RoleArn["Fn::GetAtt"][0]);
    const invoked = smStatements.filter((s) => asList(s.Action).includes("lambda:InvokeFunction")).flatMap((s) => asList(s.Resource));
    expect(invoked.length).toBeGreaterThan(0);
    for (const r of invoked) expect([shardId, reduceId]).toContain(json(r).match(/"(Drift\w+Function\w+)"/)?.[1]);
    expect(smStatements.filter((s) => asList(s.Action).some((a) => String(a).startsWith("s3:")) && asList(s.Resource).includes("*"))).toEqual([]);
    const reads = smStatements.filter((s) => asList(s.Action).includes("s3:GetObject"));
    expect(reads).toHaveLength(1);
    expect(json(reads[0].Resource)).toContain("/reports/drift-shards/*");

    const [, worker] = fnByDescription(template, "mlwatch drift worker");
    expect(worker.Properties.Environment.Variables[EnvName.driftFanOutStateMachine]).toEqual({ Ref: smId });
    expect(worker.Properties.Environment.Variables[EnvName.driftFanOutObjects]).toBe("2000");
    const start = statementsOfRole(template, worker.Properties.Role["Fn::GetAtt"][0]).filter((s) => asList(s.Action).includes("states:StartExecution"));
    expect(start).toHaveLength(1);
    expect(start[0].Resource).toEqual({ Ref: smId });
  });

  it("lets the monitor start only this state machine, with the same switch as the worker, and adds only reports/drift-shards/ (its manifests) and the raw rows of the batches its scheduled ground-truth joins record to its writes", () => {
    const { template, id: smId } = definitionOf({ driftFanOutObjects: 123, driftFanOutBytes: 4567, driftShardObjects: 8 });
    const [, monitor] = fnByDescription(template, "mlwatch drift monitor");
    const [, worker] = fnByDescription(template, "mlwatch drift worker");
    const env = monitor.Properties.Environment.Variables;
    expect(env[EnvName.driftFanOutStateMachine]).toEqual({ Ref: smId });
    expect([env[EnvName.driftFanOutObjects], env[EnvName.driftFanOutBytes], env[EnvName.driftShardObjects]]).toEqual(["123", "4567", "8"]);
    for (const name of [EnvName.driftFanOutObjects, EnvName.driftFanOutBytes, EnvName.driftShardObjects]) {
      expect(env[name], name).toBe(worker.Properties.Environment.Variables[name]);
    }
    const statements = statementsOfRole(template, monitor.Properties.Role["Fn::GetAtt"][0]);
    const states = statements.filter((s) => asList(s.Action).some((a) => String(a).startsWith("states:")));
    expect(states).toHaveLength(1);
    expect(asList(states[0].Action)).toEqual(["states:StartExecution"]);
    expect(states[0].Resource).toEqual({ Ref: smId });
    // Its object writes: profiles and reports as before, the manifests, and the raw rows of the batches its
    // scheduled ground-truth joins record (the performance function's prefix); nothing else of the bucket.
    const written = statements
      .filter((s) => asList(s.Action).includes("s3:PutObject"))
      .flatMap((s) => asList(s.Resource))
      .map((r) => json(r).match(/Arn"\]},"([^"]*)"\]\]}$/)?.[1] ?? json(r));
    expect([...new Set(written)].sort()).toEqual(["/baselines/*", "/batches/*", "/reports/drift-shards/*", "/reports/drift/*"]);
  });

  it("refuses a driftMaxConcurrency outside 1-10,000 or not an integer", () => {
    expect(() => resolveConfig((k) => (k === "driftMaxConcurrency" ? 0 : undefined))).toThrow(/driftMaxConcurrency must be a number from 1 to 10000/);
    expect(() => resolveConfig((k) => (k === "driftMaxConcurrency" ? 2.5 : undefined))).toThrow(/driftMaxConcurrency must be an integer/);
    expect(resolveConfig((k) => (k === "driftMaxConcurrency" ? "12" : undefined)).driftMaxConcurrency).toBe(12);
  });
});
