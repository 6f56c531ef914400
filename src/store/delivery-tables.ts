import type { AuditLogTable, Database, VaccinationsTable } from './database.js';

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
  /** Earliest next claim after a failed attempt (migration 0006-delivery-retries); null = due at once. */
  run_after?: string | null;
}

export interface DeliveryChunksTable {
  delivery_id: string;
  seq: number;
  data: Buffer;
}

/**
 * The results of one slice of a delivery (migration 0010-result-slices): one row per committed slice instead of one
 * per transaction. Results are only ever read per delivery, in document order, a slice at a time, and each slice's
 * row commits in the same transaction as the vaccinations it reports.
 */
export interface DeliveryResultSlicesTable {
  delivery_id: string;
  /** Position in the delivery (0-based, document order) of the slice's first transaction. */
  first_ordinal: number;
  /** Transactions in the slice: their ordinals are first_ordinal … first_ordinal + transactions − 1. */
  transactions: number;
  /** How many of them have a VaccinationId (stored now, or earlier under the same sender key). */
  accepted: number;
  /** JSON array of the slice's results, one ResultEntry (src/batch/result-entries.ts) per transaction. */
  results: string;
}

/** Signed deliveries seen within the freshness window (migration 0007-replay-cache). */
export interface BatchReplaysTable {
  /** SHA-256 (hex) of the request's ds:SignatureValue bytes. */
  signature_hash: string;
  delivery_id: string;
  expires_at: string;
}

export interface BatchDatabase extends Database {
  deliveries: DeliveriesTable;
  delivery_chunks: DeliveryChunksTable;
  delivery_result_slices: DeliveryResultSlicesTable;
  batch_replays: BatchReplaysTable;
}

/**
 * The columns a batch slice binds for each vaccination, in this order (rows.ts `batchVaccinationValues` lays a dose
 * out so): the bulk statements bind positional values, without a keyed object per row in between.
 */
export const BATCH_VACCINATION_COLUMNS = [
  'patient_insz',
  'id',
  'cnk',
  'product_name',
  'vaccinnet_code',
  'atc',
  'indications',
  'vaccine_group',
  'administered_on',
  'quantity',
  'lot',
  'registrant_key',
  'responsible_nihii',
  'software_id',
  'channel',
  'sender_message_id',
  'sender_local_id',
  'sender_key',
  'registered_at',
  'item_xml',
  'content_digest',
] as const satisfies readonly (keyof VaccinationsTable)[];

/** The audit columns of a batch transaction, in the order of its row array (see BATCH_VACCINATION_COLUMNS). */
export const BATCH_AUDIT_COLUMNS = [
  'patient_insz',
  'id',
  'at',
  'action',
  'outcome',
  'vaccination_id',
  'actor',
  'subject',
  'channel',
  'software_id',
  'detail',
] as const satisfies readonly (keyof AuditLogTable)[];
