import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/**
 * BatchUpload (issue 5): accepted deliveries with their raw KMEHR in chunks (durable before the answer; registry
 * nodes stay stateless), one result row per submitted transaction, and an index to find an organisation's earlier
 * transaction by its LOCAL id (Aanvulling replaces it, whatever the patient).
 */
export function batchTables(caps: StoreCapabilities): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const bytes = sql.raw(caps.engine === 'postgres' ? 'bytea' : 'blob');
      await db.schema
        .createTable('deliveries')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('organisation_key', 'text', (c) => c.notNull())
        .addColumn('user_code', 'text', (c) => c.notNull())
        .addColumn('software_id', 'text', (c) => c.notNull())
        .addColumn('caller', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('chunks', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_by', 'text')
        .addColumn('locked_at', 'text')
        .addColumn('processed_at', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('transactions', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('accepted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failure', 'text')
        .execute();
      await db.schema.createIndex('deliveries_claim_ix').ifNotExists().on('deliveries').columns(['status', 'received_at']).execute();
      await db.schema
        .createTable('delivery_chunks')
        .ifNotExists()
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint('delivery_chunks_pk', ['delivery_id', 'seq'])
        .execute();
      await db.schema
        .createTable('delivery_results')
        .ifNotExists()
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('folder_index', 'integer', (c) => c.notNull())
        .addColumn('transaction_index', 'integer', (c) => c.notNull())
        .addColumn('folder_ids', 'text', (c) => c.notNull())
        .addColumn('patient', 'text', (c) => c.notNull())
        .addColumn('transaction_ids', 'text', (c) => c.notNull())
        .addColumn('result_code', 'text', (c) => c.notNull())
        .addColumn('findings', 'text', (c) => c.notNull())
        .addColumn('vaccination_id', 'text')
        .addColumn('replaced_id', 'text')
        // Idempotency of processing: a re-run after a crash can never write a second result for a transaction (the
        // ordinal is the transaction's position in the delivery, i.e. its (folder, transaction) pair in document order).
        .addPrimaryKeyConstraint('delivery_results_pk', ['delivery_id', 'ordinal'])
        .execute();
      await db.schema.createIndex('vaccinations_registrant_sender_ix').ifNotExists().on('vaccinations').columns(['registrant_key', 'sender_key']).execute();
    },
  };
}
