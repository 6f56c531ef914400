import { finding, type Finding } from '../../status/finding.js';
import type { NewVaccination } from '../vaccination.js';

/** What the probable-duplicate rule compares of a dose, offered or stored. */
export interface DoseKeyFields {
  readonly patientInsz: string;
  readonly group: string;
  readonly administeredOn: string;
  readonly registrantKey: string;
  readonly senderKey: string;
}

/** What the rule compares of a dose the registry is about to store. */
export function doseKeyOf(v: NewVaccination): DoseKeyFields {
  return { patientInsz: v.patientInsz, group: v.product.group, administeredOn: v.administeredOn, registrantKey: v.registrantKey, senderKey: v.senderKey };
}

/** A stored active dose as a candidate: its id, and the registration time that orders candidates. */
export interface StoredDoseKey extends DoseKeyFields {
  readonly id: string;
  readonly registeredAt: string;
}

/**
 * Rule 14, warning half — THE definition: a dose's probable duplicate is the earliest registered (then lowest id)
 * ACTIVE vaccination of the same patient, vaccine group and administration date that is not the dose itself (not
 * the same registrant with the same sender key). `store/same-dose-sql.ts` is the SQL form of exactly this predicate
 * and order (the single-call store runs it inside its write transaction); `same-dose-sql.test.ts` checks that the two
 * agree on both engines. The batch path applies this function to the candidates one bulk query returns.
 * @param candidates - active doses of the same patient (any group or date: the function filters)
 */
export function probableDuplicateOf(dose: DoseKeyFields, candidates: readonly StoredDoseKey[]): StoredDoseKey | undefined {
  let best: StoredDoseKey | undefined;
  for (const c of candidates) {
    if (c.patientInsz !== dose.patientInsz || c.group !== dose.group || c.administeredOn !== dose.administeredOn) continue;
    if (c.registrantKey === dose.registrantKey && c.senderKey === dose.senderKey) continue;
    if (!best || c.registeredAt < best.registeredAt || (c.registeredAt === best.registeredAt && c.id < best.id)) best = c;
  }
  return best;
}

/** The PROBABLE_DUPLICATE warning: the earlier dose's id and, in words, what made it one. */
export function probableDuplicateFinding(
  dose: Pick<DoseKeyFields, 'group' | 'administeredOn' | 'registrantKey'>,
  match: { readonly id: string; readonly registrantKey: string },
  location?: string,
): Finding {
  const reasons = [
    'same patient',
    `same vaccine group ${dose.group}`,
    `same administration date ${dose.administeredOn}`,
    match.registrantKey === dose.registrantKey ? 'same registrant, other sender ids' : `other registrant ${match.registrantKey}`,
  ];
  return finding('PROBABLE_DUPLICATE', {
    ...(location !== undefined && { location }),
    value: match.id,
    params: { detail: reasons.join(', ') },
  });
}
