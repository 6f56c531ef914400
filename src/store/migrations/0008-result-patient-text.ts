import type { Kysely, Migration } from 'kysely';

/** `patientTekst` of a folder result: the patient's name as submitted, kept with each result row (null = none). */
export function resultPatientText(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('delivery_results').addColumn('patient_text', 'text').execute();
    },
  };
}
