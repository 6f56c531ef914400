import { daysInMonth } from '../identifiers/insz-check.js';

/**
 * The calendar date of a KMEHR `date` (xs:date: `YYYY-MM-DD`, optionally with a time zone `Z` / `±hh:mm`),
 * or undefined when it is not a real date (2021-02-31, 2021-13-01, "25/03/2021").
 */
export function calendarDate(value: string | undefined): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}
