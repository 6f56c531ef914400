/** Result of a KBO/CBE or softwareID check; `detail` is English and safe to log. */
export type SimpleCheck = { readonly ok: true } | { readonly ok: false; readonly detail: string };

/**
 * KBO/CBE enterprise number check (identity.md §4): 10 digits, first digit 0 or 1,
 * last two digits = `97 − (first eight mod 97)`.
 * @param value - digits only (no dots, no "BE" prefix), as certificate subjects carry it
 * @example checkCbe('0314595348') // { ok: true }
 */
export function checkCbe(value: string): SimpleCheck {
  if (!/^\d{10}$/.test(value)) return { ok: false, detail: 'not 10 digits' };
  if (value[0] !== '0' && value[0] !== '1') return { ok: false, detail: 'first digit must be 0 or 1' };
  const check = 97 - (Number(value.slice(0, 8)) % 97);
  return check === Number(value.slice(8)) ? { ok: true } : { ok: false, detail: 'wrong check digits' };
}
