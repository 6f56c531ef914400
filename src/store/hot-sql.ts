import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './database.js';
import type { SqliteWriter } from './sqlite-writer/sqlite-writer.js';

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
  /** SQLite only: the write thread that runs the registrations' group commits (sqlite-writer/). */
  readonly sqliteWriter?: SqliteWriter;
  /** Releases what the hot path holds besides the Kysely connection (the write thread). */
  close(): Promise<void>;
}

/** Prepared statements by SQL text, shared with Kysely's SQLite connection (see sqlite-connection.ts). */
export type PrepareCached = (text: string) => SqliteDatabase.Statement;

/**
 * SQLite: reads run synchronously on the raw handle when no Kysely transaction is open on it (nothing can interleave
 * with a synchronous call, and no foreign uncommitted state is visible); otherwise they wait for the connection like
 * any Kysely query. The registrations' writes go to the write thread (its own connection).
 * @param db - the Kysely instance owning the connection
 * @param raw - the same better-sqlite3 connection
 * @param prepare - the shared statement cache
 */
export function sqliteHotSql(db: Kysely<Database>, raw: SqliteDatabase.Database, prepare: PrepareCached, writer: SqliteWriter): HotSql {
  return {
    all(text, params): Promise<readonly SqlRow[]> {
      if (!raw.inTransaction) return Promise.resolve(prepare(text).all(...params) as SqlRow[]);
      return db.connection().execute(async () => prepare(text).all(...params) as SqlRow[]);
    },
    sqliteWriter: writer,
    close: () => writer.close(),
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
    close: async () => {},
  };
}
