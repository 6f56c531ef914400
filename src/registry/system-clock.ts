import type { Clock } from './ports.js';

/** The real clock; tests inject a fixed one. */
export const systemClock: Clock = Object.freeze({ now: (): Date => new Date() });

// Building an Intl.DateTimeFormat costs ~1 ms; one per time zone, reused (it is stateless).
const formats = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD of an instant in a time zone (the rules' "today", Europe/Brussels). */
export function localDate(instant: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(instant);
}
