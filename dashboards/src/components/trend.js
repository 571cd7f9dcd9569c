// Daily trend charts: a small chart per metric, daily values with a trailing 7-day mean, and the
// current 28-day window shaded. Printable (no interaction needed to read them).
import * as Plot from "@observablehq/plot";
import { html } from "htl";
import { formatValue } from "./format.js";

/** Rows {date: Date, value} for one metric of kpi-daily.json ({dates, series}). */
export function seriesRows(daily, metric) {
  const values = daily.series[metric] ?? [];
  return daily.dates.map((d, i) => ({ date: new Date(`${d}T00:00:00Z`), value: values[i] }));
}

function tickFormat(unit) {
  if (unit === "ratio") return (v) => `${Math.round(v * 100)}%`;
  if (unit === "seconds") return (v) => `${Math.round((v / 60) * 10) / 10}m`;
  const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
  return (v) => compact.format(v);
}

/** One chart; `kpi` carries label/unit, `window` the [start, end] to shade. */
export function trendChart(rows, kpi, { width, window } = {}) {
  const defined = rows.filter((r) => r.value != null);
  return Plot.plot({
    width,
    height: 170,
    marginLeft: 44,
    marginRight: 8,
    x: { type: "utc", label: null, ticks: width < 360 ? 3 : 5 },
    y: {
      grid: true,
      label: null,
      tickFormat: tickFormat(kpi.unit),
      zero: kpi.unit === "count" || kpi.unit === "currency",
      nice: true,
    },
    marks: [
      window
        ? Plot.rectX([window], {
            x1: (w) => new Date(`${w[0]}T00:00:00Z`),
            x2: (w) => new Date(Date.parse(`${w[1]}T00:00:00Z`) + 86_400_000),
            fill: "currentColor",
            fillOpacity: 0.06,
          })
        : null,
      Plot.lineY(defined, { x: "date", y: "value", stroke: "var(--theme-foreground-faint)", strokeWidth: 1 }),
      Plot.lineY(
        defined,
        Plot.windowY(
          { k: 7, anchor: "end", strict: true },
          { x: "date", y: "value", stroke: "var(--theme-foreground-focus)", strokeWidth: 2 },
        ),
      ),
      Plot.tip(
        defined,
        Plot.pointerX({
          x: "date",
          y: "value",
          title: (d) => `${d.date.toISOString().slice(0, 10)}\n${kpi.label}: ${formatValue(d.value, kpi.unit)}`,
        }),
      ),
    ],
  });
}

/** A grid of trend charts, one per KPI present in the daily series. */
export function trendGrid(daily, kpis, { width, window } = {}) {
  const columns = width >= 1000 ? 3 : width >= 640 ? 2 : 1;
  const chartWidth = Math.floor((width - (columns - 1) * 16) / columns) - 32;
  const shown = kpis.filter((k) => daily.series[k.metric]);
  return html`<div class="trend-grid" style="${`grid-template-columns: repeat(${columns}, minmax(0, 1fr))`}">
    ${shown.map(
      (k) =>
        html`<figure class="card trend-card">
          <figcaption>${k.label}</figcaption>
          ${trendChart(seriesRows(daily, k.metric), k, { width: chartWidth, window })}
        </figure>`,
    )}
  </div>`;
}
