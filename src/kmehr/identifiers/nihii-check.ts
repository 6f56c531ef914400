/**
 * NIHII / RIZIV number check (identity.md §4).
 *
 * Persons: 11 digits = 6-digit base + 2 check digits + 3-digit competence code. Organisations: 8 digits.
 * Check digits are `97 − (base mod 97)`; some software also uses `89 − (base mod 89)` and when that applies is
 * undocumented, so both are accepted and `rule` says which one held (97 wins when both do).
 */
export type NihiiCheck =
  | { readonly ok: true; readonly kind: 'person' | 'organisation'; readonly competence?: string; readonly rule: 97 | 89 }
  | { readonly ok: false; readonly code: 'NIHII_FORMAT' | 'NIHII_CHECKSUM'; readonly detail: string };

/**
 * Checks a NIHII number of a person (11 digits) or an organisation (8 digits).
 * @param value - the number as submitted, digits only
 * @example checkNihii('14700250004') // { ok: true, kind: 'person', competence: '004', rule: 97 }
 */
export function checkNihii(value: string): NihiiCheck {
  if (!/^(\d{8}|\d{11})$/.test(value)) {
    return { ok: false, code: 'NIHII_FORMAT', detail: 'not 11 digits (person) or 8 digits (organisation)' };
  }
  const base = Number(value.slice(0, 6));
  const check = Number(value.slice(6, 8));
  const rule = 97 - (base % 97) === check ? 97 : 89 - (base % 89) === check ? 89 : undefined;
  if (rule === undefined) return { ok: false, code: 'NIHII_CHECKSUM', detail: 'check digits match neither the 97 nor the 89 rule' };
  return value.length === 11 ? { ok: true, kind: 'person', competence: value.slice(8), rule } : { ok: true, kind: 'organisation', rule };
}
