import type { SubmittedId } from '../contracts/write-batch-response.js';
import type { StoredFinding } from './stored-findings.js';

/**
 * One transaction's result as kept in its slice's row (`delivery_result_slices.results`, a JSON array of these).
 * An array rather than an object: 100 000 results are kept for weeks and parsed again for every answer, and the
 * names would repeat in each. The ids as submitted (incl. the LOCAL UUID) and the patient as submitted are what the
 * answer sends back; findings keep their code and parameters (texts are rendered in the asker's language on read).
 */
export type ResultEntry = readonly [
  ordinal: number,
  folderIndex: number,
  transactionIndex: number,
  folderIds: readonly SubmittedId[],
  /** The patient's INSZ as submitted ('' when none). */
  patient: string,
  /** `patientTekst`: the folder's patient name as submitted (soap/batch/patient-text.ts), null when none. */
  patientText: string | null,
  transactionIds: readonly SubmittedId[],
  resultCode: string,
  findings: readonly StoredFinding[],
  /** The stored (or, on replay, the original) VaccinationId of an accepted transaction. */
  vaccinationId: string | null,
  /** The earlier VaccinationId an Aanvulling transaction replaced. */
  replacedId: string | null,
];

/**
 * The part of an entry the message alone decides, as JSON text up to the result code: made where the transaction is
 * planned (the planning thread), so the processor only appends the outcome (`resultEntry`).
 * @param folderIds - JSON of the folder's ids as submitted
 * @param transactionIds - JSON of the transaction's ids as submitted
 */
export function resultHead(
  ordinal: number,
  f: number,
  t: number,
  folderIds: string,
  patient: string,
  patientText: string | null,
  transactionIds: string,
): string {
  return `[${ordinal},${f},${t},${folderIds},${JSON.stringify(patient)},${patientText === null ? 'null' : JSON.stringify(patientText)},${transactionIds}`;
}

/**
 * A whole entry's JSON: the head and the outcome.
 * @param findings - JSON of the stored findings (storeFindings)
 */
export function resultEntry(head: string, code: string, findings: string, vaccinationId: string | null, replacedId: string | null): string {
  return `${head},${JSON.stringify(code)},${findings},${vaccinationId === null ? 'null' : JSON.stringify(vaccinationId)},${replacedId === null ? 'null' : JSON.stringify(replacedId)}]`;
}

/** A slice row's `results` from its entries' JSON. */
export function resultSliceText(entries: readonly string[]): string {
  return `[${entries.join(',')}]`;
}

export function parseResultSlice(results: string): readonly ResultEntry[] {
  return JSON.parse(results) as ResultEntry[];
}
