import type { Clock } from './ports.js';

/** The real clock; tests inject a fixed one. */
export const systemClock: Clock = Object.freeze({ now: (): Date => new Date() });

// Building an Intl.DateTimeFormat costs ~1 ms; one per time zone, reused (it is stateless).
const formats = new Map<string, Intl.DateTimeFormat>();

// Formatting costs ~20 µs, on every registration. Every time zone's offset is a whole number of minutes, so the
// local date can only change on a UTC minute boundary: the answer is reused within the same minute, exactly.
const lastByZone = new Map<string, { readonly minute: number; readonly date: string }>();

/** YYYY-MM-DD of an instant in a time zone (the rules' "today", Europe/Brussels). */
export function localDate(instant: Date, timeZone: string): string {
  const minute = Math.floor(instant.getTime() / 60_000);
  const last = lastByZone.get(timeZone);
  if (last?.minute === minute) return last.date;
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  const date = format.format(instant);
  lastByZone.set(timeZone, { minute, date });
  return date;
}
