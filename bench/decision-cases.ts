/**
 * The round-three cases of the drift decision rule (docs/drift.md, "Measured"): for each, the share of
 * checks that flag the changed feature (power) next to the share that flag it when nothing changed (false
 * alarms), with Wilson 95 % intervals. Every check goes through the service's own path: a baseline profile
 * as stored (`buildProfile`, through its JSON) and `compareWithBaseline` — the path of the CLI, inline, S3
 * and scheduled checks (fan-out checks decide from summaries carrying the same counts; asserted in
 * test/unit/drift/issue-cases.test.ts). One feature per check; seeded (mulberry32).
 */
import { compareWithBaseline } from "../lambdas/drift/compare-data.js";
import { ColumnCollector } from "../lambdas/drift/columns.js";
import { loadRecords } from "../lambdas/drift/ingest.js";
import { buildProfile, parseProfile, profileKinds, type BaselineProfile } from "../lambdas/drift/profile.js";
import { mulberry32 } from "../lambdas/core/stats/seeded.js";
import type { FeatureDrift } from "../lambdas/core/drift/index.js";

type Row = Record<string, unknown>;
type Rng = () => number;
const gauss = (r: Rng): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

function profileOf(rows: Row[], categorical: string[] = []): BaselineProfile {
  const c = new ColumnCollector({ categorical });
  c.addRecords(rows);
  return parseProfile(JSON.stringify(buildProfile(c.finish(), { model: "bench", baselineId: "b", createdAt: "", rows: c.rows, source: { kind: "inline" } })));
}
function check(profile: BaselineProfile, rows: Row[]): FeatureDrift {
  return compareWithBaseline(profile, loadRecords(rows, { kinds: profileKinds(profile), onlyKnown: true })).features.x;
}

/** Wilson score interval for k successes in n trials (95 %). */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

interface Case {
  readonly name: string;
  readonly nullName: string;
  /** Baseline rows (drawn once per `baselineEvery` checks), changed current rows, unchanged current rows. */
  readonly baseline: (r: Rng) => Row[];
  readonly changed: (r: Rng) => Row[];
  readonly unchanged: (r: Rng) => Row[];
  readonly categorical?: boolean;
  /** Draw a new baseline every this many checks (default 1). */
  readonly baselineEvery?: number;
}

const column = (n: number, f: (i: number) => unknown): Row[] => Array.from({ length: n }, (_, i) => ({ x: f(i) }));
function levels(r: Rng, p: number[]): string {
  const u = r();
  let acc = 0;
  for (let i = 0; i < p.length; i++) if (u < (acc += p[i])) return `level${i}`;
  return `level${p.length - 1}`;
}

export const roundThreeCases: Case[] = [
  {
    name: "missing 1 % → 6 % (20 → 120 of 2,000)",
    nullName: "missing 1 % → 1 %",
    baseline: (r) => column(2000, (i) => (i < 20 ? null : gauss(r))),
    changed: (r) => column(2000, (i) => (i < 120 ? null : gauss(r))),
    unchanged: (r) => column(2000, (i) => (i < 20 ? null : gauss(r))),
  },
  ...[500, 1000, 2000].map((n) => ({
    name: `constant 0 → 3 % values 1–9, n = ${n.toLocaleString("en-US")}`,
    nullName: `normal vs normal, n = ${n.toLocaleString("en-US")}`,
    baseline: () => column(n, () => 0),
    changed: (r: Rng) => column(n, () => (r() < 0.03 ? 1 + Math.floor(9 * r()) : 0)),
    unchanged: () => column(n, () => 0),
  })),
  ...[500, 1000, 2000].map((n) => ({
    name: `(null of the out-of-range test) normal, n = ${n.toLocaleString("en-US")}`,
    nullName: "",
    baseline: (r: Rng) => column(n, () => gauss(r)),
    changed: (r: Rng) => column(n, () => gauss(r)),
    unchanged: (r: Rng) => column(n, () => gauss(r)),
  })),
  {
    name: "binary 10 % → 15 % ones, n = 2,000",
    nullName: "binary 10 % → 10 %",
    baseline: (r) => column(2000, () => (r() < 0.1 ? 1 : 0)),
    changed: (r) => column(2000, () => (r() < 0.15 ? 1 : 0)),
    unchanged: (r) => column(2000, () => (r() < 0.1 ? 1 : 0)),
  },
  {
    name: "binary 10 % → 15 %, 20,000-row baseline (sketched)",
    nullName: "binary 10 % → 10 %",
    baseline: (r) => column(20_000, () => (r() < 0.1 ? 1 : 0)),
    changed: (r) => column(2000, () => (r() < 0.15 ? 1 : 0)),
    unchanged: (r) => column(2000, () => (r() < 0.1 ? 1 : 0)),
  },
  ...[0.38, 0.45].map((to) => ({
    name: `one level of four 30 % → ${Math.round(to * 100)} %, n = 5,000`,
    nullName: "four levels unchanged",
    categorical: true,
    baseline: (r: Rng) => column(5000, () => levels(r, [0.3, 0.25, 0.25, 0.2])),
    changed: (r: Rng) => column(5000, () => levels(r, [to, ...[0.25, 0.25, 0.2].map((p) => (p * (1 - to)) / 0.7)])),
    unchanged: (r: Rng) => column(5000, () => levels(r, [0.3, 0.25, 0.25, 0.2])),
  })),
  ...[1_001, 1_500].map((k) => ({
    name: `${k.toLocaleString("en-US")} categories, 10 % brand-new (baseline ${(20 * k).toLocaleString("en-US")}, current 3,000)`,
    nullName: "same categories, no new one",
    categorical: true,
    baseline: (r: Rng) => column(20 * k, () => `c${Math.floor(k * r())}`),
    changed: (r: Rng) => column(3000, () => (r() < 0.1 ? "brand-new" : `c${Math.floor(k * r())}`)),
    unchanged: (r: Rng) => column(3000, () => `c${Math.floor(k * r())}`),
    baselineEvery: 10,
  })),
  {
    name: "far tail: 2M-row baseline, 20k current, 0.5 % at +8 sd",
    nullName: "2M vs 20k, no change",
    baseline: (r) => column(2_000_000, () => gauss(r)),
    changed: (r) => column(20_000, (i) => (i % 200 === 0 ? 8 + gauss(r) : gauss(r))),
    unchanged: (r) => column(20_000, () => gauss(r)),
    baselineEvery: 1_000,
  },
];

/** Power and false alarms of every case, `checks` each; rows for the table. */
export function runRoundThree(checks: number, seed = 2323): string[][] {
  const rows: string[][] = [];
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  const cell = (k: number) => {
    const [lo, hi] = wilson(k, checks);
    return `${k}/${checks} (${pct(lo)}–${pct(hi)})`;
  };
  roundThreeCases.forEach((c, ci) => {
    const r = mulberry32(seed + 31 * ci);
    let profile: BaselineProfile | undefined;
    let hits = 0;
    let alarms = 0;
    const severities = new Map<string, number>();
    const rules = new Map<string, number>();
    for (let i = 0; i < checks; i++) {
      if (profile === undefined || i % (c.baselineEvery ?? 1) === 0) profile = profileOf(c.baseline(r), c.categorical ? ["x"] : []);
      const changed = check(profile, c.changed(r));
      if (changed.driftDetected) {
        hits++;
        severities.set(changed.severity, (severities.get(changed.severity) ?? 0) + 1);
        for (const rule of changed.rulesFired) rules.set(rule, (rules.get(rule) ?? 0) + 1);
      }
      if (c.nullName !== "" && check(profile, c.unchanged(r)).driftDetected) alarms++;
    }
    const list = (m: Map<string, number>) => [...m].map(([k, n]) => `${k} ${n}`).join(", ") || "-";
    if (c.nullName === "") rows.push([c.name, "", "", cell(hits), "", ""]);
    else rows.push([c.name, cell(hits), c.nullName, cell(alarms), list(rules), list(severities)]);
  });
  return rows;
}
