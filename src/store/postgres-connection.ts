import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { reportingUnavailability } from './postgres-availability.js';

/** How long a call waits for a free connection (`?pool_timeout_ms=` in the URL). */
const DEFAULT_POOL_TIMEOUT_MS = 5000;

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
 * `max` (pool size, default 10) and `pool_timeout_ms` (the wait for a free connection, default 5000) are ours too.
 * @param url - `postgres://user@host:port/db[?schema=name&max=10&pool_timeout_ms=5000]`
 */
export function openPostgres(url: string): PostgresConnection {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  const max = Number(parsed.searchParams.get('max') ?? 10);
  const waitMs = Number(parsed.searchParams.get('pool_timeout_ms') ?? DEFAULT_POOL_TIMEOUT_MS);
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('max');
  parsed.searchParams.delete('pool_timeout_ms');
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`schema "${schema}" must match [a-z_][a-z0-9_]*`);
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max,
    // Bounded: with every connection busy (or the server gone) a call waits this long, then answers
    // STORE_UNAVAILABLE (postgres-availability.ts) instead of hanging.
    connectionTimeoutMillis: waitMs,
    types,
    ...(schema !== 'public' && { options: `-c search_path=${schema}` }),
  });
  // An idle client whose server connection ends (a PostgreSQL restart, a terminated backend) is reported here; pg
  // drops it from the pool itself. Without a listener Node would treat it as an uncaught error and stop the node.
  pool.on('error', () => undefined);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: reportingUnavailability(pool) }) }), schema };
}
