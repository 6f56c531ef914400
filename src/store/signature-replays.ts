import type { HotSql } from './hot-sql.js';

/**
 * Signed requests accepted once (issue 11.4, table of migration 0012): `claim` records the SHA-256 of a request's
 * SignatureValue until its Timestamp window closes and says whether it was new. One statement per claim
 * (insert-if-absent on the primary key, so two registry nodes on one PostgreSQL database cannot both win); on
 * SQLite it rides the write thread's group commit (an fsync on the event loop would stall every request).
 */
export class SignatureReplays {
  readonly #hot: HotSql;
  #claims = 0;

  constructor(hot: HotSql) {
    this.#hot = hot;
  }

  /**
   * @param signatureHash - SHA-256 (hex) of the ds:SignatureValue bytes
   * @param expiresAt - when the request's Timestamp stops being accepted (after it, a replay is refused as stale)
   * @returns true when no other request with this signature was claimed within its window
   */
  async claim(signatureHash: string, expiresAt: Date, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const writer = this.#hot.sqliteWriter;
    if (writer) return writer.claimSignature(signatureHash, expiresAt.toISOString(), at);
    // A row whose window has closed is taken over (its request is refused as stale anyway): no prune is needed first.
    const rows = await this.#hot.all(
      'insert into signature_replays (signature_hash, expires_at) values (?, ?) ' +
        'on conflict (signature_hash) do update set expires_at = excluded.expires_at where signature_replays.expires_at <= ? returning 1 as claimed',
      [signatureHash, expiresAt.toISOString(), at],
    );
    // our choice: pruned every PRUNE_EVERY claims per node, off the request's path (indexed delete of closed windows).
    if (++this.#claims % PRUNE_EVERY === 0) void this.prune(now).catch(() => undefined);
    return rows.length === 1;
  }

  /** Deletes the rows whose window has closed; returns how many. */
  async prune(now: Date): Promise<number> {
    const rows = await this.#hot.all('delete from signature_replays where expires_at <= ? returning 1 as pruned', [now.toISOString()]);
    return rows.length;
  }
}

const PRUNE_EVERY = 1024;
