import { REGISTRATIE_MESSAGE_NS, REGISTRATIE_NS, SOAP_ENV_NS } from './namespaces.js';
import { escapeXml } from './xml-escape.js';

/** Fields every RegistratieService request carries (RequestType). */
export interface RequestBase {
  readonly softwareId: string;
  /** Vaccinnet user id of the caller; one real client fills it with the doctor's NIHII (meaning not public). */
  readonly vaccinnetId?: string;
}

export interface AddVaccinationsInput extends RequestBase {
  readonly patientId: string;
  readonly messages: readonly { readonly kmehr: string | Buffer; readonly disableStockChange?: boolean }[];
}

export interface RemoveVaccinationInput extends RequestBase {
  readonly patientId: string;
  readonly vaccinationId: string;
}

export interface GetVaccinationsInput extends RequestBase {
  readonly patientId: string;
  /** YYYY-MM-DD */
  readonly vaccinationDateSince?: string;
}

function envelope(body: string): string {
  return `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV_NS}"><soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

function base(input: RequestBase): string {
  return `<m:SoftwareId>${escapeXml(input.softwareId)}</m:SoftwareId>${
    input.vaccinnetId !== undefined ? `<m:VaccinnetId>${escapeXml(input.vaccinnetId)}</m:VaccinnetId>` : ''
  }`;
}

const open = (name: string): string => `<v:${name} xmlns:v="${REGISTRATIE_NS}" xmlns:m="${REGISTRATIE_MESSAGE_NS}">`;

export function addVaccinationsEnvelope(input: AddVaccinationsInput): string {
  const messages = input.messages
    .map((m) => {
      const attr = m.disableStockChange === undefined ? '' : ` DisableStockChange="${m.disableStockChange}"`;
      const b64 = (typeof m.kmehr === 'string' ? Buffer.from(m.kmehr, 'utf8') : m.kmehr).toString('base64');
      return `<m:Base64EncodedKmehrmessage${attr}>${b64}</m:Base64EncodedKmehrmessage>`;
    })
    .join('');
  return envelope(`${open('AddVaccinationsRequest')}${base(input)}<m:PatientId>${escapeXml(input.patientId)}</m:PatientId>${messages}</v:AddVaccinationsRequest>`);
}

export function removeVaccinationEnvelope(input: RemoveVaccinationInput): string {
  return envelope(
    `${open('RemoveVaccinationRequest')}${base(input)}<m:PatientId>${escapeXml(input.patientId)}</m:PatientId><m:VaccinationId>${escapeXml(input.vaccinationId)}</m:VaccinationId></v:RemoveVaccinationRequest>`,
  );
}

export function getVaccinationsEnvelope(input: GetVaccinationsInput): string {
  const since = input.vaccinationDateSince ? `<m:vaccinationDateSince>${escapeXml(input.vaccinationDateSince)}</m:vaccinationDateSince>` : '';
  return envelope(`${open('GetVaccinationsRequest')}${base(input)}<m:PatientId>${escapeXml(input.patientId)}</m:PatientId>${since}</v:GetVaccinationsRequest>`);
}
