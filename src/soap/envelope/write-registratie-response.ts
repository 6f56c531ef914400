import { checkInsz } from '../../kmehr/identifiers/insz-check.js';
import type { Language } from '../../status/catalogue.js';
import { maskEchoedInsz } from '../../status/echo.js';
import type { Finding } from '../../status/finding.js';
import { V21_MESSAGE_NS, V21_NS } from '../../contracts/namespaces.js';
import type { RegistratieOperation } from '../../contracts/operations.js';
import { soapEnvelope } from '../../contracts/soap-envelope-writer.js';
import { callStatus, type StatusValue } from '../../status/message-status.js';
import type { AddVaccinationsReply, GetVaccinationsReply, RemoveVaccinationReply } from '../../contracts/registratie-replies.js';
import { escapeAttribute, escapeText } from '../../kmehr/xml-escape.js';

const OPEN = (op: RegistratieOperation): string => `<v21:${op}Response xmlns:v21="${V21_NS}" xmlns:m="${V21_MESSAGE_NS}">`;
const CLOSE = (op: RegistratieOperation): string => `</v21:${op}Response>`;

function leaf(name: string, value: string): string {
  return `<m:${name}>${escapeText(value)}</m:${name}>`;
}

function status(name: string, s: StatusValue): string {
  return `<m:${name}>${leaf('Code', s.code)}${leaf('Message', s.message)}</m:${name}>`;
}

function optional(name: string, value: string | undefined): string {
  return value === undefined ? '' : leaf(name, value);
}

/**
 * The request's PatientId as echoed in the response (issue 11.5): a well-formed INSZ as sent (the caller matches on
 * it), anything else masked like every INSZ in a refusal, so a wrong or huge one is neither repeated nor amplified.
 */
function patientIdEcho(value: string | undefined): string | undefined {
  return value === undefined || checkInsz(value, '9999-12-31').ok ? value : maskEchoedInsz(value);
}

/** The SOAP envelope answering AddVaccinations: Status, PatientId?, Results 0..5. */
export function writeAddVaccinationsResponse(reply: AddVaccinationsReply): string {
  let s = OPEN('AddVaccinations') + status('Status', reply.status) + optional('PatientId', patientIdEcho(reply.patientId));
  for (const r of reply.results ?? []) {
    s += `<m:Results>${leaf('KmehrId', r.kmehrId)}`;
    if (r.status !== undefined) s += status('Status', r.status);
    if (r.vaccinationId !== undefined) {
      s += `<m:VaccinationId Source="${escapeAttribute(r.vaccinationId.source)}">${escapeText(r.vaccinationId.value)}</m:VaccinationId>`;
    }
    if (r.stocked !== undefined) s += leaf('Stocked', String(Math.trunc(r.stocked)));
    s += '</m:Results>';
  }
  return soapEnvelope(s + CLOSE('AddVaccinations'));
}

/** The SOAP envelope answering RemoveVaccination: Status, PatientId?, VaccinationId?. */
export function writeRemoveVaccinationResponse(reply: RemoveVaccinationReply): string {
  return soapEnvelope(
    OPEN('RemoveVaccination') +
      status('Status', reply.status) +
      optional('PatientId', patientIdEcho(reply.patientId)) +
      optional('VaccinationId', reply.vaccinationId) +
      CLOSE('RemoveVaccination'),
  );
}

/** The SOAP envelope answering GetVaccinations: Status, PatientId?, Base64EncodedKmehr?. */
export function writeGetVaccinationsResponse(reply: GetVaccinationsReply): string {
  const kmehr =
    reply.kmehr === undefined
      ? ''
      : `<m:Base64EncodedKmehr>${(typeof reply.kmehr === 'string' ? Buffer.from(reply.kmehr, 'utf8') : reply.kmehr).toString('base64')}</m:Base64EncodedKmehr>`;
  return soapEnvelope(
    OPEN('GetVaccinations') + status('Status', reply.status) + optional('PatientId', patientIdEcho(reply.patientId)) + kmehr + CLOSE('GetVaccinations'),
  );
}

/**
 * A call-level refusal of any RegistratieService operation: the operation's response with only `Status`
 * (code and localised message of the finding). Used for call-level codes (profile, softwareID, too many messages, …).
 *
 * @param operation - which response element to answer with
 * @param f - the refusal
 * @param language - language of the Message text
 */
export function writeRegistratieRefusal(operation: RegistratieOperation, f: Finding, language: Language = 'en'): string {
  const s = callStatus([f], [], language);
  switch (operation) {
    case 'AddVaccinations':
      return writeAddVaccinationsResponse({ status: s });
    case 'RemoveVaccination':
      return writeRemoveVaccinationResponse({ status: s });
    case 'GetVaccinations':
      return writeGetVaccinationsResponse({ status: s });
  }
}
