// Pure shaping of the daily KPI series (marts.agg_kpi_daily) into period values and
// period-over-period deltas. No IO: the loaders pass rows in, tests call these directly.
// The metrics themselves are defined once, in the dbt marts; here they are only rolled up.

export type Unit = "count" | "currency" | "ratio" | "seconds";
/** How daily values combine over a period. `sum` is exact for additive metrics; `ratio` sums the
 *  daily numerators and denominators, then divides (exact; falls back to `mean` when the mart
 *  gives no parts); `mean` is the average day (for non-additive metrics such as distinct counts). */
export type Rollup = "sum" | "ratio" | "mean";

export interface MetricSpec {
  metric: string;
  label: string;
  unit: Unit;
  rollup: Rollup;
  /** Which direction is good news, for colouring deltas. */
  better: "up" | "down";
  /** Shown under the card when the period value is not the plain total. */
  note?: string;
}

/** The headline KPIs of R21/R28, in display order. Names match the metric column of agg_kpi_daily. */
export const HEADLINE_METRICS: readonly MetricSpec[] = [
  { metric: "inbound_messages", label: "Inbound messages", unit: "count", rollup: "sum", better: "up" },
  { metric: "outbound_messages", label: "Outbound messages", unit: "count", rollup: "sum", better: "up" },
  {
    metric: "active_customers",
    label: "Active customers",
    unit: "count",
    rollup: "mean",
    better: "up",
    note: "average per day",
  },
  { metric: "orders", label: "Orders", unit: "count", rollup: "sum", better: "up" },
  {
    metric: "revenue_business",
    label: "Revenue",
    unit: "currency",
    rollup: "sum",
    better: "up",
    note: "paid orders, in the business currency",
  },
  { metric: "read_rate", label: "Read rate", unit: "ratio", rollup: "ratio", better: "up", note: "read / delivered, outbound messages sent in the period" },
  {
    metric: "first_response_median_seconds",
    label: "Median first response",
    unit: "seconds",
    rollup: "mean",
    better: "down",
    note: "average of daily medians",
  },
];

/** Other names the marts may use for the same headline metric. */
export const METRIC_ALIASES: Readonly<Record<string, readonly string[]>> = {
  first_response_median_seconds: [
    "first_response_median_seconds",
    "median_first_response_seconds",
    "median_first_response_time_seconds",
    "first_response_seconds_median",
    "median_first_response_time",
  ],
};

export interface DailyPoint {
  date: string; // YYYY-MM-DD, local business date
  /** A headline metric name, or `name:slice` for a metric the mart only gives per slice (revenue:HKD). */
  metric: string;
  value: number;
  /** Parts of a ratio, when the mart provides them. */
  numerator?: number | null;
  denominator?: number | null;
}

export interface PeriodValue {
  start: string;
  end: string;
  value: number | null;
  /** Days in the window that have a value. */
  days: number;
}

export interface PeriodComparison {
  days: number;
  current: PeriodValue;
  previous: PeriodValue;
  /** current - previous, null when either side is missing or the previous window is incomplete. */
  change: number | null;
  /** (current - previous) / |previous|, null when not comparable or previous is 0. */
  changePct: number | null;
  /** The same window 52 weeks (364 days, same weekdays) earlier, compared with `current`. */
  lastYear?: { period: PeriodValue; change: number | null; changePct: number | null };
}

export interface KpiSummary extends MetricSpec {
  periods: PeriodComparison[];
  /** Set when the period value came from a finer source than the daily series. */
  source?: string;
}

const DAY_MS = 86_400_000;

export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return new Date(t + n * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date of `instant` in `timeZone`, as YYYY-MM-DD. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** The last complete business day: the latest date in the data before today, else the latest date. */
export function pickAnchor(dates: readonly string[], today: string): string | null {
  let latest: string | null = null;
  let latestBeforeToday: string | null = null;
  for (const d of dates) {
    if (latest === null || d > latest) latest = d;
    if (d < today && (latestBeforeToday === null || d > latestBeforeToday)) latestBeforeToday = d;
  }
  return latestBeforeToday ?? latest;
}

/** Days back to "the same period last year": 52 weeks, so weekdays line up (a Tuesday against a Tuesday). */
export const LAST_YEAR_DAYS = 364;

/** The `[start, end]` window shifted 52 weeks earlier. */
export function lastYearWindow([start, end]: [string, string]): [string, string] {
  return [addDays(start, -LAST_YEAR_DAYS), addDays(end, -LAST_YEAR_DAYS)];
}

/** Inclusive bounds of the `days`-long window ending at `anchor`, and of the one before it. */
export function windows(anchor: string, days: number): { current: [string, string]; previous: [string, string] } {
  return {
    current: [addDays(anchor, -(days - 1)), anchor],
    previous: [addDays(anchor, -(2 * days - 1)), addDays(anchor, -days)],
  };
}

export function rollup(points: readonly Pick<DailyPoint, "value" | "numerator" | "denominator">[], how: Rollup): number | null {
  if (points.length === 0) return null;
  if (how === "ratio" && points.every((p) => p.numerator != null && p.denominator != null)) {
    const num = points.reduce((a, p) => a + p.numerator!, 0);
    const den = points.reduce((a, p) => a + p.denominator!, 0);
    return den === 0 ? null : num / den;
  }
  const sum = points.reduce((a, p) => a + p.value, 0);
  return how === "sum" ? sum : sum / points.length;
}

/** Whether `rollup(points, "ratio")` could use the parts (else it averaged the daily ratios). */
export function hasRatioParts(points: readonly DailyPoint[]): boolean {
  return points.length > 0 && points.every((p) => p.numerator != null && p.denominator != null);
}

/**
 * The display list: each headline spec whose metric is present, in order; a metric present only
 * per slice (`revenue:HKD`, `revenue:TWD`) becomes one spec per slice.
 */
export function specsFor(metricKeys: Iterable<string>, specs: readonly MetricSpec[] = HEADLINE_METRICS): MetricSpec[] {
  const keys = [...new Set(metricKeys)].sort();
  const out: MetricSpec[] = [];
  for (const spec of specs) {
    if (keys.includes(spec.metric)) {
      out.push(spec);
      continue;
    }
    for (const key of keys.filter((k) => k.startsWith(`${spec.metric}:`))) {
      out.push({ ...spec, metric: key, label: `${spec.label} (${key.slice(spec.metric.length + 1)})` });
    }
  }
  return out;
}

export function comparison(current: PeriodValue, previous: PeriodValue, days: number): PeriodComparison {
  const comparable = current.value !== null && previous.value !== null && previous.days === days;
  const change = comparable ? current.value! - previous.value! : null;
  const changePct = comparable && previous.value !== 0 ? change! / Math.abs(previous.value!) : null;
  return { days, current, previous, change, changePct };
}

function pointsIn(byDate: Map<string, DailyPoint>, [start, end]: [string, string]): DailyPoint[] {
  const points: DailyPoint[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) {
    const p = byDate.get(d);
    if (p !== undefined && Number.isFinite(p.value)) points.push(p);
  }
  return points;
}

function periodValue(byDate: Map<string, DailyPoint>, window: [string, string], how: Rollup): PeriodValue {
  const points = pointsIn(byDate, window);
  return { start: window[0], end: window[1], value: rollup(points, how), days: points.length };
}

/** Period values and deltas for each spec whose metric appears in `points`. */
export function summarise(
  points: readonly DailyPoint[],
  specs: readonly MetricSpec[],
  anchor: string,
  periodDays: readonly number[] = [7, 28],
): KpiSummary[] {
  const series = new Map<string, Map<string, DailyPoint>>();
  for (const p of points) {
    let s = series.get(p.metric);
    if (!s) series.set(p.metric, (s = new Map()));
    s.set(p.date, p);
  }
  const out: KpiSummary[] = [];
  for (const spec of specs) {
    const byDate = series.get(spec.metric);
    if (!byDate) continue;
    const periods = periodDays.map((days) => {
      const w = windows(anchor, days);
      const current = periodValue(byDate, w.current, spec.rollup);
      const c = comparison(current, periodValue(byDate, w.previous, spec.rollup), days);
      return withLastYear(c, periodValue(byDate, lastYearWindow(w.current), spec.rollup));
    });
    const ratioFallback = spec.rollup === "ratio" && !hasRatioParts([...byDate.values()]);
    out.push({ ...spec, periods, ...(ratioFallback ? { note: "average of daily rates (the mart gives no numerator/denominator)" } : {}) });
  }
  return out;
}

/** Adds the same-period-last-year comparison; null changes when last year's window is incomplete. */
export function withLastYear(c: PeriodComparison, ly: PeriodValue): PeriodComparison {
  const cmp = comparison(c.current, ly, c.days);
  return { ...c, lastYear: { period: ly, change: cmp.change, changePct: cmp.changePct } };
}
