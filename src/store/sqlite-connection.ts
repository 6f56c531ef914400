import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database.js';

/**
 * Opens a SQLite file for the registry. WAL lets readers run beside the one writer; `synchronous=FULL` makes every
 * commit durable (fsync of the WAL on commit) — an acknowledged registration survives a power cut, at the cost of
 * one fsync per transaction (measured in the report/bench). `busy_timeout` lets a second process wait for the lock.
 * @param file - path of the database file (created when missing)
 */
export function openSqlite(file: string): Kysely<Database> {
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}
