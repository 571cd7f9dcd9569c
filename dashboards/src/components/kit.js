// Shared page furniture: definition links, notices for data not yet in the marts, cards, CSV
// export, and the client-side rollup of daily mart series over a chosen date range.
// Plain DOM + Plot; no library that Framework would fetch from a CDN.
import { html } from "htl";
import { formatValue } from "./format.js";

/** An (i) link to the metric's definition in the glossary. `key` is a metric or model.column. */
export function info(key, label = "definition") {
  const a = document.createElement("a");
  a.className = "info";
  a.href = `./glossary#${anchorId(key)}`;
  a.title = `${label}: ${key}`;
  a.setAttribute("aria-label", `${label} of ${key}`);
  a.textContent = "i";
  return a;
}

/** The glossary anchor of a metric ("inbound_messages") or a mart column ("fct_orders.revenue_amount"). */
export function anchorId(key) {
  return String(key)
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-");
}

/** A list of what the page cannot show yet, and which mart it needs. */
export function missingNotice(missing) {
  if (!missing || missing.length === 0) return html`<span></span>`;
  return html`<details class="notice missing" open>
    <summary>Not in the warehouse yet (${missing.length})</summary>
    <ul>
      ${missing.map((m) => html`<li>${m.what} <span class="muted">needs ${m.needs}</span></li>`)}
    </ul>
  </details>`;
}

/** A plain notice paragraph. */
export function notice(text) {
  return html`<p class="notice">${text}</p>`;
}

/** A figure card: title, definition link, optional subtitle and CSV export of `rows`. */
export function card(title, { key, subtitle, rows, file, body }) {
  const figure = html`<figure class="card chart-card">
    <figcaption>
      <span class="chart-card__title">${title}</span> ${key ? info(key) : ""}
      ${subtitle ? html`<div class="chart-card__subtitle">${subtitle}</div>` : ""}
    </figcaption>
    ${body} ${rows && rows.length ? csvButton(rows, file ?? slug(title)) : ""}
  </figure>`;
  return figure;
}

export function slug(s) {
  return String(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** A button that downloads `rows` (array of objects) as CSV; the file is built in the browser. */
export function csvButton(rows, name) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "csv-button";
  button.textContent = "Download CSV";
  button.addEventListener("click", () => {
    const blob = new Blob([toCsv(rows)], { type: "text/csv;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${name}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  });
  return button;
}

export function toCsv(rows) {
  if (rows.length === 0) return "";
  const columns = Object.keys(rows[0]);
  const cell = (v) => {
    if (v == null) return "";
    if (v instanceof Date) v = v.toISOString().slice(0, 10);
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\n") + "\n";
}

/** Columnar {columns, data} (from the loaders) to row objects. */
export function rowsOf(table) {
  if (!table) return [];
  const { columns, data } = table;
  const n = data[0]?.length ?? 0;
  const out = new Array(n);
  for (let i = 0; i < n; ++i) {
    const r = {};
    for (let j = 0; j < columns.length; ++j) r[columns[j]] = data[j][i];
    out[i] = r;
  }
  return out;
}

export const day = (d) => new Date(`${d}T00:00:00Z`);

// ---------------------------------------------------------------------------------------------
// Daily series from agg_kpi_daily ({dates, series: [{metric, dimension, value, v, n?, d?}]}).

/** The series of `metric` for `dimension` = `value` (overall: "all"/"all"), or undefined. */
export function findSeries(set, metric, dimension = "all", value = "all") {
  return set.series.find((s) => s.metric === metric && s.dimension === dimension && s.value === value);
}

/** Slices (dimension values) present for a metric and dimension. */
export function slicesOf(set, metric, dimension) {
  return set.series
    .filter((s) => s.metric === metric && s.dimension === dimension)
    .map((s) => s.value)
    .sort();
}

/** Daily rows {date, value} of a series between start and end (inclusive, YYYY-MM-DD). */
export function dailyRows(set, s, [start, end] = ["0000", "9999"]) {
  if (!s) return [];
  const out = [];
  set.dates.forEach((d, i) => {
    if (d < start || d > end || s.v[i] == null) return;
    out.push({ date: day(d), value: s.v[i], numerator: s.n?.[i] ?? null, denominator: s.d?.[i] ?? null });
  });
  return out;
}

/** Rolls a series up over [start, end]: sum, ratio of summed parts, or mean of days. */
export function rollupRange(set, s, range, how) {
  const rows = dailyRows(set, s, range);
  if (rows.length === 0) return null;
  if (how === "ratio" && rows.every((r) => r.numerator != null && r.denominator != null)) {
    const n = rows.reduce((a, r) => a + r.numerator, 0);
    const d = rows.reduce((a, r) => a + r.denominator, 0);
    return d === 0 ? null : n / d;
  }
  const sum = rows.reduce((a, r) => a + r.value, 0);
  return how === "sum" ? sum : sum / rows.length;
}

const DAY_MS = 86_400_000;
export function addDays(date, n) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The [start, end] of a preset ("7", "28", "90", "all") ending at the last date of `dates`. */
export function presetRange(dates, preset) {
  const end = dates[dates.length - 1];
  if (!end) return ["0000-00-00", "0000-00-00"];
  if (preset === "all") return [dates[0], end];
  return [addDays(end, -(Number(preset) - 1)), end];
}

/** The previous range of the same length. */
export function previousRange([start, end]) {
  const days = Math.round((Date.parse(end) - Date.parse(start)) / DAY_MS) + 1;
  return [addDays(start, -days), addDays(start, -1)];
}

/** A small "value (Δ vs previous)" block for a stat row. */
export function stat(label, key, value, unit, previous) {
  let delta = "";
  if (previous != null && value != null) {
    if (unit === "ratio") {
      const pp = (value - previous) * 100;
      delta = `${pp >= 0 ? "+" : "−"}${Math.abs(pp).toFixed(1)} pp vs previous`;
    } else if (previous !== 0) {
      const pct = (value - previous) / Math.abs(previous);
      delta = `${pct >= 0 ? "+" : "−"}${Math.abs(pct * 100).toFixed(1)}% vs previous`;
    }
  }
  return html`<div class="card stat">
    <div class="stat__label">${label} ${key ? info(key) : ""}</div>
    <div class="stat__value">${formatValue(value, unit)}</div>
    ${delta ? html`<div class="stat__delta">${delta}</div>` : ""}
  </div>`;
}

/** A row of stat cards. */
export function statRow(stats) {
  return html`<div class="stat-row">${stats}</div>`;
}

/** A compact HTML table of row objects with optional column formatters. */
export function table(rows, columns, { limit = 50 } = {}) {
  const shown = rows.slice(0, limit);
  return html`<div class="table-wrap">
    <table class="data-table">
      <thead>
        <tr>
          ${columns.map((c) => html`<th class="${c.align === "right" ? "num" : ""}">${c.label}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${shown.map(
          (r) =>
            html`<tr>
              ${columns.map((c) => html`<td class="${c.align === "right" ? "num" : ""}">${c.format ? c.format(r[c.key], r) : (r[c.key] ?? "–")}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
    ${rows.length > limit ? html`<p class="muted">${rows.length - limit} more rows in the CSV.</p>` : ""}
  </div>`;
}
