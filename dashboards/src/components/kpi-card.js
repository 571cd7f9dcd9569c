// KPI cards: one metric, its value for each period and the change against the period before.
import { html } from "htl";
import { changeTone, formatChange, formatValue } from "./format.js";
import { info } from "./kit.js";

const ARROWS = { good: "▲", bad: "▼", flat: "■" };

function arrow(comparison) {
  if (comparison.change == null || comparison.change === 0) return "";
  return comparison.change > 0 ? "▲" : "▼";
}

function periodBlock(kpi, p, primary) {
  const tone = changeTone(p, kpi.better);
  const prev = formatValue(p.previous.value, kpi.unit);
  return html`<div class="${`kpi-period ${primary ? "kpi-period--primary" : ""}`}">
    <div class="kpi-period__label">Last ${p.days} days</div>
    <div class="kpi-period__value">${formatValue(p.current.value, kpi.unit)}</div>
    <div class="${`kpi-delta kpi-delta--${tone}`}" title="${`previous ${p.days} days: ${prev}`}">
      <span aria-hidden="true">${arrow(p) || ARROWS.flat}</span> ${formatChange(p, kpi.unit)}
      <span class="kpi-delta__prev">vs ${prev} prev.</span>
    </div>
    ${lastYearBlock(kpi, p)}
  </div>`;
}

function lastYearBlock(kpi, p) {
  const ly = p.lastYear;
  if (!ly) return "";
  if (ly.change == null) return html`<div class="kpi-delta kpi-delta--flat kpi-delta--ly">last year: no data</div>`;
  const c = { change: ly.change, changePct: ly.changePct };
  const tone = changeTone(c, kpi.better);
  return html`<div
    class="${`kpi-delta kpi-delta--ly kpi-delta--${tone}`}"
    title="${`same weekdays 52 weeks earlier: ${ly.period.start} – ${ly.period.end}`}"
  >
    <span class="kpi-delta__ly">LY</span> ${formatChange(c, kpi.unit)}
    <span class="kpi-delta__prev">vs ${formatValue(ly.period.value, kpi.unit)} last year</span>
  </div>`;
}

/** One card per KPI; `kpi` is an entry of overview.json's `kpis`. */
export function kpiCard(kpi) {
  return html`<div class="card kpi-card">
    <h2 class="kpi-card__title">${kpi.label} ${info(kpi.metric.split(":")[0])}</h2>
    <div class="kpi-card__periods">${kpi.periods.map((p, i) => periodBlock(kpi, p, i === 0))}</div>
    ${kpi.note ? html`<div class="kpi-card__note">${kpi.note}</div>` : ""}
  </div>`;
}

/** A responsive grid of KPI cards (one column on a phone). */
export function kpiGrid(kpis) {
  return html`<div class="kpi-grid">${kpis.map(kpiCard)}</div>`;
}
