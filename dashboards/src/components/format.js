// Number and date formatting shared by the pages. Plain functions, no libraries.

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const pct1 = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });
const signedPct = new Intl.NumberFormat("en", {
  style: "percent",
  maximumFractionDigits: 1,
  signDisplay: "exceptZero",
});

/** Seconds as "4m 15s" (R22 reports response times to the second). */
export function formatDuration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** A metric value in its unit: count, currency, ratio or seconds. */
export function formatValue(value, unit) {
  if (value == null || !Number.isFinite(value)) return "–";
  switch (unit) {
    case "ratio":
      return pct1.format(value);
    case "seconds":
      return formatDuration(value);
    case "currency":
      return Math.abs(value) >= 1_000_000 ? compact.format(value) : whole.format(value);
    default:
      // Averages (e.g. active customers per day) keep one decimal while they are small.
      if (Math.abs(value) >= 1_000_000) return compact.format(value);
      return Number.isInteger(value) || Math.abs(value) >= 100 ? whole.format(value) : oneDecimal.format(value);
  }
}

/** A change between periods: percentage points for ratios, percent otherwise. */
export function formatChange(comparison, unit) {
  if (comparison.change == null) return "no comparable previous period";
  if (unit === "ratio") {
    const pp = comparison.change * 100;
    return `${pp > 0 ? "+" : pp < 0 ? "−" : "±"}${Math.abs(pp).toFixed(1)} pp`;
  }
  if (comparison.changePct == null) return "previous period was 0";
  return signedPct.format(comparison.changePct).replace("-", "−");
}

/** "good" | "bad" | "flat" for colouring a change, given which direction is better. */
export function changeTone(comparison, better) {
  const c = comparison.change;
  if (c == null || c === 0) return "flat";
  if (comparison.changePct != null && Math.abs(comparison.changePct) < 0.005) return "flat";
  return c > 0 === (better === "up") ? "good" : "bad";
}

/** "2 May – 8 May 2026" for an inclusive [start, end] pair of YYYY-MM-DD dates. */
export function formatRange([start, end]) {
  const f = (d, opts) =>
    new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", ...opts }).format(new Date(`${d}T00:00:00Z`));
  const sameYear = start.slice(0, 4) === end.slice(0, 4);
  return `${f(start, { day: "numeric", month: "short", ...(sameYear ? {} : { year: "numeric" }) })} – ${f(end, { day: "numeric", month: "short", year: "numeric" })}`;
}

/** An instant (epoch ms) in the business time zone, e.g. "8 May 2026, 10:00 GMT+8". */
export function formatInstant(ms, timeZone) {
  if (ms == null) return "–";
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(new Date(ms));
}
