// Chart helpers over Observable Plot (bundled from node_modules). Each returns an SVG/figure, or
// an empty-state box when there is nothing to draw (never a blank chart).
import * as Plot from "@observablehq/plot";
import { html } from "htl";
import { formatValue } from "./format.js";

export function emptyState(text) {
  return html`<div class="empty-state">${text}</div>`;
}

export function tickFormat(unit) {
  if (unit === "ratio") return (v) => `${Math.round(v * 1000) / 10}%`;
  if (unit === "seconds")
    return (v) => (v >= 3600 ? `${Math.round(v / 360) / 10}h` : `${Math.round((v / 60) * 10) / 10}m`);
  const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
  return (v) => compact.format(v);
}

/** Lines over time: rows {date: Date, value, series?}. */
export function lineChart(
  rows,
  { width, height = 220, unit = "count", series, label, rules = [], marks = [], zero } = {},
) {
  const defined = rows.filter((r) => r.value != null && Number.isFinite(r.value));
  if (defined.length === 0) return emptyState("No data in this range.");
  return Plot.plot({
    width,
    height,
    marginLeft: 48,
    marginRight: 12,
    x: { type: "utc", label: null, ticks: width < 420 ? 3 : 6 },
    y: {
      grid: true,
      label: null,
      tickFormat: tickFormat(unit),
      zero: zero ?? (unit === "count" || unit === "currency"),
      nice: true,
    },
    color: series ? { legend: true, type: "categorical" } : undefined,
    marks: [
      ...rules.map((r) => Plot.ruleY([r.y], { stroke: r.stroke ?? "var(--theme-red)", strokeDasharray: "4,3" })),
      ...marks,
      Plot.lineY(defined, {
        x: "date",
        y: "value",
        stroke: series ?? "var(--theme-foreground-focus)",
        strokeWidth: 1.5,
        curve: "monotone-x",
      }),
      Plot.tip(
        defined,
        Plot.pointerX({
          x: "date",
          y: "value",
          stroke: series,
          title: (d) =>
            `${d.date.toISOString().slice(0, 10)}${series ? `\n${d[series]}` : ""}\n${label ?? ""}${label ? ": " : ""}${formatValue(d.value, unit)}`,
        }),
      ),
    ],
  });
}

/** Horizontal bars: rows {label, value, group?}. */
export function barChart(rows, { width, unit = "count", fill, label, sort = true, marginLeft } = {}) {
  const defined = rows.filter((r) => r.value != null && Number.isFinite(r.value));
  if (defined.length === 0) return emptyState("No data in this range.");
  const longest = Math.max(...defined.map((r) => String(r.label).length));
  // Labels get up to 45% of the width; longer ones are shortened (the tooltip has them whole).
  const left = marginLeft ?? Math.min(Math.max(80, (width ?? 640) * 0.45), 12 + longest * 6.2);
  const fits = Math.max(6, Math.floor((left - 12) / 6.2));
  return Plot.plot({
    width,
    height: Math.max(80, 24 * new Set(defined.map((r) => r.label)).size + 40),
    marginLeft: left,
    marginRight: 48,
    x: { grid: true, label: null, tickFormat: tickFormat(unit), ticks: width < 420 ? 3 : 6 },
    y: { label: null, tickFormat: (v) => (String(v).length > fits ? `${String(v).slice(0, fits - 1)}…` : String(v)) },
    color: fill ? { legend: true, type: "categorical" } : undefined,
    marks: [
      Plot.barX(defined, {
        x: "value",
        y: "label",
        fill: fill ?? "var(--theme-foreground-focus)",
        sort: sort ? { y: "-x" } : undefined,
        tip: { format: { x: (v) => formatValue(v, unit) } },
        title: label
          ? (d) => `${d.label}${fill ? ` · ${d[fill]}` : ""}\n${label}: ${formatValue(d.value, unit)}`
          : undefined,
      }),
      fill
        ? null
        : Plot.text(defined, {
            x: "value",
            y: "label",
            text: (d) => formatValue(d.value, unit),
            dx: 4,
            textAnchor: "start",
            fontSize: 10,
          }),
      Plot.ruleX([0]),
    ],
  });
}

/** Stacked weekly/monthly columns: rows {date: Date, value, group}. */
export function stackedBars(rows, { width, unit = "count", group = "group", interval = "week", height = 240 } = {}) {
  const defined = rows.filter((r) => r.value != null && Number.isFinite(r.value));
  if (defined.length === 0) return emptyState("No data in this range.");
  // all zeros (no quarantined lines, say) would give Plot a [0, 0] domain and full-height bars
  const allZero = defined.every((r) => r.value === 0);
  return Plot.plot({
    width,
    height,
    marginLeft: 48,
    x: { type: "utc", label: null, ticks: width < 420 ? 3 : 6 },
    y: { grid: true, label: null, tickFormat: tickFormat(unit), ...(allZero ? { domain: [0, 1] } : {}) },
    color: { legend: true, type: "categorical" },
    marks: [
      // One column segment per group and interval (daily rows are summed into it, not stacked as slivers).
      Plot.rectY(
        defined,
        Plot.binX(
          { y: "sum" },
          { x: "date", interval, y: "value", fill: group, tip: true, insetLeft: 0.5, insetRight: 0.5 },
        ),
      ),
      Plot.ruleY([0]),
    ],
  });
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Weekday x hour heatmap: rows {weekday 1-7, hour 0-23, value}. */
export function heatmap(rows, { width, unit = "count", label = "Inbound messages" } = {}) {
  if (rows.length === 0) return emptyState("No data in this range.");
  const total = rows.reduce((a, r) => a + r.value, 0);
  return Plot.plot({
    width,
    height: 220,
    marginLeft: 40,
    padding: 0.05,
    x: { label: "Hour (local)", tickFormat: (h) => (width < 500 ? (h % 6 === 0 ? String(h) : "") : String(h)) },
    y: { label: null, tickFormat: (d) => WEEKDAYS[d - 1], domain: [1, 2, 3, 4, 5, 6, 7] },
    color: {
      scheme: "blues",
      legend: true,
      label: `${label} (share of the week)`,
      tickFormat: (v) => `${(v * 100).toFixed(1)}%`,
    },
    marks: [
      Plot.cell(rows, {
        x: "hour",
        y: "weekday",
        fill: (d) => d.share ?? d.value / total,
        title: (d) =>
          `${WEEKDAYS[d.weekday - 1]} ${String(d.hour).padStart(2, "0")}:00\n${label}: ${formatValue(d.value, unit)} (${((d.share ?? d.value / total) * 100).toFixed(1)}% of the week)`,
        tip: true,
      }),
    ],
  });
}

export { Plot };
