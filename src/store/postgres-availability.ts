import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { StoreUnavailableError } from '../registry/store-unavailable.js';

/** SQLSTATEs that mean "the server is not there for now", not "this statement is wrong". */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']); // admin / crash shutdown, starting up, too many connections
const TRANSIENT_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** Whether a pg error says the database is out of reach (retry later) rather than that a statement failed. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_ERRNOS.has(code))) return true;
  // pg-pool's own wait limit and pg's lost connection carry no code, only these messages.
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message);
}

function classified(error: unknown): unknown {
  return isUnavailable(error) ? new StoreUnavailableError((error as Error).message, { cause: error }) : error;
}

/**
 * The pool as Kysely sees it, with the database's unavailability turned into StoreUnavailableError (registry
 * port level), so every channel answers STORE_UNAVAILABLE with a retry indication. The wait for a free connection is
 * bounded by the pool's `connectionTimeoutMillis` (postgres-connection.ts): pool exhaustion answers, it never hangs.
 * pg itself drops a broken client when it is released, so once the server is back the next calls simply work.
 */
export function reportingUnavailability(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw classified(error);
      }
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      return new Proxy(client, {
        get(target, key, receiver) {
          if (key !== 'query') return Reflect.get(target, key, receiver) as unknown;
          return (...args: unknown[]) => {
            const result = query(...args);
            // A cursor (streamed reads) is returned as it is; a promise gets its rejection classified.
            return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(classified(error))) : result;
          };
        },
      }) as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
