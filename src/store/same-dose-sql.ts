import type { Transaction } from 'kysely';
import type { SameDose } from '../registry/ports.js';
import type { NewVaccination } from '../registry/vaccination.js';
import type { Database, VaccinationsTable } from './database.js';
import type { SqlRow } from './hot-sql.js';

/**
 * The SQL form of the registry's probable-duplicate rule (rule 14, its warning half: `PROBABLE_DUPLICATE`; the
 * other half, the same sender ids, is the unique constraint's): a dose's probable duplicate (`SameDose`,
 * registry/ports.ts) is the vaccination of the same patient, vaccine group and administration date, active, not
 * under the dose's own registrant + sender key, earliest registered first (ties by id, so every path names the same
 * row). Each write path reads it from here: the hand-written text (hot-sql.ts) on the SQLite write thread and in
 * PostgreSQL's single registrations, the Kysely query in a plain transaction. Parameters: PROBABLE_DUPLICATE_COLUMNS.
 */
export const PROBABLE_DUPLICATE =
  'select id, registrant_key from vaccinations where patient_insz = ? and vaccine_group = ? and administered_on = ? ' +
  "and status = 'active' and not (registrant_key = ? and sender_key = ?) order by registered_at, id limit 1";

/** The vaccination columns PROBABLE_DUPLICATE's parameters come from, in order (the write thread binds them from the row). */
export const PROBABLE_DUPLICATE_COLUMNS: readonly (keyof VaccinationsTable)[] = [
  'patient_insz',
  'vaccine_group',
  'administered_on',
  'registrant_key',
  'sender_key',
];

/** PROBABLE_DUPLICATE's parameters for a dose (PROBABLE_DUPLICATE_COLUMNS of its row). */
export function probableDuplicateParams(v: NewVaccination): unknown[] {
  return [v.patientInsz, v.product.group, v.administeredOn, v.registrantKey, v.senderKey];
}

/** A PROBABLE_DUPLICATE row as the registry's `SameDose`. */
export function sameDoseOf(row: SqlRow): SameDose {
  return { id: String(row.id), registrantKey: String(row.registrant_key) };
}

/** PROBABLE_DUPLICATE as a Kysely query, read inside the transaction that inserts the dose. */
export async function probableDuplicateIn(trx: Transaction<Database>, v: NewVaccination): Promise<SameDose | undefined> {
  const row = await trx
    .selectFrom('vaccinations')
    .select(['id', 'registrant_key'])
    .where('patient_insz', '=', v.patientInsz)
    .where('vaccine_group', '=', v.product.group)
    .where('administered_on', '=', v.administeredOn)
    .where('status', '=', 'active')
    .where((eb) => eb.not(eb.and([eb('registrant_key', '=', v.registrantKey), eb('sender_key', '=', v.senderKey)])))
    .orderBy('registered_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, registrantKey: row.registrant_key } : undefined;
}

/**
 * Every active vaccination of the same patient, vaccine group and administration date, whoever registered it,
 * earliest registered first (`findSameDose`). Parameters: patient, group, date.
 */
export const SAME_DOSE_ROWS =
  "select * from vaccinations where patient_insz = ? and vaccine_group = ? and administered_on = ? and status = 'active' order by registered_at";
