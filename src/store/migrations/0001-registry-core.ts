import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/**
 * Registry core: person register, profiles, softwareIDs, vaccinations, audit log, jobs.
 * DDL is written `ifNotExists` so a half-applied step on an engine without transactional DDL can run again.
 */
export function registryCore(caps: StoreCapabilities): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const date = sql.raw(caps.dateType);
      await db.schema
        .createTable('persons')
        .ifNotExists()
        .addColumn('insz', 'text', (c) => c.primaryKey())
        .addColumn('firstname', 'text', (c) => c.notNull())
        .addColumn('familyname', 'text', (c) => c.notNull())
        .addColumn('birthdate', date)
        .addColumn('sex', 'text')
        .execute();
      await db.schema
        .createTable('doctors')
        .ifNotExists()
        .addColumn('nihii', 'text', (c) => c.primaryKey())
        .addColumn('ssin', 'text', (c) => c.notNull().unique())
        .addColumn('firstname', 'text', (c) => c.notNull())
        .addColumn('familyname', 'text', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createTable('haio_stagemeesters')
        .ifNotExists()
        .addColumn('haio_nihii', 'text', (c) => c.notNull().references('doctors.nihii'))
        .addColumn('stagemeester_nihii', 'text', (c) => c.notNull().references('doctors.nihii'))
        .addPrimaryKeyConstraint('haio_stagemeesters_pk', ['haio_nihii', 'stagemeester_nihii'])
        .execute();
      await db.schema
        .createTable('organisations')
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('id_type', 'text', (c) => c.notNull())
        .addColumn('id_value', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('user_code', 'text', (c) => c.notNull().unique())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addUniqueConstraint('organisations_identifier_uq', ['id_type', 'id_value'])
        .execute();
      await db.schema
        .createTable('organisation_doctors')
        .ifNotExists()
        .addColumn('organisation_key', 'text', (c) => c.notNull().references('organisations.key'))
        .addColumn('doctor_nihii', 'text', (c) => c.notNull().references('doctors.nihii'))
        .addColumn('relation', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('organisation_doctors_pk', ['organisation_key', 'doctor_nihii', 'relation'])
        .execute();
      await db.schema
        .createTable('software_ids')
        .ifNotExists()
        .addColumn('software_id', 'text', (c) => c.primaryKey())
        .addColumn('profile_key', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('vaccinations')
        .ifNotExists()
        .addColumn('patient_insz', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('cnk', 'text')
        .addColumn('product_name', 'text')
        .addColumn('vaccinnet_code', 'text')
        .addColumn('atc', 'text')
        .addColumn('indications', 'text', (c) => c.notNull())
        .addColumn('vaccine_group', 'text', (c) => c.notNull())
        .addColumn('administered_on', date, (c) => c.notNull())
        .addColumn('quantity', 'text')
        .addColumn('lot', 'text')
        .addColumn('registrant_key', 'text', (c) => c.notNull())
        .addColumn('responsible_nihii', 'text')
        .addColumn('software_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('sender_message_id', 'text')
        .addColumn('sender_local_id', 'text')
        .addColumn('sender_key', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('removed_at', 'text')
        .addColumn('removed_by', 'text')
        .addColumn('removed_reason', 'text')
        .addColumn('item_xml', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('vaccinations_pk', ['patient_insz', 'id'])
        // Idempotency (rule 14) decided by the database, never by read-then-write.
        .addUniqueConstraint('vaccinations_sender_uq', ['patient_insz', 'registrant_key', 'sender_key'])
        .execute();
      await db.schema.createIndex('vaccinations_history_ix').ifNotExists().on('vaccinations').columns(['patient_insz', 'administered_on']).execute();
      await db.schema
        .createTable('audit_log')
        .ifNotExists()
        .addColumn('patient_insz', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('vaccination_id', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('software_id', 'text')
        .addColumn('detail', 'text')
        .addPrimaryKeyConstraint('audit_log_pk', ['patient_insz', 'id'])
        .execute();
      await db.schema.createIndex('audit_log_person_ix').ifNotExists().on('audit_log').columns(['patient_insz', 'at']).execute();
      await db.schema
        .createTable('jobs')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_by', 'text')
        .addColumn('locked_at', 'text')
        .addColumn('run_after', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('result', 'text')
        .execute();
      await db.schema.createIndex('jobs_claim_ix').ifNotExists().on('jobs').columns(['kind', 'status', 'run_after']).execute();
    },
  };
}
