import type { Database } from './database.js';

/** BatchUpload tables (migration 0002-batch), declared beside the core ones without editing them. */
export interface DeliveriesTable {
  /** The `transactionId` answered to the sender (a UUID). */
  id: string;
  /** `Aanleveren` | `Aanvulling`. */
  operation: string;
  organisation_key: string;
  user_code: string;
  software_id: string;
  /** The authenticated caller identity, JSON (re-authorised when processed). */
  caller: string;
  received_at: string;
  bytes: number | string;
  chunks: number;
  /** accepted | processing | processed | failed | expired */
  status: string;
  attempts: number;
  locked_by: string | null;
  locked_at: string | null;
  processed_at: string | null;
  expires_at: string | null;
  transactions: number;
  accepted: number;
  refused: number;
  /** JSON finding when the delivery as a whole could not be processed. */
  failure: string | null;
  /** Earliest next claim after a failed attempt (migration 0005-delivery-retries); null = due at once. */
  run_after?: string | null;
}

export interface DeliveryChunksTable {
  delivery_id: string;
  seq: number;
  data: Buffer;
}

export interface DeliveryResultsTable {
  delivery_id: string;
  /** Position of the transaction in the delivery (0-based, document order). */
  ordinal: number;
  folder_index: number;
  transaction_index: number;
  /** JSON SubmittedId[] of the folder. */
  folder_ids: string;
  patient: string;
  /** JSON SubmittedId[] of the transaction, as submitted (incl. its LOCAL UUID). */
  transaction_ids: string;
  result_code: string;
  /** JSON StoredFinding[]: texts are rendered in the asker's language when the result is read. */
  findings: string;
  /** The stored (or, on replay, the original) VaccinationId of an accepted transaction. */
  vaccination_id: string | null;
  /** The earlier VaccinationId an Aanvulling transaction replaced. */
  replaced_id: string | null;
  /** `patientTekst`: the folder's patient name as submitted (`patientText`, migration 0005-result-patient-text). */
  patient_text?: string | null;
}

/** Signed deliveries seen within the freshness window (migration 0005-replay-cache). */
export interface BatchReplaysTable {
  /** SHA-256 (hex) of the request's ds:SignatureValue bytes. */
  signature_hash: string;
  delivery_id: string;
  expires_at: string;
}

export interface BatchDatabase extends Database {
  deliveries: DeliveriesTable;
  delivery_chunks: DeliveryChunksTable;
  delivery_results: DeliveryResultsTable;
  batch_replays: BatchReplaysTable;
}
