/** Time helpers: business time zone days, day arithmetic, ISO formatting. */
import { tzOffsetMs } from "../../core/time.ts";

export { tzOffsetMs };
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MIN_MS = 60_000;

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
