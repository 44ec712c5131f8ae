/** Drift detection core: prepared samples, per-feature comparison, the decision rule and the report. */
export { type CategoricalSample, type FeatureSample, type FullSampleStatistics, type NumericSample, categoryCount, countsFrom, downsampleSorted, isNumericSample, populationStd, prepareCategorical, prepareNumeric } from "./samples.js";
export { type CategoricalComparison, type CompareCategoricalOptions, type CompareNumericOptions, type FeatureTests, type NumericComparison, type SampleSummary, compareCategorical, compareNumeric, numericEdges } from "./compare.js";
export { type DriftThresholdName, type DriftThresholdSpec, type DriftThresholds, defaultDriftThresholds, driftThresholdSpecs } from "./thresholds.js";
export { type BuildDriftReportOptions, type DriftReport, DriftRule, type FeatureDrift, type FeaturePair, type Severity, buildDriftReport, resolveThresholds } from "./report.js";
export { type CategoricalHistogram, type FeatureHistogram, type HistogramOptions, type NumericHistogram, featureHistograms } from "./histograms.js";
export { type DriftHtmlReportInput, escapeHtml, histogramSvg, maxFeatureSections, renderDriftReportHtml } from "./html-report.js";
export { type QuantileSketch, SKETCH_DEFAULT_CAPACITY, mergeSketches, sketchSorted } from "./sketch.js";
export { type CategoricalSummary, type FeatureSummary, type Moments, type NumericSummary, mergeFeatureSummaries, mergeMoments, summarizeCategorical, summarizeNumeric, toCurrentSample } from "./summary.js";
