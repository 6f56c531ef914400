import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';

const DATE_OID = 1082;
const INT8_OID = 20;

/**
 * Type parsers for this pool only (not pg's global registry, which other code may share): DATE stays the
 * `YYYY-MM-DD` text (pg would make a Date at local midnight and shift the day), int8 becomes a number (counts).
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === DATE_OID) return (v: string) => v;
    if (oid === INT8_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

export interface PostgresConnection {
  readonly db: Kysely<Database>;
  /** The schema all tables live in (`?schema=` in the URL; default `public`). */
  readonly schema: string;
}

/**
 * Opens a pool on a `postgres://` URL. A `schema` query parameter (our addition, stripped before pg sees the URL)
 * puts every table in that schema through `search_path`: tests use one schema each instead of truncating.
 * @param url - `postgres://user@host:port/db[?schema=name&max=10]`
 */
export function openPostgres(url: string): PostgresConnection {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  const max = Number(parsed.searchParams.get('max') ?? 10);
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('max');
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`schema "${schema}" must match [a-z_][a-z0-9_]*`);
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max,
    types,
    ...(schema !== 'public' && { options: `-c search_path=${schema}` }),
  });
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), schema };
}
