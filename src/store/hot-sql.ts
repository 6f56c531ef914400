import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './database.js';

/** A row as the driver returns it. */
export type SqlRow = Record<string, unknown>;

/**
 * Hand-written SQL for the registration hot path, without Kysely's builder (its parse/compile/freeze cost more CPU
 * than the SQLite statement itself — profiled at ~60 % of a registration). Text uses `?` placeholders and only
 * portable SQL; PostgreSQL gets them renumbered to `$n`. Everything else keeps using the Kysely builder.
 */
export interface HotSql {
  /** Rows of one read statement. */
  all(text: string, params: readonly unknown[]): Promise<readonly SqlRow[]>;
  /**
   * Runs `work` on the engine's single write connection with exclusive use of it (Kysely's connection mutex), as one
   * durable transaction. SQLite only: `work` runs synchronously, so no other query can interleave.
   */
  readonly sqliteTransaction?: <T>(work: (run: SyncSql) => T) => Promise<T>;
}

/** Synchronous statements on the raw SQLite connection, inside `sqliteTransaction`. */
export interface SyncSql {
  get(text: string, params: readonly unknown[]): SqlRow | undefined;
  run(text: string, params: readonly unknown[]): void;
}

/** Prepared statements by SQL text, shared with Kysely's SQLite connection (see sqlite-connection.ts). */
export type PrepareCached = (text: string) => SqliteDatabase.Statement;

/**
 * SQLite: reads run synchronously on the raw handle when no Kysely transaction is open on it (nothing can interleave
 * with a synchronous call, and no foreign uncommitted state is visible); otherwise they wait for the connection like
 * any Kysely query. Writes always take the connection mutex.
 * @param db - the Kysely instance owning the connection
 * @param raw - the same better-sqlite3 connection
 * @param prepare - the shared statement cache
 */
export function sqliteHotSql(db: Kysely<Database>, raw: SqliteDatabase.Database, prepare: PrepareCached): HotSql {
  const sync: SyncSql = {
    get: (text, params) => prepare(text).get(...params) as SqlRow | undefined,
    run: (text, params) => void prepare(text).run(...params),
  };
  const transaction = raw.transaction(<T>(work: (run: SyncSql) => T): T => work(sync));
  return {
    all(text, params): Promise<readonly SqlRow[]> {
      if (!raw.inTransaction) return Promise.resolve(prepare(text).all(...params) as SqlRow[]);
      return db.connection().execute(async () => prepare(text).all(...params) as SqlRow[]);
    },
    sqliteTransaction: <T>(work: (run: SyncSql) => T): Promise<T> =>
      db.connection().execute(async () => transaction(work) as T),
  };
}

/**
 * PostgreSQL: one pooled round trip per statement through Kysely's driver (no builder). No prepared statement
 * names: with a pool every connection would prepare each text once anyway, and these statements plan in microseconds.
 * @param db - the Kysely instance owning the pool
 */
export function postgresHotSql(db: Kysely<Database>): HotSql {
  const texts = new Map<string, string>();
  return {
    async all(text, params): Promise<readonly SqlRow[]> {
      let numbered = texts.get(text);
      if (numbered === undefined) {
        let n = 0;
        numbered = text.replace(/\?/g, () => `$${++n}`);
        texts.set(text, numbered);
      }
      const result = await db.executeQuery<SqlRow>(CompiledQuery.raw(numbered, [...params]));
      return result.rows;
    },
  };
}
