/**
 * @mlwatch/cdk: `import { MlwatchMonitoring } from "@mlwatch/cdk"` — mlwatch as a construct for your own CDK
 * app, with its Lambda code prebuilt (no esbuild, no lockfile of ours needed).
 */
export { MlwatchMonitoring, type MlwatchMonitoringProps } from "./monitoring.js";
export { MonitoringStack, type MonitoringStackProps } from "./monitoring-stack.js";
export { defaultConfig, type MonitoringConfig, type RetrainingPipelineTarget } from "./config.js";
export type { MonitoringSettingsProps } from "./config-props.js";
