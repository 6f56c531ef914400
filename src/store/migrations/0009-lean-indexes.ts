import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/**
 * Fewer indexes on the two tables every registration writes. An index keyed by patient or by sender key takes its
 * inserts at random places, so each one rewrites a page per registration (and a durable commit writes every page it
 * touched to the WAL): the commit and insert costs of a batch grew with their number (measured: six such indexes per
 * vaccination, most of a slice's database time). What stays, still keyed so the data can be distributed by patient:
 * - `vaccinations`: the primary key (patient_insz, id) — the history, the probable-duplicate check and the removal
 *   read one patient's few rows by its prefix (and sort them); and ONE unique index on the sender key, reordered to
 *   (registrant_key, sender_key, patient_insz) so it also serves the supplement's lookup by an organisation's LOCAL
 *   id whatever the patient. It replaces the unique constraint (patient_insz, registrant_key, sender_key), the
 *   history index of 0005 and the registrant/sender index of 0002; idempotency still rests on a unique index over
 *   the same three columns (`on conflict` names the column set, not its order).
 * - `audit_log`: the primary key (patient_insz, id) serves the per-person read; `audit_log_person_ix` goes.
 * SQLite cannot drop a table's unique constraint: the table is rebuilt (same columns, rows copied).
 */
export function leanIndexes(caps: StoreCapabilities): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('vaccinations_active_history_ix').ifExists().execute();
      await db.schema.dropIndex('vaccinations_registrant_sender_ix').ifExists().execute();
      await db.schema.dropIndex('audit_log_person_ix').ifExists().execute();
      if (caps.engine === 'postgres') {
        await sql`alter table vaccinations drop constraint if exists vaccinations_sender_uq`.execute(db);
      } else {
        await rebuildSqliteVaccinations(db);
      }
      await db.schema
        .createIndex('vaccinations_sender_uq')
        .ifNotExists()
        .unique()
        .on('vaccinations')
        .columns(['registrant_key', 'sender_key', 'patient_insz'])
        .execute();
    },
  };
}

/** The vaccinations table as 0001 and 0003 left it, without the table-level unique constraint. */
async function rebuildSqliteVaccinations(db: Kysely<unknown>): Promise<void> {
  const columns = [
    'patient_insz',
    'id',
    'cnk',
    'product_name',
    'vaccinnet_code',
    'atc',
    'indications',
    'vaccine_group',
    'administered_on',
    'quantity',
    'lot',
    'registrant_key',
    'responsible_nihii',
    'software_id',
    'channel',
    'sender_message_id',
    'sender_local_id',
    'sender_key',
    'registered_at',
    'status',
    'removed_at',
    'removed_by',
    'removed_reason',
    'item_xml',
    'disable_stock_change',
  ].join(', ');
  await sql`
    create table vaccinations_rebuilt (
      patient_insz text not null, id text not null, cnk text, product_name text, vaccinnet_code text, atc text,
      indications text not null, vaccine_group text not null, administered_on text not null, quantity text, lot text,
      registrant_key text not null, responsible_nihii text, software_id text not null, channel text not null,
      sender_message_id text, sender_local_id text, sender_key text not null, registered_at text not null,
      status text not null, removed_at text, removed_by text, removed_reason text, item_xml text not null,
      disable_stock_change integer,
      constraint vaccinations_pk primary key (patient_insz, id)
    )`.execute(db);
  await sql.raw(`insert into vaccinations_rebuilt (${columns}) select ${columns} from vaccinations`).execute(db);
  await sql`drop table vaccinations`.execute(db);
  await sql`alter table vaccinations_rebuilt rename to vaccinations`.execute(db);
}
