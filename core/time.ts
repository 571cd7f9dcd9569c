/** Wall-clock time in a business time zone, with the platform's own tz database (Intl). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** The local wall-clock time of an instant, as a Date whose UTC fields are the local fields (whole seconds). */
export function wallClock(instant: Date, timezone: string): Date {
  const p = Object.fromEntries(
    formatter(timezone)
      .formatToParts(instant)
      .map((x) => [x.type, x.value]),
  );
  return new Date(Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!));
}

/** Offset of `timezone` from UTC in ms at an instant (local = utc + offset). */
export function tzOffsetMs(timezone: string, utcMs: number): number {
  return wallClock(new Date(utcMs), timezone).getTime() - Math.floor(utcMs / 1000) * 1000;
}
