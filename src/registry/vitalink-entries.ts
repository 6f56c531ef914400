import { formatVitalinkUri } from '../kmehr/vitalink-uri.js';
import { writeVitalinkVaccination, type VitalinkRecipient, type VitalinkVaccination } from '../kmehr/vitalink-vaccination.js';
import type { CallerIdentity } from './caller-identity.js';
import type { Person } from './person.js';
import type { Vaccination } from './vaccination.js';

/**
 * The version in a vaccination's vitalinkuri. our choice: 1 for every stored dose today — the registry has no
 * update operation (a correction is RemoveVaccination + AddVaccinations, which makes a new dose with a new id and
 * version 1, and the removed one is no longer emitted). When an in-place correction is added, it stores a version
 * counter on the row, raised by one in the same transaction as each correction, and this returns it: the address of
 * the dose (`/subject/<SSIN>/vaccination/<id>`) stays, the version says which state a reader holds.
 */
export function vitalinkVersion(v: Vaccination): number {
  void v;
  return 1;
}

/** What of a stored dose the Vitalink-shaped message carries (the registry's own bookkeeping stays inside). */
export function vitalinkVaccinationOf(v: Vaccination): VitalinkVaccination {
  const p = v.product;
  return {
    address: { ssin: v.patientInsz, vaccinationId: v.id, version: vitalinkVersion(v) },
    registeredAt: v.registeredAt,
    ...(v.responsibleNihii !== undefined && { responsibleNihii: v.responsibleNihii }),
    product: {
      ...(p.cnk !== undefined && { cnk: p.cnk }),
      ...(p.name !== undefined && { name: p.name }),
      ...(p.vaccinnetCode !== undefined && { vaccinnetCode: p.vaccinnetCode }),
      ...(p.atc !== undefined && { atc: p.atc }),
      indications: p.indications,
    },
    administeredOn: v.administeredOn,
    ...(v.quantity !== undefined && { quantity: v.quantity }),
    ...(v.lot !== undefined && { lot: v.lot }),
  };
}

export interface VitalinkEntry {
  /** `/subject/<SSIN>/vaccination/<id>/<version>`. */
  readonly uri: string;
  /** One whole KMEHR message (XML text). */
  readonly kmehr: string;
}

export interface VitalinkEntriesInput {
  /** What `getHistory` returned: the person's active doses. */
  readonly vaccinations: readonly Vaccination[];
  readonly person?: Person;
  readonly caller: CallerIdentity;
  readonly softwareId: string;
  readonly now: Date;
  readonly timeZone: string;
  /** A unique KMEHR message id per message. */
  readonly messageId: (index: number) => string;
}

/** One Vitalink-shaped KMEHR message per active dose; removed doses are never emitted, whatever the caller passes. */
export function vitalinkEntries(input: VitalinkEntriesInput): VitalinkEntry[] {
  const recipient = recipientOf(input.caller, input.softwareId);
  const createdAt = input.now.toISOString();
  const person = input.person;
  const patient = person && {
    firstname: person.firstname,
    familyname: person.familyname,
    ...(person.birthdate !== undefined && { birthdate: person.birthdate }),
    ...(person.sex !== undefined && { sex: person.sex }),
  };
  return input.vaccinations
    .filter((v) => v.status === 'active')
    .map((v, i) => {
      const vaccination = vitalinkVaccinationOf(v);
      return {
        uri: formatVitalinkUri(vaccination.address),
        kmehr: writeVitalinkVaccination({
          vaccination,
          ...(patient && { patient }),
          recipient,
          messageId: input.messageId(i),
          createdAt,
          timeZone: input.timeZone,
        }),
      };
    });
}

function recipientOf(caller: CallerIdentity, softwareId: string): VitalinkRecipient {
  return caller.kind === 'person'
    ? { kind: 'person', ssin: caller.ssin, softwareId }
    : { kind: 'organisation', idType: caller.idType, id: caller.id, softwareId };
}
