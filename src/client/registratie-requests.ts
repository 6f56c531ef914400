import { SOAP11_NS, V21_MESSAGE_NS, V21_NS } from '../contracts/namespaces.js';
import type { GetVaccinationsRequest, RemoveVaccinationRequest, RequestBase } from '../contracts/registratie-request.js';
import { escapeText } from '../kmehr/xml-escape.js';

// The inputs are the contract's request shapes without the `operation` tag (the method names it); a KMEHR message
// may be given as text here, the server's shape holds the decoded bytes.
export interface AddVaccinationsInput extends RequestBase {
  readonly messages: readonly { readonly kmehr: string | Buffer; readonly disableStockChange?: boolean }[];
}

export type RemoveVaccinationInput = Omit<RemoveVaccinationRequest, 'operation'>;

export type GetVaccinationsInput = Omit<GetVaccinationsRequest, 'operation'>;

function envelope(body: string): string {
  return `<soapenv:Envelope xmlns:soapenv="${SOAP11_NS}"><soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

function base(input: Omit<RequestBase, 'patientId'>): string {
  return `<m:SoftwareId>${escapeText(input.softwareId)}</m:SoftwareId>${
    input.vaccinnetId !== undefined ? `<m:VaccinnetId>${escapeText(input.vaccinnetId)}</m:VaccinnetId>` : ''
  }`;
}

const open = (name: string): string => `<v:${name} xmlns:v="${V21_NS}" xmlns:m="${V21_MESSAGE_NS}">`;

export function addVaccinationsEnvelope(input: AddVaccinationsInput): string {
  const messages = input.messages
    .map((m) => {
      const attr = m.disableStockChange === undefined ? '' : ` DisableStockChange="${m.disableStockChange}"`;
      const b64 = (typeof m.kmehr === 'string' ? Buffer.from(m.kmehr, 'utf8') : m.kmehr).toString('base64');
      return `<m:Base64EncodedKmehrmessage${attr}>${b64}</m:Base64EncodedKmehrmessage>`;
    })
    .join('');
  return envelope(
    `${open('AddVaccinationsRequest')}${base(input)}<m:PatientId>${escapeText(input.patientId)}</m:PatientId>${messages}</v:AddVaccinationsRequest>`,
  );
}

export function removeVaccinationEnvelope(input: RemoveVaccinationInput): string {
  return envelope(
    `${open('RemoveVaccinationRequest')}${base(input)}<m:PatientId>${escapeText(input.patientId)}</m:PatientId><m:VaccinationId>${escapeText(input.vaccinationId)}</m:VaccinationId></v:RemoveVaccinationRequest>`,
  );
}

export function getVaccinationsEnvelope(input: GetVaccinationsInput): string {
  const since = input.vaccinationDateSince ? `<m:vaccinationDateSince>${escapeText(input.vaccinationDateSince)}</m:vaccinationDateSince>` : '';
  return envelope(
    `${open('GetVaccinationsRequest')}${base(input)}<m:PatientId>${escapeText(input.patientId)}</m:PatientId>${since}</v:GetVaccinationsRequest>`,
  );
}
