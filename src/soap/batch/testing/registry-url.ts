import type { EngineName } from '../../../store/testing/test-engines.js';

let counter = 0;

/**
 * A database URL for a whole registry under test: undefined for SQLite (the harness puts a file in its data dir),
 * a fresh PostgreSQL schema of `VACCINNET_TEST_PG_URL` otherwise, so test files never share rows.
 */
export function registryDatabaseUrl(engine: EngineName, label: string): string | undefined {
  if (engine === 'sqlite') return undefined;
  const base = process.env.VACCINNET_TEST_PG_URL;
  if (!base) throw new Error('VACCINNET_TEST_PG_URL is not set (vitest global setup creates it)');
  counter += 1;
  const url = new URL(base);
  url.searchParams.set('schema', `${label}_${process.pid}_${Date.now().toString(36)}_${counter}`);
  return url.toString();
}
