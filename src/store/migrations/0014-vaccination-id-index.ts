import type { Kysely, Migration } from 'kysely';

/**
 * FHIR reads a vaccination by its id alone (`GET /fhir/Immunization/<id>`), while every other read starts from the
 * patient (the primary key is (patient_insz, id)). This index finds the patient of an id without a table scan, the
 * same on both engines; the read itself then goes through the patient's history and its access rule.
 * The price: one more index page touched per inserted vaccination (0009 removed indexes for that reason); measured
 * by the batch benches, not by this step. Numbered 0014: 0013 is left to the access-model tables of issue 13 §1,
 * built beside this one.
 */
export function vaccinationIdIndex(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('vaccinations_id_ix').ifNotExists().on('vaccinations').column('id').execute();
    },
  };
}
