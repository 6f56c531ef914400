import type { Kysely, Migration } from 'kysely';

/**
 * The access model of issue 13 (registry/access/access-model.ts): consent events, therapeutic links, exclusions. Each
 * table's primary key leads with `patient_insz`, the Citus distribution column of every patient-owned table, and the
 * read rule's one look-up per table is a prefix scan of it (one person has a handful of rows). Consent rows are only
 * inserted; links and exclusions get their `revoked_*` / `lifted_*` columns set once, nothing else changes.
 * Instants are ISO-8601 UTC text on both engines (ordered as text), as everywhere else.
 */
export function accessModel(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('consents')
        .ifNotExists()
        .addColumn('patient_insz', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('consents_pk', ['patient_insz', 'id'])
        .execute();
      await db.schema
        .createTable('therapeutic_links')
        .ifNotExists()
        .addColumn('patient_insz', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('proof', 'text', (c) => c.notNull())
        .addColumn('start_at', 'text', (c) => c.notNull())
        .addColumn('end_at', 'text', (c) => c.notNull())
        .addColumn('declared_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'text')
        .addPrimaryKeyConstraint('therapeutic_links_pk', ['patient_insz', 'id'])
        .execute();
      // The read rule asks for one person's links of a few parties.
      await db.schema.createIndex('therapeutic_links_party_ix').ifNotExists().on('therapeutic_links').columns(['patient_insz', 'party']).execute();
      await db.schema
        .createTable('exclusions')
        .ifNotExists()
        .addColumn('patient_insz', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('party', 'text', (c) => c.notNull())
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('lifted_at', 'text')
        .addColumn('lifted_by', 'text')
        .addPrimaryKeyConstraint('exclusions_pk', ['patient_insz', 'id'])
        .execute();
    },
  };
}
