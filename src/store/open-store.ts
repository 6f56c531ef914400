import { fileURLToPath } from 'node:url';
import { POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES } from './capabilities.js';
import { postgresHotSql, sqliteHotSql } from './hot-sql.js';
import { openPostgres } from './postgres-connection.js';
import { openSqlite } from './sqlite-connection.js';
import { SqliteWriter } from './sqlite-writer/sqlite-writer.js';
import { Store } from './store.js';

/**
 * Opens the registry store named by a URL. Does not migrate: call `store.migrate()` on start.
 * @param url - `sqlite:/path/file.db`, `file:///path/file.db`, a bare path, or `postgres://user@host:5432/db[?schema=name&max=10]`
 * @example
 * const store = await openStore('sqlite:./data/vaccinnet.db');
 * await store.migrate();
 */
export async function openStore(url: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { db, schema } = openPostgres(url);
    return new Store(db, POSTGRES_CAPABILITIES, postgresHotSql(db), schema);
  }
  const file = sqlitePath(url);
  const { db, raw, prepare } = openSqlite(file);
  return new Store(db, SQLITE_CAPABILITIES, sqliteHotSql(db, raw, prepare, new SqliteWriter(file)));
}

/** The SQLite file a database URL names; undefined for PostgreSQL. */
export function sqliteFileOf(url: string): string | undefined {
  return /^postgres(ql)?:\/\//.test(url) ? undefined : sqlitePath(url);
}

function sqlitePath(url: string): string {
  if (url.startsWith('file:')) return fileURLToPath(url);
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return url;
}
