import { checkInsz } from '../identifiers/insz-check.js';
import { locate, type KmehrMessage } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import { calendarDate } from './kmehr-date.js';
import type { RuleContext } from './rule-context.js';

/**
 * Rule 4, the message part (sourced): the patient has an INSZ (`id[S=ID-PATIENT]`, or `id[S=INSS]`) and every such
 * id is a valid INSZ/BIS number (identity.md §4). Whether the person is known is the registry's check (INSZ_UNKNOWN).
 * `patient/birthdate/date`, when present, must be a real date (rule 9 relies on it).
 */
export function patientInszRule(message: KmehrMessage, f: number, ctx: RuleContext): Finding[] {
  const patient = message.folders[f]!.patient;
  const out: Finding[] = [];
  let found = false;
  // Locations are built only for a finding: this runs once per transaction of a batch.
  const ids = patient.ids;
  for (let j = 0; j < ids.length; j++) {
    const id = ids[j]!;
    const s = id.s === 'ID-PATIENT' ? id.s : id.s.toUpperCase();
    if (s !== 'ID-PATIENT' && s !== 'INSS') continue;
    found = true;
    const r = checkInsz(id.value.trim(), ctx.today);
    if (!r.ok) out.push(finding(r.code, { location: `${locate.patient(f)}/id[${j + 1}]`, value: id.value, params: { detail: r.detail } }));
  }
  if (!found) out.push(finding('KMEHR_FIELD_MISSING', { location: locate.patient(f), params: { field: 'id[@S="ID-PATIENT"]' } }));
  if (patient.birthdate !== undefined && calendarDate(patient.birthdate) === undefined) {
    out.push(finding('DATE_INVALID', { location: `${locate.patient(f)}/birthdate/date`, value: patient.birthdate }));
  }
  return out;
}
