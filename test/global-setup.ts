import pg from 'pg';

/**
 * Creates a fresh PostgreSQL database for this test run and hands its URL to the workers through
 * VACCINNET_TEST_PG_URL; drops it afterwards. PostgreSQL is required: the domain suite runs on both engines.
 * Set VACCINNET_TEST_ENGINES=sqlite to run without it on a machine that has none (CI never does).
 */
export async function setup(): Promise<() => Promise<void>> {
  const engines = (process.env.VACCINNET_TEST_ENGINES ?? 'sqlite,postgres').split(',');
  process.env.VACCINNET_TEST_ENGINES = engines.join(',');
  if (!engines.includes('postgres')) return async () => {};
  const admin = process.env.VACCINNET_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `vaccinnet_test_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: admin });
  try {
    await client.connect();
  } catch (cause) {
    throw new Error(`PostgreSQL is not reachable at ${admin}; start it (see README) or set VACCINNET_TEST_ENGINES=sqlite`, { cause });
  }
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  process.env.VACCINNET_TEST_PG_URL = url.toString();
  return async () => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
}
