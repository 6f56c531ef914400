import type { Finding } from '../status/finding.js';
import type { RegistratieOperation } from './operations.js';

/** Fields of `RequestType`, the base of every RegistratieService request (wire-contracts.md §1). */
export interface RequestBase {
  readonly softwareId: string;
  /** Vaccinnet user id of the caller; one real client fills it with the doctor's NIHII (meaning not public). */
  readonly vaccinnetId?: string;
  /** The patient's INSZ/SSIN as sent (not yet checked: the rules do that). */
  readonly patientId: string;
}

/** One `Base64EncodedKmehrmessage`, decoded. */
export interface SubmittedKmehr {
  readonly kmehr: Buffer;
  /** `DisableStockChange` attribute; absent when not sent. */
  readonly disableStockChange?: boolean;
}

export interface AddVaccinationsRequest extends RequestBase {
  readonly operation: 'AddVaccinations';
  /** 1..5, in submitted order. */
  readonly messages: readonly SubmittedKmehr[];
}

export interface RemoveVaccinationRequest extends RequestBase {
  readonly operation: 'RemoveVaccination';
  readonly vaccinationId: string;
}

export interface GetVaccinationsRequest extends RequestBase {
  readonly operation: 'GetVaccinations';
  /** `YYYY-MM-DD` (a time-zone suffix on the xs:date is dropped). */
  readonly vaccinationDateSince?: string;
}

export type RegistratieRequest = AddVaccinationsRequest | RemoveVaccinationRequest | GetVaccinationsRequest;

/**
 * Result of reading a RegistratieService request. On failure `operation` names the operation when the body
 * element was recognised, so a call-level refusal (e.g. SOAP_TOO_MANY_MESSAGES) can be answered with that
 * operation's response element instead of a fault.
 */
export type RegistratieReadResult =
  { readonly ok: true; readonly request: RegistratieRequest } | { readonly ok: false; readonly finding: Finding; readonly operation?: RegistratieOperation };
