import type { Coding, Extension, Identifier, Immunization, Reference } from '@medplum/fhirtypes';
import type { Vaccination } from '../registry/vaccination.js';
import { BE_VACCINATION_PROFILE, EXT, SENDER_ID_PREFIX, SNOMED_BE_EDITION, SYSTEM } from './fhir-systems.js';
import { vaccineCodeOf } from './vaccine-codes.js';

/**
 * A stored vaccination as a BeVaccination Immunization (fhir-bevaccination.md §2–§5, §10). Pure: everything comes
 * from the stored row. What goes where:
 * - VaccinationId → `id` and `identifier[0]` (Vaccinnet record-id system); the sender's LOCAL id → `identifier[1]`;
 * - registrant → `extension[recorder]` (1..1); responsible doctor → `performer[0].actor`, both logical references;
 * - CNK, ATC, Vaccinnet code, lot → `extension[administeredProduct]` (coded + lotNumber; never `lotNumber`);
 * - the product's group / indication set → `vaccineCode` (SNOMED, §6.1), the indications as extra codings (ours);
 * - administration date → `occurrenceDateTime`, registration time → `recorded`, quantity → `doseQuantity.value`.
 * A removed vaccination is `entered-in-error` (reads through getHistory never return one today).
 */
export function toImmunization(v: Vaccination): Immunization {
  const extension: Extension[] = [{ url: EXT.recorder, valueReference: recorderOf(v.registrantKey) }];
  const product = administeredProduct(v);
  if (product) extension.push(product);
  const code = vaccineCodeOf(v.product);
  const coding: Coding[] = [
    { system: SYSTEM.snomed, version: SNOMED_BE_EDITION, code: code.code, ...(code.display && { display: code.display }) },
    ...v.product.indications.map((i): Coding => ({ system: SYSTEM.vaccineIndication, code: i })),
  ];
  const identifier: Identifier[] = [{ system: SYSTEM.vaccinnetRecord, value: v.id }];
  const sl = senderLocalSl(v);
  if (sl !== undefined && v.senderLocalId !== undefined) identifier.push({ system: `${SENDER_ID_PREFIX}${sl}`, value: v.senderLocalId });
  return {
    resourceType: 'Immunization',
    id: v.id,
    meta: { profile: [BE_VACCINATION_PROFILE] },
    extension,
    identifier,
    status: v.status === 'removed' ? 'entered-in-error' : 'completed',
    vaccineCode: { coding, ...(code.text !== undefined && { text: code.text }) },
    patient: { type: 'Patient', identifier: { system: SYSTEM.ssin, value: v.patientInsz } },
    occurrenceDateTime: v.administeredOn,
    recorded: v.registeredAt,
    ...(v.responsibleNihii !== undefined && {
      performer: [{ actor: { type: 'Practitioner', identifier: { system: SYSTEM.nihdi, value: v.responsibleNihii } } }],
    }),
    ...(v.quantity !== undefined && Number.isFinite(Number(v.quantity)) && { doseQuantity: { value: Number(v.quantity) } }),
  };
}

/**
 * The SL of the sender's LOCAL id: the idempotency key is `local:<SL>:<value>` (new-vaccination.ts senderKey), so
 * the SL is what lies between the prefix and the stored value.
 */
function senderLocalSl(v: Vaccination): string | undefined {
  if (v.senderLocalId === undefined || !v.senderKey.startsWith('local:')) return undefined;
  const end = v.senderKey.length - v.senderLocalId.length - 1;
  return end >= 6 ? v.senderKey.slice(6, end) : undefined;
}

/** `doctor:<NIHII>` → Practitioner by NIHDI; `org:<TYPE>:<id>` → Organization by NIHDI (NIHII-*), CBE or ours. */
export function recorderOf(registrantKey: string): Reference {
  if (registrantKey.startsWith('doctor:')) return { type: 'Practitioner', identifier: { system: SYSTEM.nihdi, value: registrantKey.slice(7) } };
  const [, type = '', id = ''] = /^org:([^:]*):(.*)$/.exec(registrantKey) ?? [];
  const system = type.startsWith('NIHII') ? SYSTEM.nihdiOrganization : type === 'CBE' ? SYSTEM.cbe : `urn:vaccinnet:organisation-id:${type}`;
  return { type: 'Organization', identifier: { system, value: id } };
}

/**
 * Invariant be-rule-vaccination-2: `coded` only with a CNK or ATC coding; a Vaccinnet code rides along next to one
 * (a Vaccinnet code alone — a product the reference table does not know — is left out: our choice).
 */
function administeredProduct(v: Vaccination): Extension | undefined {
  const p = v.product;
  const coding: Coding[] = [];
  if (p.cnk) coding.push({ system: SYSTEM.cnk, code: p.cnk, ...(p.name && { display: p.name }) });
  if (p.atc) coding.push({ system: SYSTEM.atc, code: p.atc });
  if (p.vaccinnetCode && coding.length > 0) coding.push({ system: SYSTEM.vaccinnetCode, code: p.vaccinnetCode });
  const parts: Extension[] = [];
  if (coding.length > 0) parts.push({ url: 'coded', valueCodeableConcept: { coding } });
  if (v.lot !== undefined && v.lot !== '') parts.push({ url: 'lotNumber', valueString: v.lot });
  return parts.length > 0 ? { url: EXT.administeredProduct, extension: parts } : undefined;
}
