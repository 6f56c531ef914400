import { daysInMonth } from '../identifiers/insz-check.js';

/** The value of the ASCII digit at `i`, or -1. */
function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Whether `s[from..from+count)` are ASCII digits. */
function digits(s: string, from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) if (digit(s, i) < 0) return false;
  return true;
}

/**
 * The calendar date of a KMEHR `date` (xs:date: `YYYY-MM-DD`, optionally with a time zone `Z` / `±hh:mm`),
 * or undefined when it is not a real date (2021-02-31, 2021-13-01, "25/03/2021").
 * Read with `charCodeAt`, not a regular expression: every transaction of a batch asks for two or three dates.
 */
export function calendarDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const n = v.length;
  if (n !== 10 && n !== 11 && n !== 16) return undefined;
  if (!digits(v, 0, 4) || v.charCodeAt(4) !== 0x2d || !digits(v, 5, 2) || v.charCodeAt(7) !== 0x2d || !digits(v, 8, 2)) return undefined;
  if (n === 11 && v.charCodeAt(10) !== 0x5a) return undefined; // Z
  if (n === 16) {
    const sign = v.charCodeAt(10);
    if ((sign !== 0x2b && sign !== 0x2d) || !digits(v, 11, 2) || v.charCodeAt(13) !== 0x3a || !digits(v, 14, 2)) return undefined;
  }
  const y = digit(v, 0) * 1000 + digit(v, 1) * 100 + digit(v, 2) * 10 + digit(v, 3);
  const mo = digit(v, 5) * 10 + digit(v, 6);
  const d = digit(v, 8) * 10 + digit(v, 9);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return n === 10 ? v : v.slice(0, 10);
}
