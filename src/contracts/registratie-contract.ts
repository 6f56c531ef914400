import type { RegistratieOperation } from './operations.js';
import type { ElementRule } from './element-rule.js';

/** The most KMEHR messages one AddVaccinations call carries (wire-contracts.md §1, kmehr-vaccination rule 6). */
export const MAX_MESSAGES_PER_CALL = 5;

const BASE: readonly ElementRule[] = [
  { name: 'SoftwareId', min: 1, max: 1 },
  { name: 'VaccinnetId', min: 0, max: 1 },
  { name: 'PatientId', min: 1, max: 1 },
];

/** Child sequence of each request element (RequestType extension), as in VaccinationService-2_1-message.xsd. */
export const REGISTRATIE_SEQUENCES: Readonly<Record<RegistratieOperation, readonly ElementRule[]>> = {
  AddVaccinations: [...BASE, { name: 'Base64EncodedKmehrmessage', min: 1, max: MAX_MESSAGES_PER_CALL, countPastMax: true }],
  RemoveVaccination: [...BASE, { name: 'VaccinationId', min: 1, max: 1 }],
  GetVaccinations: [...BASE, { name: 'vaccinationDateSince', min: 0, max: 1 }],
};
