import type { Kysely, Migration } from 'kysely';

/**
 * Retries with back-off for batch deliveries whose processing fails: `run_after` is the earliest moment the
 * delivery may be claimed again (null = at once). Without it a delivery that always fails was claimed first in
 * every round and starved the deliveries behind it.
 */
export function deliveryRetries(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('deliveries').addColumn('run_after', 'text').execute();
    },
  };
}
