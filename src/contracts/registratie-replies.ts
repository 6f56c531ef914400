import type { StatusValue } from '../status/message-status.js';

// The answers of RegistratieService (wire-contracts.md §1): written by the server (soap/envelope/
// write-registratie-response.ts) and read back into the same shapes by the client (client/registratie-responses.ts).

/** One `Results` entry of AddVaccinationsResponse, in submitted order (wire-contracts.md §1). */
export interface AddVaccinationResult {
  /** The submitted message's `header/id[@S='ID-KMEHR']`. */
  readonly kmehrId: string;
  readonly status?: StatusValue;
  /** The registry's id of the stored vaccination (key for RemoveVaccination), with its required `Source`. */
  readonly vaccinationId?: { readonly value: string; readonly source: string };
  readonly stocked?: number;
}

export interface AddVaccinationsReply {
  readonly status: StatusValue;
  readonly patientId?: string;
  /** 0..5 */
  readonly results?: readonly AddVaccinationResult[];
}

export interface RemoveVaccinationReply {
  readonly status: StatusValue;
  readonly patientId?: string;
  readonly vaccinationId?: string;
}

export interface GetVaccinationsReply {
  readonly status: StatusValue;
  readonly patientId?: string;
  /** One KMEHR message with the patient's vaccinations (bytes or text), sent base64-encoded. */
  readonly kmehr?: Buffer | string;
}
