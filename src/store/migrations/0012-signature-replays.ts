import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/**
 * Signed requests already accepted (issue 11.4): the SHA-256 of a request's ds:SignatureValue, kept until its
 * Timestamp window closes. In the database, not in memory, so a signed request replayed to another registry node
 * is refused too. The primary key makes the claim one `insert … on conflict` statement; `expires_at` (ISO-8601 UTC,
 * ordered as text like every instant here) is indexed for the pruning delete.
 *
 * our choice: UNLOGGED on PostgreSQL — its inserts write no WAL, so a claim's commit waits for no WAL flush (an
 * fsync per signed call otherwise: ~800 claims/s on this machine's disk). The price: after a crash (not a clean
 * stop) or a fail-over to a standby the table is empty, so a request signed in the minutes before could be replayed
 * once. SQLite gets the same trade-off from its write thread (synchronous=NORMAL for claims).
 */
export function signatureReplays(caps: StoreCapabilities): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      let create = db.schema.createTable('signature_replays');
      if (caps.engine === 'postgres') create = create.modifyFront(sql`unlogged`);
      await create
        .ifNotExists()
        .addColumn('signature_hash', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('signature_replays_expiry_ix').ifNotExists().on('signature_replays').column('expires_at').execute();
    },
  };
}
