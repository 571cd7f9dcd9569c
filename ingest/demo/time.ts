/** Time helpers: business time zone offsets, day arithmetic, ISO formatting. */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MIN_MS = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC in ms at the instant `utcMs` (local = utc + offset). */
export function tzOffsetMs(tz: string, utcMs: number): number {
  const parts = formatter(tz).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant of local midnight of the local calendar day numbered `localDay` (days since epoch). */
export function localMidnightUtc(tz: string, localDay: number): number {
  const guess = localDay * DAY_MS;
  const off1 = tzOffsetMs(tz, guess);
  const off2 = tzOffsetMs(tz, guess - off1);
  return guess - off2;
}

/** Local calendar day number (days since epoch) of a UTC instant. */
export function localDayOf(tz: string, utcMs: number): number {
  return Math.floor((utcMs + tzOffsetMs(tz, utcMs)) / DAY_MS);
}

export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}
