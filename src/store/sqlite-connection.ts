import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase as KyselySqliteDatabase, type SqliteStatement } from 'kysely';
import type { Database } from './database.js';
import type { PrepareCached } from './hot-sql.js';

const STATEMENT_CACHE_SIZE = 256;

/**
 * Opens a SQLite file for the registry. WAL lets readers run beside the one writer; `synchronous=FULL` makes every
 * commit durable (fsync of the WAL on commit) — an acknowledged registration survives a power cut, at the cost of
 * one fsync per transaction (~5 ms on this machine's disk: hence group commit in the vaccination store).
 * `busy_timeout` lets a second process wait for the lock.
 * @param file - path of the database file (created when missing)
 */
export function openSqlite(file: string): SqliteConnection {
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const kyselyDatabase = cachingStatements(database);
  const prepare: PrepareCached = (text) => kyselyDatabase.prepare(text) as unknown as SqliteDatabase.Statement;
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: kyselyDatabase }) }), raw: database, prepare };
}

/** The Kysely handle and, for the hot path (hot-sql.ts), the same connection raw with its statement cache. */
export interface SqliteConnection {
  readonly db: Kysely<Database>;
  readonly raw: SqliteDatabase.Database;
  readonly prepare: PrepareCached;
}

/**
 * Kysely prepares every query anew; preparing costs as much as running a small query. Kysely runs one query at a
 * time on its single SQLite connection and never iterates a statement here (nor does the hot path), so reusing
 * prepared statements by SQL text is safe. Bounded: the oldest statement is dropped past the limit.
 */
function cachingStatements(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: (): void => void database.close(),
    prepare(text: string): SqliteStatement {
      // Kysely's BEGIN is deferred; a deferred transaction that read first cannot take the write lock once the write
      // thread (sqlite-writer/) has committed meanwhile (SQLITE_BUSY_SNAPSHOT, no retry). IMMEDIATE takes the lock
      // at BEGIN, where busy_timeout waits for it.
      const sql = text === 'begin' ? 'begin immediate' : text;
      let statement = cache.get(sql);
      if (!statement) {
        statement = database.prepare(sql) as unknown as SqliteStatement;
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}
