import type { Kysely, Migration } from 'kysely';

/**
 * The BatchUpload replay cache: the hash of a signed delivery's SignatureValue → the delivery it created, kept for
 * the Timestamp freshness window. In the database, not in memory, so a replay sent to another registry node is
 * recognised too; `expires_at` is indexed because every insert sweeps the expired rows.
 */
export function replayCache(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('batch_replays')
        .ifNotExists()
        .addColumn('signature_hash', 'text', (c) => c.primaryKey())
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('batch_replays_expiry_ix').ifNotExists().on('batch_replays').column('expires_at').execute();
    },
  };
}
