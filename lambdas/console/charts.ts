/**
 * Inline SVG charts for the console: a sparkline (the home page's quality trend) and a line chart with
 * several series, a threshold line and marked points (the performance page). Plain SVG in the page: no
 * script, nothing fetched. Labels are escaped; missing values break a line rather than drop to zero.
 */
import { esc, num, type Html } from "./html.js";

/** Series colours, in order. */
export const palette = ["#1b5fc1", "#d9822b", "#2f9e5a", "#8e44ad", "#c0392b", "#16a2b8", "#7f8c8d"] as const;

/** A small line of values (null = no value that day), with the last point marked. */
export function sparkline(values: readonly (number | null)[], options: { width?: number; height?: number; label?: string; bad?: boolean } = {}): Html {
  const width = options.width ?? 120;
  const height = options.height ?? 28;
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length < 2) return `<span class="muted small">${present.length === 1 ? esc(num(present[0])) : "no data"}</span>`;
  const min = Math.min(...present);
  const max = Math.max(...present);
  const span = max - min || 1;
  const x = (i: number): number => 2 + (i * (width - 4)) / Math.max(1, values.length - 1);
  const y = (v: number): number => height - 3 - ((v - min) / span) * (height - 6);
  const colour = options.bad ? "#c0392b" : "#1b5fc1";
  let last: { x: number; y: number } | undefined;
  const paths = segments(values).map((run) => run.map(([i, v], k) => `${k === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(""));
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      last = { x: x(i), y: y(v) };
      break;
    }
  }
  const title = options.label ? `<title>${esc(options.label)}</title>` : "";
  return `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(options.label ?? "trend")}">${title}${paths.map((d) => `<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.6"/>`).join("")}${last ? `<circle cx="${last.x.toFixed(1)}" cy="${last.y.toFixed(1)}" r="2.4" fill="${colour}"/>` : ""}</svg>`;
}

/** Runs of consecutive present values: [index, value] pairs. */
function segments(values: readonly (number | null)[]): [number, number][][] {
  const runs: [number, number][][] = [];
  let run: [number, number][] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push([i, v]);
  });
  if (run.length) runs.push(run);
  return runs;
}

/** One line of a {@link lineChart}. */
export interface Series {
  readonly name: string;
  readonly values: readonly (number | null)[];
  /** Drawn thicker, first in the legend. */
  readonly primary?: boolean;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  /** One label per x position (dates). */
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  /** Positions to mark (degradation), with the text of their tooltip. */
  readonly marks?: readonly { readonly index: number; readonly text: string }[];
  /** A horizontal line (a threshold), with its label. */
  readonly threshold?: { readonly value: number; readonly label: string } | undefined;
  readonly width?: number;
  readonly height?: number;
  readonly id?: string;
  /** The marks' name in the legend. @default "degradation" */
  readonly markLabel?: string;
}

/** A line chart with axes, gridlines, a legend, optional threshold and marked positions. */
export function lineChart(o: LineChartOptions): Html {
  const width = o.width ?? 1000;
  const height = o.height ?? 280;
  const pad = { left: 56, right: 16, top: 14, bottom: 34 };
  const all = o.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (o.threshold) all.push(o.threshold.value);
  if (all.length === 0 || o.labels.length === 0) return `<p class="empty">no values in this window</p>`;
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (min === max) {
    min -= Math.abs(min) * 0.05 || 0.5;
    max += Math.abs(max) * 0.05 || 0.5;
  }
  const margin = (max - min) * 0.08;
  min = min >= 0 && min - margin < 0 ? 0 : min - margin;
  max += margin;
  const n = o.labels.length;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (i: number): number => pad.left + (n === 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number): number => pad.top + plotH - ((v - min) / (max - min)) * plotH;
  const ticks = 5;
  const grid = Array.from({ length: ticks }, (_, k) => {
    const v = min + ((max - min) * k) / (ticks - 1);
    return `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#edf0f4"/><text x="${pad.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(num(v, 3))}</text>`;
  }).join("");
  const every = Math.max(1, Math.ceil(n / 12));
  const xLabels = o.labels
    .map((l, i) => (i % every === 0 || i === n - 1 ? `<text x="${x(i).toFixed(1)}" y="${height - 12}" text-anchor="middle">${esc(l.slice(5))}</text>` : ""))
    .join("");
  const lines = o.series
    .map((s, k) => {
      const colour = palette[k % palette.length];
      const paths = segments(s.values)
        .map((run) => run.map(([i, v], j) => `${j === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(""))
        .map((d) => `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${s.primary ? 2.6 : 1.4}"${s.primary ? "" : ' stroke-opacity="0.85"'}/>`)
        .join("");
      const dots = s.primary
        ? s.values.map((v, i) => (v === null || !Number.isFinite(v) ? "" : `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${colour}"><title>${esc(`${s.name} ${o.labels[i]}: ${num(v)}`)}</title></circle>`)).join("")
        : "";
      return `<g class="series" data-series="${esc(s.name)}">${paths}${dots}</g>`;
    })
    .join("");
  const threshold = o.threshold
    ? `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(o.threshold.value).toFixed(1)}" y2="${y(o.threshold.value).toFixed(1)}" stroke="#c0392b" stroke-dasharray="5 4"/><text x="${width - pad.right}" y="${(y(o.threshold.value) - 5).toFixed(1)}" text-anchor="end" style="fill:#c0392b">${esc(o.threshold.label)}</text>`
    : "";
  const primary = o.series.find((s) => s.primary) ?? o.series[0];
  const marks = (o.marks ?? [])
    .map((m) => {
      const v = primary?.values[m.index];
      const cy = v === null || v === undefined || !Number.isFinite(v) ? pad.top + 8 : y(v);
      return `<g class="mark"><line x1="${x(m.index).toFixed(1)}" x2="${x(m.index).toFixed(1)}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="#c0392b" stroke-opacity="0.25" stroke-width="6"/><circle cx="${x(m.index).toFixed(1)}" cy="${cy.toFixed(1)}" r="6" fill="none" stroke="#c0392b" stroke-width="2"><title>${esc(m.text)}</title></circle></g>`;
    })
    .join("");
  const legend = o.series.map((s, k) => `<span><i style="background:${palette[k % palette.length]}"></i>${esc(s.name)}</span>`).join("");
  const markLegend = o.marks?.length ? `<span><i style="background:#c0392b;opacity:.5"></i>${esc(o.markLabel ?? "degradation")}</span>` : "";
  return `<div class="legend">${legend}${markLegend}</div><svg${o.id ? ` id="${esc(o.id)}"` : ""} width="100%" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet" role="img" aria-label="${esc(primary?.name ?? "metric")} over time">${grid}<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="#c9d0da"/>${xLabels}${marks}${threshold}${lines}</svg>`;
}
