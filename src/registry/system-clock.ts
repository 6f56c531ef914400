import type { Clock } from './ports.js';

/** The real clock; tests inject a fixed one. */
export const systemClock: Clock = Object.freeze({ now: (): Date => new Date() });

/** YYYY-MM-DD of an instant in a time zone (the rules' "today", Europe/Brussels). */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
