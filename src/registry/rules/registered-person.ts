import { checkInsz } from '../../kmehr/identifiers/index.js';
import { locate } from '../../kmehr/model.js';
import { finding, type Finding } from '../../status/finding.js';
import { patientDataFindings, type RegisteredPatient, type SubmittedPatientData } from '../patient-data.js';
import type { PersonCheckMode } from '../person.js';

/** A transaction's patient, as the rules against the person register see it: the same on every channel. */
export interface PatientOfTransaction {
  readonly f: number;
  readonly t: number;
  /** The folder's `patient/id` as sent (checked for its form by the message rules, not here). */
  readonly insz: string;
  readonly submitted: SubmittedPatientData;
  /** Index of the transaction's vaccine item and its administration date, when it has one. */
  readonly vaccineItem?: { readonly i: number; readonly date: string | undefined };
}

/**
 * The rules that need the person register (identity.md §5), for one transaction: rule 4 (an INSZ unknown to the
 * register is refused in `register` mode), PATIENT_DATA_MISMATCH warnings (issue 11.9), and rule 9 against the
 * registered birth date (the message rules compared with the INSZ's own date and the message's `birthdate`: a
 * finding they already made at the same place is not repeated). Every channel calls this one function — the
 * single-call path per folder, the batch path per slice after one bulk look-up — so both give the same findings.
 * @param person - the register's entry for `patient.insz`, undefined when there is none
 * @param already - findings the transaction has so far (for the rule 9 de-duplication)
 */
export function registeredPersonFindings(
  patient: PatientOfTransaction,
  person: RegisteredPatient | undefined,
  personCheck: PersonCheckMode,
  already: readonly Finding[],
): Finding[] {
  if (!person && personCheck === 'register') {
    return [finding('INSZ_UNKNOWN', { location: `${locate.patient(patient.f)}/id`, value: patient.insz })];
  }
  const out = person ? patientDataFindings(patient.submitted, person, patient.f) : [];
  const item = patient.vaccineItem;
  const birthdate = person?.birthdate ?? inszBirthdate(patient.insz);
  const date = item?.date;
  if (item && date !== undefined && birthdate !== undefined && date < birthdate) {
    const location = `${locate.item(patient.f, patient.t, item.i)}/beginmoment/date`;
    if (!already.some((x) => x.code === 'DATE_BEFORE_BIRTH' && x.location === location)) {
      out.push(finding('DATE_BEFORE_BIRTH', { location, value: date, params: { date: birthdate } }));
    }
  }
  return out;
}

/** The birth date an INSZ encodes (used when the register has none). */
function inszBirthdate(insz: string): string | undefined {
  const check = checkInsz(insz, '9999-12-31');
  return check.ok ? check.birthdate : undefined;
}
