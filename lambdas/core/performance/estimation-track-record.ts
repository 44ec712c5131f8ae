/**
 * The persisted track record of performance estimation: how good the estimates were, once the labels came.
 *
 * When labelled rows arrive that the reference did not hold (a ground-truth join, or a labelled batch outside
 * the reference), each of their UTC days (a window) is estimated from its scores alone with the reference in
 * force at that moment and compared with what the labels show: `trackRecordEntry` freezes that comparison
 * (estimate, interval, realized, estimated − realized, covered) with the method and the reference it used.
 * Stored once per labelled batch, an entry is never recomputed — a later change of reference does not
 * rewrite history — and deleting the batch deletes it. `summarizeTrackRecord` gives, over all entries of a
 * version, the windows and rows checked, the mean absolute error, the mean error (bias) and the share of
 * windows whose interval held the realized value (coverage; nominal at the estimation level) per metric.
 */
import { estimatedMetricNames, estimationError, type EstimatedMetric, type EstimationSettings } from "./estimation.js";
import { estimateAny, labelledAny, realizedAny, type AnyFit, type EstimationHistogram } from "./estimation-kind.js";

type PerMetric<T> = Record<EstimatedMetric, T>;

/** One window (day) checked against its labels. */
export interface TrackedWindow {
  readonly date: string;
  readonly count: number;
  readonly estimated: PerMetric<number | null>;
  readonly intervals: PerMetric<readonly [number, number] | null>;
  readonly realized: PerMetric<number | null>;
  readonly error: PerMetric<number | null>;
  readonly covered: PerMetric<boolean | null>;
}

/** What one labelled batch told about the estimates. */
export interface TrackRecordEntry {
  readonly batchId: string;
  readonly version: string;
  readonly source: string;
  readonly recordedAt: string;
  readonly method: string;
  readonly referenceCount: number;
  readonly windows: readonly TrackedWindow[];
}

const round = (x: number | null): number | null => (x === null ? null : Number(x.toPrecision(6)));
const perMetric = <T>(f: (m: EstimatedMetric) => T): PerMetric<T> => Object.fromEntries(estimatedMetricNames.map((m) => [m, f(m)])) as PerMetric<T>;

/**
 * The windows of a labelled batch, checked: each day's rows estimated from their scores with `reference`
 * and compared with their labels. Days whose histogram is unlabelled or empty are left out.
 */
export function trackedWindows(reference: AnyFit, byDay: Readonly<Record<string, EstimationHistogram>>, settings: EstimationSettings): TrackedWindow[] {
  const out: TrackedWindow[] = [];
  for (const date of Object.keys(byDay).sort()) {
    const h = byDay[date];
    if (!labelledAny(h)) continue;
    const estimate = estimateAny(reference, h, settings);
    if (!estimate) continue;
    const realized = realizedAny(h);
    const { error, covered } = estimationError(estimate, realized);
    out.push({
      date,
      count: estimate.count,
      estimated: perMetric((m) => round(estimate.metrics[m])),
      intervals: perMetric((m) => {
        const iv = estimate.intervals[m];
        return iv === null ? null : ([round(iv[0]) as number, round(iv[1]) as number] as const);
      }),
      realized: perMetric((m) => round(realized[m])),
      error: perMetric((m) => round(error[m])),
      covered,
    });
  }
  return out;
}

/** The running record of a version's estimates (see the file comment). */
export interface TrackRecordSummary {
  /** Labelled batches that checked estimates. */
  readonly batches: number;
  /** Windows (batch × day) checked. */
  readonly windows: number;
  readonly count: number;
  readonly meanAbsoluteError: PerMetric<number | null>;
  readonly meanError: PerMetric<number | null>;
  readonly coverage: PerMetric<number | null>;
  /** Time of the first and the latest entry. */
  readonly since: string | null;
  readonly latest: string | null;
}

/** Summarises entries: every window counts once, metrics with no value in a window are skipped there. */
export function summarizeTrackRecord(entries: readonly TrackRecordEntry[]): TrackRecordSummary {
  const totals = perMetric(() => ({ abs: 0, signed: 0, covered: 0, n: 0, withInterval: 0 }));
  let windows = 0;
  let count = 0;
  let since: string | null = null;
  let latest: string | null = null;
  for (const e of entries) {
    if (since === null || e.recordedAt < since) since = e.recordedAt;
    if (latest === null || e.recordedAt > latest) latest = e.recordedAt;
    for (const w of e.windows) {
      windows++;
      count += w.count;
      for (const m of estimatedMetricNames) {
        const err = w.error[m];
        if (err === null || err === undefined) continue;
        const t = totals[m];
        t.abs += Math.abs(err);
        t.signed += err;
        t.n++;
        if (w.covered[m] !== null && w.covered[m] !== undefined) {
          t.withInterval++;
          if (w.covered[m]) t.covered++;
        }
      }
    }
  }
  return {
    batches: entries.length,
    windows,
    count,
    meanAbsoluteError: perMetric((m) => (totals[m].n > 0 ? round(totals[m].abs / totals[m].n) : null)),
    meanError: perMetric((m) => (totals[m].n > 0 ? round(totals[m].signed / totals[m].n) : null)),
    coverage: perMetric((m) => (totals[m].withInterval > 0 ? round(totals[m].covered / totals[m].withInterval) : null)),
    since,
    latest,
  };
}
