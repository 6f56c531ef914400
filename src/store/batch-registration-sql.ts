import { CompiledQuery } from 'kysely';
import type { StoreCapabilities } from './capabilities.js';
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

const VACCINATION_COLUMNS = [
  'patient_insz', 'id', 'cnk', 'product_name', 'vaccinnet_code', 'atc', 'indications', 'vaccine_group', 'administered_on', 'quantity', 'lot',
  'registrant_key', 'responsible_nihii', 'software_id', 'channel', 'sender_message_id', 'sender_local_id', 'sender_key', 'registered_at',
  'status', 'removed_at', 'removed_by', 'removed_reason', 'item_xml',
] as const satisfies readonly (keyof VaccinationsTable)[];
const AUDIT_COLUMNS = [
  'patient_insz', 'id', 'at', 'action', 'outcome', 'vaccination_id', 'actor', 'subject', 'channel', 'software_id', 'detail',
] as const satisfies readonly (keyof AuditLogTable)[];
const RESULT_COLUMNS = [
  'delivery_id', 'ordinal', 'folder_index', 'transaction_index', 'folder_ids', 'patient', 'patient_text', 'transaction_ids', 'result_code',
  'findings', 'vaccination_id', 'replaced_id',
] as const satisfies readonly (keyof DeliveryResultsTable)[];

const statements = new Map<string, string>();

/**
 * A multi-row INSERT as plain SQL text with positional parameters. Why not the query builder here: for 500 rows × 24
 * columns it builds and compiles 12 000 value nodes per statement (a third of the slice's CPU and most of its
 * garbage); the text below depends only on the row count, so SQLite's statement cache reuses it.
 */
async function bulkInsert<T>(
  trx: BatchTrx,
  caps: StoreCapabilities,
  table: string,
  columns: readonly (keyof T & string)[],
  rows: readonly T[],
  suffix: string,
): Promise<unknown[]> {
  const out: unknown[] = [];
  const perStatement = Math.min(ROWS_PER_STATEMENT, Math.floor(caps.maxParameters / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement);
    const key = `${caps.engine}|${table}|${part.length}|${suffix}`;
    let text = statements.get(key);
    if (text === undefined) {
      let n = 0;
      const tuple = (): string => `(${columns.map(() => (caps.engine === 'postgres' ? `$${++n}` : '?')).join(',')})`;
      text = `insert into ${table} (${columns.join(',')}) values ${part.map(tuple).join(',')} ${suffix}`;
      statements.set(key, text);
    }
    const params: unknown[] = [];
    for (const row of part) for (const c of columns) params.push(row[c]);
    const r = await trx.executeQuery(CompiledQuery.raw(text, params));
    out.push(...r.rows);
  }
  return out;
}

/** Insert-or-skip on the sender key: returns the ids actually inserted (the others were already stored). */
export async function insertVaccinationRows(trx: BatchTrx, caps: StoreCapabilities, rows: readonly VaccinationsTable[]): Promise<Set<string>> {
  const r = await bulkInsert(trx, caps, 'vaccinations', VACCINATION_COLUMNS, rows, 'on conflict (patient_insz, registrant_key, sender_key) do nothing returning id');
  return new Set((r as { id: string }[]).map((x) => x.id));
}

export async function insertAuditRows(trx: BatchTrx, caps: StoreCapabilities, rows: readonly AuditLogTable[]): Promise<void> {
  await bulkInsert(trx, caps, 'audit_log', AUDIT_COLUMNS, rows, '');
}

/** Results are keyed by (delivery, ordinal): a replayed slice can never add a second result for a transaction. */
export async function insertResultRows(trx: BatchTrx, caps: StoreCapabilities, rows: readonly DeliveryResultsTable[]): Promise<void> {
  await bulkInsert(trx, caps, 'delivery_results', RESULT_COLUMNS, rows, 'on conflict (delivery_id, ordinal) do nothing');
}
