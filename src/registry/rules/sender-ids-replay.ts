import { locate } from '../../kmehr/model.js';
import { finding, type Finding } from '../../status/finding.js';
import { sameContent, type DigestedDose } from '../content-digest.js';
import { describeSenderIds } from '../sender-ids.js';
import type { NewVaccination } from '../vaccination.js';

type OfferedDose = DigestedDose & Pick<NewVaccination, 'senderKey' | 'senderMessageId' | 'senderLocalId' | 'contentDigest'>;
type StoredDose = DigestedDose & { readonly id: string; readonly contentDigest?: string };

/**
 * Rule 14, idempotent half, once the store found a dose already stored under the offered dose's sender ids
 * (same patient, registrant and sender key): the same content is a replay (DUPLICATE_REPLAY, answering the original
 * VaccinationId, nothing written); other content is refused with SENDER_IDS_REUSED (issue 11.1, our choice: never
 * answered as the earlier dose, never overwritten).
 */
export function senderIdsVerdict(
  offered: OfferedDose,
  stored: StoredDose,
  f: number,
  t: number,
): { readonly replay: true; readonly finding: Finding } | { readonly replay: false; readonly finding: Finding } {
  if (sameContent(offered, stored)) {
    return { replay: true, finding: finding('DUPLICATE_REPLAY', { location: locate.transaction(f, t), value: stored.id }) };
  }
  return { replay: false, finding: idsReused(offered, stored, f, t) };
}

/** SENDER_IDS_REUSED: the ids (bounded) and the vaccination they already name. */
function idsReused(
  offered: Pick<NewVaccination, 'senderKey' | 'senderMessageId' | 'senderLocalId'>,
  stored: { readonly id: string },
  f: number,
  t: number,
): Finding {
  // The description goes in `detail` (echoed up to 256 characters): each id in it is already cut at 64.
  const ids = describeSenderIds(offered, f, t);
  return finding('SENDER_IDS_REUSED', { location: locate.transaction(f, t), value: ids, params: { vaccination: stored.id, detail: ids } });
}
