import { parseResultSlice } from '../../batch/result-entries.js';
import { fromStored } from '../../batch/stored-findings.js';
import type { Language } from '../../status/catalogue.js';
import { finding, localise, type Finding } from '../../status/finding.js';
import type { DeliveryRepository } from '../../store/delivery-repository.js';
import {
  transactionOutcome,
  writeFolderResult,
  writeResultResponseChunks,
  type FolderResult,
  type SubmittedId,
  type TransactionResult,
} from '../../contracts/write-batch-response.js';

/** The `SL` of the id naming the delivery in the closing folder of a partial result. */
export const DELIVERY_STATUS_SL = 'vaccinnet-delivery-status';

/** A delivery that failed after committing `committed` results: why it stopped. */
export interface PartialResult {
  readonly committed: number;
  readonly failure: Finding;
}

/**
 * The full ResultaatVerwerking answer of a processed delivery as XML pieces, one per folder, reading the results a
 * page at a time: a 100 000-vaccination result never sits in memory as one string (or one row set).
 *
 * A delivery that failed part-way (`partial`) answers the results it committed — their vaccinations are stored — and
 * then one closing `folderResult` that says so: id `LOCAL`/`vaccinnet-delivery-status` = the transactionId, an empty
 * `patient`, one transaction with `resultCode` BATCH_PARTIAL whose text names the count and the cause. *Our choice*:
 * the contract's answer is either folder results or a `foutCode`, never both, and hiding registered vaccinations
 * behind a `foutCode` would misreport them.
 */
export async function* resultAnswerChunks(repo: DeliveryRepository, deliveryId: string, language: Language, partial?: PartialResult): AsyncGenerator<string> {
  const [head, tail] = [...writeResultResponseChunks([])];
  yield head ?? '';
  let after = -1;
  let folder: { f: number; ids: readonly SubmittedId[]; patient: string; patientTekst?: string; transactions: TransactionResult[] } | undefined;
  // One stored slice (a few hundred results) per read: a bigger page lives across the writes and gets promoted.
  for (;;) {
    const slice = await repo.resultSliceAfter(deliveryId, after);
    if (!slice) break;
    let out = '';
    for (const [, f, , folderIds, patient, patientText, transactionIds, , findings] of parseResultSlice(slice.results)) {
      if (folder && folder.f !== f) {
        out += writeFolderResult(asFolder(folder));
        folder = undefined;
      }
      folder ??= { f, ids: folderIds, patient, ...(patientText !== null && { patientTekst: patientText }), transactions: [] };
      folder.transactions.push({ ids: transactionIds, ...transactionOutcome(fromStored(findings), language) });
    }
    after = Number(slice.first_ordinal);
    if (out) yield out;
  }
  if (folder) yield writeFolderResult(asFolder(folder));
  if (partial) yield writeFolderResult(partialFolder(deliveryId, partial, language));
  yield tail ?? '';
}

function partialFolder(deliveryId: string, partial: PartialResult, language: Language): FolderResult {
  const id: SubmittedId = { S: 'LOCAL', SL: DELIVERY_STATUS_SL, value: deliveryId };
  const cause = `${partial.failure.code}: ${localise(partial.failure, language)}`;
  const marker = finding('BATCH_PARTIAL', { value: String(partial.committed), params: { detail: cause } });
  return { ids: [id], patient: '', transactions: [{ ids: [id], resultCode: marker.code, resultTekst: localise(marker, language) }] };
}

function asFolder(f: { ids: readonly SubmittedId[]; patient: string; patientTekst?: string; transactions: TransactionResult[] }): FolderResult {
  return { ids: f.ids, patient: f.patient, ...(f.patientTekst !== undefined && { patientTekst: f.patientTekst }), transactions: f.transactions };
}
