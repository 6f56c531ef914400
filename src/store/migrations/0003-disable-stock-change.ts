import type { Kysely, Migration } from 'kysely';

/**
 * AddVaccinations' `DisableStockChange` attribute (wire-contracts.md §1): accepted and stored with the vaccination, so a
 * later stock module knows not to lower the registrant's stock. Null = the caller did not send it.
 */
export function disableStockChange(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('vaccinations').addColumn('disable_stock_change', 'integer').execute();
    },
  };
}
