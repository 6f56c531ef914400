/**
 * INSZ / SSIN check (identity.md §4): national register numbers and BIS numbers, 11 digits `YYMMDD SSS CC`.
 *
 * `CC = 97 − (N mod 97)` with N the first nine digits; for births in or after 2000 with `2000000000 + N`.
 * The rule that holds gives the century. Besides the check digits this refuses what can never be a real
 * number: month part > 52 or month mod 20 > 12, impossible dates, sequence 000/999 for register numbers,
 * day/month 00 for register numbers (identity.md allows 00 only for BIS numbers), a birth date after `today`.
 */
export type InszCheck =
  | {
      readonly ok: true;
      /** YYYY-MM-DD; absent when the day or month is unknown (BIS numbers with 00). */
      readonly birthdate?: string;
      /** Always known from the check digits (they give the century). */
      readonly birthYear: number;
      /** 1-12 when known. */
      readonly birthMonth?: number;
      /** From the sequence (odd = male); absent for BIS numbers issued with the sex unknown (month + 20). */
      readonly sex?: 'male' | 'female';
      readonly kind: 'register' | 'bis';
    }
  | {
      readonly ok: false;
      readonly code: 'INSZ_FORMAT' | 'INSZ_CHECKSUM' | 'INSZ_DATE' | 'INSZ_BIRTH_IN_FUTURE';
      /** English, never contains the number itself (safe to log). */
      readonly detail: string;
    };

const fail = (code: Exclude<InszCheck, { ok: true }>['code'], detail: string): InszCheck => ({ ok: false, code, detail });

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-12) of the proleptic Gregorian calendar. Arithmetic, not `Date`: rules call it per transaction. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return DAYS[month] ?? new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The number written by the ASCII digits `s[from..to)` (the caller has checked they are digits). */
function digitsValue(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

/** Whether `s` is exactly 11 ASCII digits (no regular expression: checked for every patient of a batch). */
function elevenDigits(s: string): boolean {
  if (s.length !== 11) return false;
  for (let i = 0; i < 11; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Checks an INSZ/SSIN.
 * @param value - the number exactly as submitted (11 digits, no separators)
 * @param today - YYYY-MM-DD (registry clock, Europe/Brussels) to refuse birth dates in the future
 * @example checkInsz('85071412330', '2026-01-01') // { ok: true, kind: 'register', birthdate: '1985-07-14', sex: 'male', … }
 */
export function checkInsz(value: string, today: string): InszCheck {
  if (!elevenDigits(value)) return fail('INSZ_FORMAT', 'not 11 digits');
  const n = digitsValue(value, 0, 9);
  const cc = digitsValue(value, 9, 11);
  // 2000000000 mod 97 = 68, so at most one of the two rules can hold.
  const century = 97 - (n % 97) === cc ? 1900 : 97 - ((2_000_000_000 + n) % 97) === cc ? 2000 : undefined;
  if (century === undefined) return fail('INSZ_CHECKSUM', 'check digits match neither the 19xx nor the 20xx rule');

  const yy = digitsValue(value, 0, 2);
  const mm = digitsValue(value, 2, 4);
  const dd = digitsValue(value, 4, 6);
  const seq = digitsValue(value, 6, 9);
  if (mm > 52 || mm % 20 > 12) return fail('INSZ_DATE', `month part ${pad(mm)} is not a month, month + 20 or month + 40`);

  const kind = mm >= 20 ? 'bis' : 'register';
  const month = mm % 20;
  const year = century + yy;
  if (kind === 'register') {
    if (seq === 0 || seq === 999) return fail('INSZ_DATE', `sequence ${pad(seq, 3)} is never assigned`);
    if (month === 0 || dd === 0) return fail('INSZ_DATE', 'day or month 00 is only allowed in BIS numbers');
  }
  if (month !== 0 && dd > daysInMonth(year, month)) return fail('INSZ_DATE', `day ${pad(dd)} does not exist in ${year}-${pad(month)}`);
  if (month === 0 && dd > 31) return fail('INSZ_DATE', `day ${pad(dd)} does not exist`);

  const known = month !== 0 && dd !== 0;
  const birthdate = known ? `${year}-${pad(month)}-${pad(dd)}` : undefined;
  // Compare at the precision we know: a partial date is in the future only when its whole period is.
  const bound = birthdate ?? (month !== 0 ? `${year}-${pad(month)}` : String(year));
  if (bound > today.slice(0, bound.length)) return fail('INSZ_BIRTH_IN_FUTURE', `birth date ${bound} is after ${today}`);

  const sex = kind === 'bis' && mm < 40 ? undefined : seq % 2 === 1 ? 'male' : 'female';
  const ok: { ok: true; kind: typeof kind; birthYear: number; birthMonth?: number; birthdate?: string; sex?: 'male' | 'female' } = {
    ok: true,
    kind,
    birthYear: year,
  };
  if (month !== 0) ok.birthMonth = month;
  if (birthdate !== undefined) ok.birthdate = birthdate;
  if (sex !== undefined) ok.sex = sex;
  return ok;
}
