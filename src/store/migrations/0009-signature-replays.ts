import type { Kysely, Migration } from 'kysely';

/**
 * Signed requests already accepted (issue 11.4): the SHA-256 of a request's ds:SignatureValue, kept until its
 * Timestamp window closes. In the database, not in memory, so a signed request replayed to another registry node
 * is refused too. The primary key makes the claim one `insert … on conflict` statement; `expires_at` (ISO-8601 UTC,
 * ordered as text like every instant here) is indexed for the pruning delete.
 */
export function signatureReplays(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('signature_replays')
        .ifNotExists()
        .addColumn('signature_hash', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('signature_replays_expiry_ix').ifNotExists().on('signature_replays').column('expires_at').execute();
    },
  };
}
