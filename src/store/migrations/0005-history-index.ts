import type { Kysely, Migration } from 'kysely';

/**
 * The history query (`patient_insz = ? and status = 'active' order by administered_on, registered_at`) and the
 * probable-duplicate query (`… and administered_on = ?`) read one index range in order: no filter on status, no sort
 * step (SQLite's plan said "USE TEMP B-TREE FOR LAST TERM OF ORDER BY"; PostgreSQL's: Sort + Filter). It replaces
 * `vaccinations_history_ix` (patient_insz, administered_on), whose every use it covers, so an insert still maintains
 * the same number of indexes.
 */
export function historyIndex(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('vaccinations_active_history_ix')
        .ifNotExists()
        .on('vaccinations')
        .columns(['patient_insz', 'status', 'administered_on', 'registered_at'])
        .execute();
      await db.schema.dropIndex('vaccinations_history_ix').ifExists().execute();
    },
  };
}
