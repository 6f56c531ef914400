import { checkInsz } from '../identifiers/insz-check.js';
import { locate, type Patient } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import { calendarDate } from './kmehr-date.js';
import type { TransactionScope } from './rule-context.js';
import { vaccineItems } from './vaccine-items.js';

/**
 * Rule 9 (ours): each `vaccine` item's `beginmoment/date` is present, a real date, not after today (registry
 * clock, Europe/Brussels), not after the transaction date, and not before the patient's birth.
 * The birth date is `patient/birthdate/date` when that is a real date, otherwise what the INSZ encodes — at the
 * precision it has (a BIS number with an unknown day gives the month: a dose in that month is accepted).
 * An invalid transaction date is reported here too (DATE_INVALID), since the comparison needs it.
 */
export function administrationDateRule(s: TransactionScope): Finding[] {
  const out: Finding[] = [];
  const txDate = s.transaction.date === undefined ? undefined : calendarDate(s.transaction.date);
  if (s.transaction.date !== undefined && txDate === undefined) {
    out.push(finding('DATE_INVALID', { location: `${locate.transaction(s.f, s.t)}/date`, value: s.transaction.date }));
  }
  const vaccine = vaccineItems(s.transaction);
  // Computed once, only when an item has a date to compare; locations only for a finding (once per batch transaction).
  let birth: string | undefined | null = null;
  for (let k = 0; k < vaccine.length; k++) {
    const { item, i } = vaccine[k]!;
    const raw = item.beginmoment?.date;
    if (raw === undefined || raw.trim() === '') {
      const base = locate.item(s.f, s.t, i);
      out.push(finding('KMEHR_FIELD_MISSING', { location: item.beginmoment ? `${base}/beginmoment` : base, params: { field: 'beginmoment/date' } }));
      continue;
    }
    const date = calendarDate(raw);
    if (date === undefined) {
      out.push(finding('DATE_INVALID', { location: beginDateAt(s, i), value: raw }));
      continue;
    }
    if (date > s.ctx.today) out.push(finding('DATE_IN_FUTURE', { location: beginDateAt(s, i), value: raw }));
    if (txDate !== undefined && date > txDate)
      out.push(finding('DATE_AFTER_TRANSACTION', { location: beginDateAt(s, i), value: raw, params: { date: txDate } }));
    if (birth === null) birth = birthBound(s.folder.patient, s.ctx.today);
    if (birth !== undefined && date.slice(0, birth.length) < birth) {
      out.push(finding('DATE_BEFORE_BIRTH', { location: beginDateAt(s, i), value: raw, params: { date: birth } }));
    }
  }
  return out;
}

/** The XPath of an item's begin date, built only when a finding needs it. */
function beginDateAt(s: TransactionScope, i: number): string {
  return `${locate.item(s.f, s.t, i)}/beginmoment/date`;
}

/** The patient's birth date (YYYY-MM-DD, or YYYY-MM / YYYY when the INSZ only tells that much). */
export function birthBound(patient: Patient, today: string): string | undefined {
  const fromElement = calendarDate(patient.birthdate);
  if (fromElement !== undefined) return fromElement;
  for (const id of patient.ids) {
    const s = id.s === 'ID-PATIENT' ? id.s : id.s.toUpperCase();
    if (s !== 'ID-PATIENT' && s !== 'INSS') continue;
    const r = checkInsz(id.value.trim(), today);
    if (r.ok) return r.birthdate ?? (r.birthMonth !== undefined ? `${r.birthYear}-${String(r.birthMonth).padStart(2, '0')}` : String(r.birthYear));
  }
  return undefined;
}
