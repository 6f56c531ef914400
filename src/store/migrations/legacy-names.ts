import { sql, type Kysely } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/**
 * The names older releases stored in `kysely_migration` for the steps renumbered so that every number is unique
 * (issue 12 §8: there were two 0003 and three 0005 steps), old → new. The new names sort in the same order as the
 * old ones, so Kysely's check that the applied steps come first, in order (by their timestamps, which stay), passes
 * on exactly the databases it passed on before. Never drop an entry: a database last opened by an older release
 * still carries the old names.
 */
export const LEGACY_MIGRATION_NAMES: Readonly<Record<string, string>> = {
  '0003-profile-certificates': '0004-profile-certificates',
  '0004-history-index': '0005-history-index',
  '0005-delivery-retries': '0006-delivery-retries',
  '0005-replay-cache': '0007-replay-cache',
  '0005-result-patient-text': '0008-result-patient-text',
  '0006-lean-indexes': '0009-lean-indexes',
  '0007-result-slices': '0010-result-slices',
  '0008-replay-content-digest': '0011-replay-content-digest',
  '0009-signature-replays': '0012-signature-replays',
};

/**
 * Renames the applied steps of a database created by an older release to their current names, before Kysely's
 * Migrator reads them (it would otherwise find "missing" steps and refuse to start). We rename the stored rows
 * rather than keep the old names in the provider, so that the table, the files and the code name each step once.
 * One UPDATE in a transaction: no new name equals an old one, so no row collides with another midway; a second
 * node doing the same at the same time finds nothing left to rename (PostgreSQL re-checks the WHERE on the row the
 * first one committed). Once renamed, an older release no longer starts on the database (its own names are gone).
 * @param schema - PostgreSQL schema of the migration table (ignored on SQLite)
 * @returns how many rows were renamed (0 on a fresh or already renamed database)
 */
export async function renameLegacyMigrations<DB>(db: Kysely<DB>, caps: StoreCapabilities, schema: string): Promise<number> {
  const entries = Object.entries(LEGACY_MIGRATION_NAMES);
  return db.transaction().execute(async (trx) => {
    const exists =
      caps.engine === 'postgres'
        ? sql`select 1 as found from pg_catalog.pg_tables where schemaname = ${schema} and tablename = 'kysely_migration'`
        : sql`select 1 as found from sqlite_master where type = 'table' and name = 'kysely_migration'`;
    if ((await exists.execute(trx)).rows.length === 0) return 0;
    const table = caps.engine === 'postgres' ? sql.table(`${schema}.kysely_migration`) : sql.table('kysely_migration');
    const result = await sql`update ${table} set name = case name ${sql.join(
      entries.map(([from, to]) => sql`when ${from} then ${to}`),
      sql` `,
    )} end where name in (${sql.join(entries.map(([from]) => from))})`.execute(trx);
    return Number(result.numAffectedRows ?? 0n);
  });
}
