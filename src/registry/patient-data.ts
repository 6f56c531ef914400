import { locate, type Patient } from '../kmehr/model.js';
import { finding, type Finding } from '../status/finding.js';
import type { Person } from './person.js';

/** What the person register says about a patient, as far as a message can contradict it. */
export type RegisteredPatient = Pick<Person, 'firstname' | 'familyname' | 'birthdate' | 'sex'>;

/** The message's patient data that can contradict the register: plain strings (crosses to the batch planner thread). */
export interface SubmittedPatientData {
  readonly sex?: string;
  readonly birthdate?: string;
  readonly familyname?: string;
  readonly firstnames?: readonly string[];
}

/** The fields of a parsed KMEHR patient that {@link patientDataFindings} compares. */
export function submittedPatientData(patient: Patient): SubmittedPatientData {
  const out: { -readonly [K in keyof SubmittedPatientData]: SubmittedPatientData[K] } = {};
  if (patient.sex?.value) out.sex = patient.sex.value;
  if (patient.birthdate !== undefined) out.birthdate = patient.birthdate;
  if (patient.familyname !== undefined) out.familyname = patient.familyname;
  if (patient.firstnames.length > 0) out.firstnames = patient.firstnames;
  return out;
}

/** Names compared without case, accents, punctuation or spacing: `De Smet` = `DE SMET` = `Desmet`, `Zoë` = `Zoe`. */
function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * PATIENT_DATA_MISMATCH warnings (issue 11.9), one per field of the message's patient that contradicts the person
 * register: sex (only male/female against male/female), birth date, family name, first name (any of the message's
 * first names matching the register's first name, or its first word, is agreement). A field absent on either side
 * is no contradiction, and so is a name without letters or digits (a placeholder such as `-`).
 *
 * our choice: a warning, not a refusal — the INSZ (checked, registered) identifies the person, and refusing would
 * lose a real dose over a typo; the warning names the field and echoes only what the sender sent (bounded), never the
 * register's value (which would let a caller read the register by guessing).
 * @param submitted - the patient data of folder `f` as sent
 * @param person - the register's entry for the folder's INSZ
 * @param f - the folder's index, for the locations
 */
export function patientDataFindings(submitted: SubmittedPatientData, person: RegisteredPatient, f: number): Finding[] {
  const out: Finding[] = [];
  const at = locate.patient(f);
  const mismatch = (field: string, path: string, value: string): void => {
    out.push(finding('PATIENT_DATA_MISMATCH', { location: `${at}/${path}`, value, params: { field } }));
  };
  const sex = submitted.sex?.toLowerCase();
  if ((sex === 'male' || sex === 'female') && (person.sex === 'male' || person.sex === 'female') && sex !== person.sex)
    mismatch('sex', 'sex/cd', submitted.sex!);
  if (submitted.birthdate !== undefined && person.birthdate !== undefined && submitted.birthdate !== person.birthdate) {
    mismatch('birthdate', 'birthdate/date', submitted.birthdate);
  }
  const family = submitted.familyname === undefined ? '' : nameKey(submitted.familyname);
  if (family !== '' && nameKey(person.familyname) !== '' && family !== nameKey(person.familyname)) {
    mismatch('familyname', 'familyname', submitted.familyname!);
  }
  // A placeholder without letters (`-`, what the CLI sends without --firstname) is no name, so no contradiction.
  const firstnames = (submitted.firstnames ?? []).filter((n) => nameKey(n) !== '');
  if (firstnames.length > 0 && nameKey(person.firstname) !== '') {
    const registered = new Set([nameKey(person.firstname), nameKey(person.firstname.split(/[\s-]+/)[0] ?? '')]);
    if (!firstnames.some((n) => registered.has(nameKey(n)) || registered.has(nameKey(n.split(/[\s-]+/)[0] ?? '')))) {
      mismatch('firstname', 'firstname', firstnames.join(' '));
    }
  }
  return out;
}
