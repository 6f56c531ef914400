import { loadFindings } from '../../batch/stored-findings.js';
import type { Language } from '../../status/catalogue.js';
import type { DeliveryRepository, ResultRow } from '../../store/delivery-repository.js';
import {
  transactionOutcome,
  writeFolderResult,
  writeResultResponseChunks,
  type FolderResult,
  type SubmittedId,
  type TransactionResult,
} from '../envelope/write-batch-response.js';

const PAGE = 2000;

/**
 * The full ResultaatVerwerking answer of a processed delivery as XML pieces, one per folder, reading the results a
 * page at a time: a 100 000-vaccination result never sits in memory as one string (or one row set).
 */
export async function* resultAnswerChunks(repo: DeliveryRepository, deliveryId: string, language: Language): AsyncGenerator<string> {
  const [head, tail] = [...writeResultResponseChunks([])];
  yield head ?? '';
  let after = -1;
  let folder: { f: number; ids: readonly SubmittedId[]; patient: string; transactions: TransactionResult[] } | undefined;
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
      folder ??= { f, ids: JSON.parse(row.folder_ids) as SubmittedId[], patient: row.patient, transactions: [] };
      folder.transactions.push({ ids: JSON.parse(row.transaction_ids) as SubmittedId[], ...transactionOutcome(loadFindings(row.findings), language) });
      after = Number(row.ordinal);
    }
    if (out) yield out;
  }
  if (folder) yield writeFolderResult(asFolder(folder));
  yield tail ?? '';
}

function asFolder(f: { ids: readonly SubmittedId[]; patient: string; transactions: TransactionResult[] }): FolderResult {
  return { ids: f.ids, patient: f.patient, transactions: f.transactions };
}
