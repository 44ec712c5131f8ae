/**
 * The drift monitor's schedule from the setting `monitorEveryMinutes` (5, 10, 15, 30 or 60; default 60):
 * the EventBridge rule's rate, the period handed to the API (which refuses a shorter per-model
 * `everyMinutes`) and to the monitor, and the refusal of any other value.
 */
import { describe, expect, it } from "vitest";
import { EnvName } from "../../lambdas/shared/env.js";
import { resourcesOf, synth } from "./synth.js";

function monitorRule(context: Record<string, unknown> = {}) {
  const { template } = synth(context);
  const fns = resourcesOf(template, "AWS::Lambda::Function");
  const byDescription = (prefix: string) => fns.find(([, f]) => String(f.Properties.Description ?? "").startsWith(prefix))!;
  const monitor = byDescription("mlwatch drift monitor:");
  const api = byDescription("mlwatch drift API:");
  const rules = resourcesOf(template, "AWS::Events::Rule").filter(([, r]) => JSON.stringify(r.Properties.Targets ?? []).includes(monitor[0]));
  expect(rules).toHaveLength(1);
  return { rule: rules[0][1].Properties, monitorEnv: monitor[1].Properties.Environment.Variables, apiEnv: api[1].Properties.Environment.Variables };
}

describe("the drift monitor's schedule", () => {
  it("runs hourly by default and tells the API and the monitor so", () => {
    const { rule, monitorEnv, apiEnv } = monitorRule();
    expect(rule.ScheduleExpression).toBe("rate(1 hour)");
    expect(monitorEnv[EnvName.monitorEveryMinutes]).toBe("60");
    expect(apiEnv[EnvName.monitorEveryMinutes]).toBe("60");
  });

  it.each([5, 10, 15, 30])("runs every %i minutes with the setting monitorEveryMinutes", (minutes) => {
    const { rule, apiEnv } = monitorRule({ monitorEveryMinutes: String(minutes) });
    expect(rule.ScheduleExpression).toBe(`rate(${minutes} minutes)`);
    expect(apiEnv[EnvName.monitorEveryMinutes]).toBe(String(minutes));
  });

  it.each(["7", "1", "120", "often"])("refuses monitorEveryMinutes=%s", (value) => {
    expect(() => synth({ monitorEveryMinutes: value })).toThrow(/monitorEveryMinutes must be/);
  });
});
