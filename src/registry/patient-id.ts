import { checkInsz } from '../kmehr/identifiers/insz-check.js';
import { finding, type Finding } from '../status/finding.js';
import type { Person } from './person.js';
import type { RegistryPorts } from './registry-ports.js';
import { localDate } from './system-clock.js';

/** Where a RegistratieService request carries the patient (the SOAP element, as findings name it). */
export const PATIENT_ID_LOCATION = 'PatientId';

export type PatientIdCheck = { readonly ok: true; readonly insz: string; readonly person?: Person } | { readonly ok: false; readonly finding: Finding };

/**
 * A `PatientId` outside a KMEHR message (GetVaccinations, RemoveVaccination, `vaccinnet history`), checked as the
 * write path checks the patient in a message (issue 11.2): format, check digits, possible birth date (rule 4, the
 * same INSZ_* codes as `patientInszRule`), then the person register in `register` mode (INSZ_UNKNOWN, as
 * `registerVaccinations`). An empty value, `%` or `0' OR '1'='1` is INSZ_FORMAT: never a read of nothing.
 * @param value - the PatientId exactly as sent
 * @param location - where it was sent (default `PatientId`)
 * @param ports - the person register, the settings (person check, time zone) and the clock
 */
export async function checkPatientId(
  value: string,
  ports: Pick<RegistryPorts, 'persons' | 'settings' | 'clock'>,
  location = PATIENT_ID_LOCATION,
): Promise<PatientIdCheck> {
  const check = checkInsz(value, localDate(ports.clock.now(), ports.settings.timeZone));
  if (!check.ok) return { ok: false, finding: finding(check.code, { location, value, params: { detail: check.detail } }) };
  const person = await ports.persons.findPerson(value);
  if (!person && ports.settings.personCheck === 'register') return { ok: false, finding: finding('INSZ_UNKNOWN', { location, value }) };
  return person ? { ok: true, insz: value, person } : { ok: true, insz: value };
}

/**
 * The patient key an audit row may carry (issue 11.2): the value when it is a well-formed INSZ with valid check
 * digits, else '' — our choice: a row refused for its patient number is kept under the empty patient key (the
 * column is NOT NULL and part of the primary key), with the code saying why; the raw string is never stored.
 * @param value - a patient number as submitted (or undefined)
 */
export function auditPatientKey(value: string | undefined): string {
  if (value === undefined) return '';
  // No `today`: a number born "tomorrow" is still a number and may be a typo the person concerned asks about.
  return checkInsz(value, '9999-12-31').ok ? value : '';
}
