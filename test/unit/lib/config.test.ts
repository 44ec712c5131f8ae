/**
 * The settings table (lib/config.ts) is the one definition: the generated props, the docs table, the context
 * reading and the validation must all follow it, setting by setting.
 */
import { readFileSync } from "node:fs";
import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { defaultConfig, readConfig, resolveConfig, type SettingName, settingNames, settingSpecs } from "../../../lib/config.js";
import { defaultDegradationPercent, defaultPerformanceThresholds } from "../../../lambdas/core/performance/thresholds.js";
import { configDocsTable, configPropsSource, markedBlock, performanceThresholdsDocsTable } from "../../../scripts/config-sources.js";

const file = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");
const block = (document: string, name: string): string => {
  const { begin, end } = markedBlock(name);
  return document.split(begin)[1]?.split(end)[0] ?? "";
};

/** A value of each setting as CDK context text, other than its default, and what it resolves to. */
const contextValues: Record<SettingName, [string, unknown]> = {
  alertEmails: ["a@example.com, b@example.org", ["a@example.com", "b@example.org"]],
  alertWebhookUrl: ["https://relay.example.com/hook", "https://relay.example.com/hook"],
  metricsNamespace: ["Team/Models", "Team/Models"],
  alertSuppressionHours: ["0.5", 0.5],
  logRetentionDays: ["14", 14],
  auditRetentionDays: ["365", 365],
  reportRetentionDays: ["30", 30],
  rawDataRetentionDays: ["7", 7],
  apiThrottleRate: ["20", 20],
  apiThrottleBurst: ["40", 40],
  endpointNames: ["churn-prod,fraud/Canary", ["churn-prod", "fraud/Canary"]],
  dataBuckets: ["feature-store,raw.data-1", ["feature-store", "raw.data-1"]],
  retainData: ["false", false],
  alarmPerformanceDriftPercent: ["25", 25],
  alarmR2Below: ["-0.5", -0.5],
  alarmEndpointLatencyMs: ["250", 250],
  alarmEndpointErrorRatePercent: ["1.5", 1.5],
  retrainingPipeline: ["churn=churn-train,fraud=fraud-train", [{ model: "churn", pipeline: "churn-train" }, { model: "fraud", pipeline: "fraud-train" }]],
  alarmApi5xxPercent: ["2", 2],
  alarmLambdaErrors: ["3", 3],
  driftMaxConcurrency: ["8", 8],
  driftFanOutBytes: ["1048576", 1_048_576],
  driftFanOutObjects: ["50", 50],
  driftShardObjects: ["4", 4],
  groundTruthJoinInlineBytes: ["0", 0],
  driftWorkerConcurrency: ["2", 2],
  monitorEveryMinutes: ["15", 15],
  priceLambdaGbSecondUsd: ["0.0000166667", 0.0000166667],
  priceStepFunctionsTransitionUsd: ["0.0000279", 0.0000279],
  priceS3WriteRequestUsd: ["0.0000054", 0.0000054],
  priceS3ReadRequestUsd: ["0.00000043", 0.00000043],
};

/** A bad context value for each setting. */
const badValues: Record<SettingName, string> = {
  alertEmails: "ml-team@example.com,not-an-address",
  alertWebhookUrl: "http://insecure.example.com",
  metricsNamespace: "AWS/Lambda",
  alertSuppressionHours: "169",
  logRetentionDays: "17",
  auditRetentionDays: "ten years",
  reportRetentionDays: "0",
  rawDataRetentionDays: "3651",
  apiThrottleRate: "NaN",
  apiThrottleBurst: "-1",
  endpointNames: "good-endpoint,bad_endpoint!",
  dataBuckets: "Bad_Bucket",
  retainData: "maybe",
  alarmPerformanceDriftPercent: "-5",
  alarmR2Below: "1.5",
  alarmEndpointLatencyMs: "0",
  alarmEndpointErrorRatePercent: "101",
  retrainingPipeline: "a=b=c",
  alarmApi5xxPercent: "1e9",
  alarmLambdaErrors: "0",
  driftMaxConcurrency: "2.5",
  driftFanOutBytes: "1e16",
  driftFanOutObjects: "lots",
  driftShardObjects: "1001",
  groundTruthJoinInlineBytes: "-1",
  driftWorkerConcurrency: "1.5",
  monitorEveryMinutes: "7",
  priceLambdaGbSecondUsd: "-0.1",
  priceStepFunctionsTransitionUsd: "free",
  priceS3WriteRequestUsd: "2",
  priceS3ReadRequestUsd: "NaN",
};

describe("the settings table", () => {
  it("writes lib/config-props.ts and both docs tables as committed (run npm run config when this fails)", () => {
    expect(file("lib/config-props.ts")).toBe(configPropsSource());
    expect(block(file("docs/configuration.md"), "settings").trim()).toBe(configDocsTable().trim());
    expect(block(file("docs/performance.md"), "thresholds").trim()).toBe(performanceThresholdsDocsTable().trim());
  });

  it("has every setting in the props, with its default in the JSDoc, and in the docs table, in table order", () => {
    // Prepare
    const props = file("lib/config-props.ts");
    const docRows = block(file("docs/configuration.md"), "settings").split("\n").filter((l) => l.startsWith("| `"));
    // Assess
    expect([...props.matchAll(/^ {2}readonly (\w+)\?:/gm)].map((m) => m[1])).toEqual(settingNames);
    for (const name of settingNames) {
      expect(props, name).toMatch(new RegExp(`@default ${settingSpecs[name].defaultText.replace(/[()[\]]/g, "\\$&")}\\n {3}\\*/\\n {2}readonly ${name}\\?`));
    }
    expect(docRows.map((r) => r.split(" | ")[0].slice(3, -1))).toEqual(settingNames);
  });

  it("reads every setting from CDK context text", () => {
    // Prepare
    const app = new App({ context: Object.fromEntries(settingNames.map((n) => [n, contextValues[n][0]])) });
    // Act
    const config = readConfig(app.node);
    // Assess
    expect(Object.keys(contextValues).sort()).toEqual([...settingNames].sort());
    for (const name of settingNames) {
      expect(config[name], name).toEqual(contextValues[name][1]);
      expect(config[name], `${name}'s sample must differ from its default`).not.toEqual(defaultConfig[name]);
    }
  });

  it("applies each default when a setting is not given or empty, and each default read back from its text is itself", () => {
    expect(resolveConfig(() => undefined)).toEqual(defaultConfig);
    expect(resolveConfig(() => "")).toEqual(defaultConfig);
    for (const name of settingNames) {
      const value = defaultConfig[name];
      if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      const text = Array.isArray(value) ? value.join(",") : String(value);
      expect(resolveConfig((k) => (k === name ? text : undefined))[name], name).toEqual(value);
    }
  });

  it("reports a bad value of every setting in one error, one line naming each setting", () => {
    // Prepare
    const app = new App({ context: badValues });
    // Act
    let message = "";
    try {
      readConfig(app.node);
    } catch (err) {
      message = (err as Error).message;
    }
    // Assess
    expect(Object.keys(badValues).sort()).toEqual([...settingNames].sort());
    const lines = message.split("\n");
    expect(lines[0]).toBe("invalid mlwatch configuration:");
    const problems = lines.slice(1);
    expect(problems).toHaveLength(settingNames.length);
    for (const [i, name] of settingNames.entries()) expect(problems[i], name).toMatch(new RegExp(`^- ${name}\\b`));
  });

  it("shows in docs/configuration.md the error its sample values give", () => {
    const sample = file("docs/configuration.md").split("```text\n")[1].split("```")[0].trimEnd();
    expect(() => resolveConfig((k) => ({ logRetentionDays: "17", retainData: "maybe" } as Record<string, string>)[k])).toThrow(sample);
  });

  it("accepts props of their own type: lists as arrays, booleans and numbers as values, resolved pipelines back", () => {
    const config = resolveConfig((k) => ({ alertEmails: ["x@example.com"], retainData: false, driftShardObjects: 8, retrainingPipeline: [{ model: null, pipeline: "train" }] } as Record<string, unknown>)[k]);
    expect(config).toMatchObject({ alertEmails: ["x@example.com"], retainData: false, driftShardObjects: 8, retrainingPipeline: [{ model: null, pipeline: "train" }] });
  });

  it("keeps cdk.json's context at the defaults, naming only settings besides feature flags and stackName", () => {
    const context: Record<string, unknown> = JSON.parse(file("cdk.json")).context;
    const keys = Object.keys(context).filter((k) => !k.startsWith("@") && !k.startsWith("aws:") && k !== "stackName");
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(settingNames as string[], key).toContain(key);
      expect(resolveConfig((k) => (k === key ? context[key] : undefined))[key as SettingName], key).toEqual(defaultConfig[key as SettingName]);
    }
  });

  it("uses one default degradation percent for the alarm and the RMSE and MAE rules", () => {
    expect(defaultConfig.alarmPerformanceDriftPercent).toBe(defaultDegradationPercent);
    expect(defaultPerformanceThresholds.rmseIncreasePct).toBe(defaultDegradationPercent);
    expect(defaultPerformanceThresholds.maeIncreasePct).toBe(defaultDegradationPercent);
  });
});
