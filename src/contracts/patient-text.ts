import type { Patient } from '../kmehr/model.js';

const MAX_CHARS = 200;

/**
 * `patientTekst` of a folder result: the patient's name **as the organisation submitted it** in the folder
 * (first names, then family name). *Our choice* (wire-contracts §2 only says "string 0..1"): it lets the sender's
 * staff recognise the person next to the INSZ in `patient`. Never the name in the person register — for a mistyped
 * INSZ that would tell the organisation the name of somebody else — and nothing the sender did not send.
 * Undefined when the folder names nobody.
 */
export function patientText(patient: Pick<Patient, 'firstnames' | 'familyname'>): string | undefined {
  const text = [...patient.firstnames, patient.familyname ?? ''].join(' ').replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text.slice(0, MAX_CHARS);
}
