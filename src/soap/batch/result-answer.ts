import { loadFindings } from '../../batch/stored-findings.js';
import type { Language } from '../../status/catalogue.js';
import { finding, localise, type Finding } from '../../status/finding.js';
import type { DeliveryRepository, ResultRow } from '../../store/delivery-repository.js';
import {
  transactionOutcome,
  writeFolderResult,
  writeResultResponseChunks,
  type FolderResult,
  type SubmittedId,
  type TransactionResult,
} from '../envelope/write-batch-response.js';

const PAGE = 250;

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
  for (;;) {
    const page: readonly ResultRow[] = await repo.resultPage(deliveryId, after, PAGE);
    if (page.length === 0) break;
    let out = '';
    for (const row of page) {
      const f = Number(row.folder_index);
      if (folder && folder.f !== f) {
        out += writeFolderResult(asFolder(folder));
        folder = undefined;
      }
      folder ??= { f, ids: JSON.parse(row.folder_ids) as SubmittedId[], patient: row.patient, ...(row.patient_text != null && { patientTekst: row.patient_text }), transactions: [] };
      folder.transactions.push({ ids: JSON.parse(row.transaction_ids) as SubmittedId[], ...transactionOutcome(loadFindings(row.findings), language) });
      after = Number(row.ordinal);
    }
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
