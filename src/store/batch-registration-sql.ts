import type { AuditLogTable, VaccinationsTable } from './database.js';
import type { BatchTrx } from './delivery-repository.js';
import type { DeliveryResultsTable } from './delivery-tables.js';

/**
 * The set-based queries the batch processor runs inside one database transaction per slice of a delivery: one
 * query per slice instead of one per transaction (bulk person lookups, bulk inserts).
 */

// SQLite allows 32 766 bound parameters, PostgreSQL 65 535: 24 columns × 500 rows stays below both.
const ROWS_PER_STATEMENT = 500;
const KEYS_PER_QUERY = 900;

function* slices<T>(list: readonly T[], size: number): Generator<readonly T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

/** Birth dates (or null) of the persons known to the register, by INSZ. */
export async function findPersons(trx: BatchTrx, inszs: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (const part of slices(inszs, KEYS_PER_QUERY)) {
    const rows = await trx.selectFrom('persons').select(['insz', 'birthdate']).where('insz', 'in', part).execute();
    for (const r of rows) out.set(r.insz, r.birthdate);
  }
  return out;
}

export interface DoseKey {
  readonly id: string;
  readonly patient_insz: string;
  readonly vaccine_group: string;
  readonly administered_on: string;
  readonly registrant_key: string;
  readonly sender_key: string;
}

/** Active vaccinations of these patients (probable-duplicate candidates). */
export async function activeDoses(trx: BatchTrx, inszs: readonly string[]): Promise<readonly DoseKey[]> {
  const out: DoseKey[] = [];
  for (const part of slices(inszs, KEYS_PER_QUERY)) {
    out.push(
      ...(await trx
        .selectFrom('vaccinations')
        .select(['id', 'patient_insz', 'vaccine_group', 'administered_on', 'registrant_key', 'sender_key'])
        .where('patient_insz', 'in', part)
        .where('status', '=', 'active')
        .execute()),
    );
  }
  return out;
}

/** Stored vaccinations of one registrant by sender key (any patient, any status). */
export async function findBySenderKeys(trx: BatchTrx, registrantKey: string, keys: readonly string[]): Promise<readonly (DoseKey & { status: string })[]> {
  const out: (DoseKey & { status: string })[] = [];
  for (const part of slices(keys, KEYS_PER_QUERY)) {
    out.push(
      ...(await trx
        .selectFrom('vaccinations')
        .select(['id', 'patient_insz', 'vaccine_group', 'administered_on', 'registrant_key', 'sender_key', 'status'])
        .where('registrant_key', '=', registrantKey)
        .where('sender_key', 'in', part)
        .execute()),
    );
  }
  return out;
}

/**
 * Removes replaced vaccinations logically and frees their sender key (renamed `replaced:<id>:<key>`) so the
 * replacing transaction can be stored under the same key.
 */
export async function supersede(trx: BatchTrx, olds: readonly DoseKey[], by: string, at: string, reason: string): Promise<void> {
  for (const old of olds) {
    await trx
      .updateTable('vaccinations')
      .set({ status: 'removed', removed_at: at, removed_by: by, removed_reason: reason, sender_key: `replaced:${old.id}:${old.sender_key}` })
      .where('patient_insz', '=', old.patient_insz)
      .where('id', '=', old.id)
      .execute();
  }
}

/** Insert-or-skip on the sender key: returns the ids actually inserted (the others were already stored). */
export async function insertVaccinationRows(trx: BatchTrx, rows: readonly VaccinationsTable[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const part of slices(rows, ROWS_PER_STATEMENT)) {
    const r = await trx
      .insertInto('vaccinations')
      .values([...part])
      .onConflict((oc) => oc.columns(['patient_insz', 'registrant_key', 'sender_key']).doNothing())
      .returning('id')
      .execute();
    for (const { id } of r) inserted.add(id);
  }
  return inserted;
}

export async function insertAuditRows(trx: BatchTrx, rows: readonly AuditLogTable[]): Promise<void> {
  for (const part of slices(rows, ROWS_PER_STATEMENT)) await trx.insertInto('audit_log').values([...part]).execute();
}

/** Results are keyed by (delivery, ordinal): a replayed slice can never add a second result for a transaction. */
export async function insertResultRows(trx: BatchTrx, rows: readonly DeliveryResultsTable[]): Promise<void> {
  for (const part of slices(rows, ROWS_PER_STATEMENT)) {
    await trx.insertInto('delivery_results').values([...part]).onConflict((oc) => oc.columns(['delivery_id', 'ordinal']).doNothing()).execute();
  }
}
