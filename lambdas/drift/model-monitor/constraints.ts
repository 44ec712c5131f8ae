/**
 * Model Monitor's `constraints.json` (the SageMaker developer guide, "Schema for Constraints"): read an
 * imported one, suggest one from any mlwatch profile the way Model Monitor's baselining job does, and write
 * either back in the same schema.
 *
 * `monitoring_config` defaults are the guide's: evaluate_constraints and emit_metrics Enabled,
 * datatype_check_threshold 0.1, domain_content_threshold 0.1, distribution_constraints with
 * perform_comparison Enabled, comparison_threshold 0.1, comparison_method Robust,
 * categorical_comparison_threshold = comparison_threshold, categorical_drift_method LInfinity.
 * `comparison_method` accepts the schema's `Simple` / `Robust` and the table's `linf_simple` / `linf_robust`
 * (and the key spelled `comparion_method`, as one edition of the guide prints it).
 * A feature's `monitoringConfigOverrides` may set the same thresholds for that feature alone.
 *
 * Suggestion (`suggestConstraints`), per feature of the profile: `inferred_type` from the data (whole
 * numbers → Integral, other numbers → Fractional, text → String), `completeness` = the observed share of
 * non-missing values, `num_constraints.is_non_negative` = min ≥ 0, and `string_constraints.domains` = the
 * observed values when the feature has at most {@link maxSuggestedDomain} distinct values and none was pooled.
 */
import type { BaselineProfile } from "../profile.js";
import { JsonPath, arrayAt, enumAt, field, numberAt, objectAt, required, stringAt } from "./read-json.js";
import { featureNameOf, inferredTypeOf } from "./statistics.js";
import { type InferredType, type MonitorConstraints, type MonitoringThresholds, type FeatureConstraints, inferredTypes } from "./types.js";

export type { FeatureConstraints, MonitorConstraints, MonitoringThresholds } from "./types.js";

/** Most distinct values a suggested domain lists. */
export const maxSuggestedDomain = 100;

/** The guide's defaults. */
export const defaultMonitoringThresholds: MonitoringThresholds = {
  datatypeCheckThreshold: 0.1,
  domainContentThreshold: 0.1,
  performComparison: true,
  comparisonThreshold: 0.1,
  comparisonMethod: "Robust",
  categoricalComparisonThreshold: 0.1,
  categoricalDriftMethod: "LInfinity",
};

const enabled = (value: unknown, path: JsonPath): boolean => enumAt(value, path, ["Enabled", "Disabled"]) === "Enabled";

function thresholdsFrom(obj: Record<string, unknown>, path: JsonPath): Partial<MonitoringThresholds> {
  const out: { -readonly [K in keyof MonitoringThresholds]?: MonitoringThresholds[K] } = {};
  const ratio = (name: string, p: JsonPath = path, o: Record<string, unknown> = obj): number | undefined => (field(o, name) === undefined ? undefined : numberAt(field(o, name), p.key(name), { min: 0, max: 1 }));
  out.datatypeCheckThreshold = ratio("datatype_check_threshold");
  out.domainContentThreshold = ratio("domain_content_threshold");
  const dist = field(obj, "distribution_constraints");
  if (dist !== undefined) {
    const dp = path.key("distribution_constraints");
    const d = objectAt(dist, dp);
    if (field(d, "perform_comparison") !== undefined) out.performComparison = enabled(field(d, "perform_comparison"), dp.key("perform_comparison"));
    out.comparisonThreshold = ratio("comparison_threshold", dp, d);
    out.categoricalComparisonThreshold = ratio("categorical_comparison_threshold", dp, d);
    const methodKey = field(d, "comparison_method") !== undefined ? "comparison_method" : field(d, "comparion_method") !== undefined ? "comparion_method" : undefined;
    if (methodKey) {
      const method = enumAt(field(d, methodKey), dp.key(methodKey), ["Simple", "Robust", "linf_simple", "linf_robust"]);
      out.comparisonMethod = method === "Simple" || method === "linf_simple" ? "Simple" : "Robust";
    }
    if (field(d, "categorical_drift_method") !== undefined) out.categoricalDriftMethod = enumAt<"LInfinity" | "ChiSquared">(field(d, "categorical_drift_method"), dp.key("categorical_drift_method"), ["LInfinity", "ChiSquared"]);
  }
  for (const key of Object.keys(out) as (keyof MonitoringThresholds)[]) if (out[key] === undefined) delete out[key];
  return out;
}

/**
 * Reads a constraints.json document.
 * @throws {ValidationError} naming the JSON path of the first field that is missing or malformed.
 */
export function parseConstraints(doc: unknown, root: JsonPath): MonitorConstraints {
  const c = objectAt(doc, root);
  const featuresPath = root.key("features");
  const seen = new Set<string>();
  const features = arrayAt(required(c, "features", root), featuresPath, 1000).map((item, i): FeatureConstraints => {
    const path = featuresPath.index(i);
    const f = objectAt(item, path);
    const name = featureNameOf(stringAt(required(f, "name", path), path.key("name"), 200), path.key("name"));
    if (seen.has(name)) path.key("name").fail(`feature ${JSON.stringify(name)} appears twice`);
    seen.add(name);
    const out: { -readonly [K in keyof FeatureConstraints]: FeatureConstraints[K] } = { name, inferredType: enumAt(required(f, "inferred_type", path), path.key("inferred_type"), inferredTypes) };
    if (field(f, "completeness") !== undefined) out.completeness = numberAt(field(f, "completeness"), path.key("completeness"), { min: 0, max: 1 });
    if (field(f, "num_constraints") !== undefined) {
      const nc = objectAt(field(f, "num_constraints"), path.key("num_constraints"));
      const v = field(nc, "is_non_negative");
      if (v !== undefined) {
        if (typeof v !== "boolean") path.key("num_constraints").key("is_non_negative").fail("must be true or false");
        out.isNonNegative = v as boolean;
      }
    }
    if (field(f, "string_constraints") !== undefined) {
      const sp = path.key("string_constraints");
      const sc = objectAt(field(f, "string_constraints"), sp);
      if (field(sc, "domains") !== undefined) out.domains = arrayAt(field(sc, "domains"), sp.key("domains"), 100_000).map((v, j) => stringAt(v, sp.key("domains").index(j)));
    }
    if (field(f, "monitoringConfigOverrides") !== undefined) out.overrides = thresholdsFrom(objectAt(field(f, "monitoringConfigOverrides"), path.key("monitoringConfigOverrides")), path.key("monitoringConfigOverrides"));
    return out;
  });
  const configValue = field(c, "monitoring_config");
  const configPath = root.key("monitoring_config");
  const config = configValue === undefined ? {} : objectAt(configValue, configPath);
  const given = thresholdsFrom(config, configPath);
  const comparisonThreshold = given.comparisonThreshold ?? defaultMonitoringThresholds.comparisonThreshold;
  return {
    origin: "imported",
    features,
    evaluateConstraints: field(config, "evaluate_constraints") === undefined ? true : enabled(field(config, "evaluate_constraints"), configPath.key("evaluate_constraints")),
    emitMetrics: field(config, "emit_metrics") === undefined ? true : enabled(field(config, "emit_metrics"), configPath.key("emit_metrics")),
    thresholds: { ...defaultMonitoringThresholds, categoricalComparisonThreshold: comparisonThreshold, ...given },
  };
}

/** The constraints Model Monitor's baselining job would suggest for a profile (see the module comment). */
export function suggestConstraints(profile: BaselineProfile, types?: Readonly<Record<string, InferredType>>): MonitorConstraints {
  const features = profile.features
    .filter((name) => Object.hasOwn(profile.profiles, name))
    .map((name): FeatureConstraints => {
      const p = profile.profiles[name];
      const inferredType = types && Object.hasOwn(types, name) ? types[name] : inferredTypeOf(p);
      const completeness = p.count + p.missing === 0 ? 0 : p.count / (p.count + p.missing);
      if (p.type === "numerical") return { name, inferredType, completeness, isNonNegative: p.min !== null && p.min >= 0 };
      const values = Object.keys(p.counts);
      return { name, inferredType, completeness, ...(!p.truncated && values.length <= maxSuggestedDomain ? { domains: values.sort() } : {}) };
    });
  return { origin: "suggested", features, evaluateConstraints: true, emitMetrics: true, thresholds: defaultMonitoringThresholds };
}

function thresholdsJson(t: Partial<MonitoringThresholds>): Record<string, unknown> {
  const dist: Record<string, unknown> = {};
  if (t.performComparison !== undefined) dist.perform_comparison = t.performComparison ? "Enabled" : "Disabled";
  if (t.comparisonThreshold !== undefined) dist.comparison_threshold = t.comparisonThreshold;
  if (t.comparisonMethod !== undefined) dist.comparison_method = t.comparisonMethod;
  if (t.categoricalComparisonThreshold !== undefined) dist.categorical_comparison_threshold = t.categoricalComparisonThreshold;
  if (t.categoricalDriftMethod !== undefined) dist.categorical_drift_method = t.categoricalDriftMethod;
  return {
    ...(t.datatypeCheckThreshold !== undefined ? { datatype_check_threshold: t.datatypeCheckThreshold } : {}),
    ...(t.domainContentThreshold !== undefined ? { domain_content_threshold: t.domainContentThreshold } : {}),
    ...(Object.keys(dist).length > 0 ? { distribution_constraints: dist } : {}),
  };
}

/** A constraints.json document (Model Monitor's schema). */
export function constraintsToJson(c: MonitorConstraints): Record<string, unknown> {
  return {
    version: 0,
    features: c.features.map((f) => ({
      name: f.name,
      inferred_type: f.inferredType,
      ...(f.completeness !== undefined ? { completeness: f.completeness } : {}),
      ...(f.isNonNegative !== undefined ? { num_constraints: { is_non_negative: f.isNonNegative } } : {}),
      ...(f.domains !== undefined ? { string_constraints: { domains: f.domains } } : {}),
      ...(f.overrides !== undefined ? { monitoringConfigOverrides: thresholdsJson(f.overrides) } : {}),
    })),
    monitoring_config: {
      evaluate_constraints: c.evaluateConstraints ? "Enabled" : "Disabled",
      emit_metrics: c.emitMetrics ? "Enabled" : "Disabled",
      ...thresholdsJson(c.thresholds),
    },
  };
}
