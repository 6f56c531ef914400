import { CompiledQuery, sql } from 'kysely';
import type { StoreCapabilities } from './capabilities.js';
import type { BatchTrx } from './delivery-repository.js';
import { BATCH_AUDIT_COLUMNS, BATCH_VACCINATION_COLUMNS, type DeliveryResultSlicesTable } from './delivery-tables.js';

/**
 * The set-based queries the batch processor runs inside one database transaction per slice of a delivery: one
 * query per slice instead of one per transaction (bulk person lookups, bulk inserts).
 */

// SQLite allows 32 766 bound parameters, PostgreSQL 65 535: 24 columns × 500 rows stays below both.
const ROWS_PER_STATEMENT = 500;
const KEYS_PER_QUERY = 900;

/** Statement texts by engine, table or query, and row or key count. */
const statements = new Map<string, string>();

/** `count` placeholders, comma-separated: `?` on SQLite, `$from+1`… on PostgreSQL. */
function placeholders(engine: StoreCapabilities['engine'], count: number, from = 0): string {
  return Array.from({ length: count }, (_, i) => (engine === 'postgres' ? `$${from + i + 1}` : '?')).join(',');
}

/** `count` tuples of `width` placeholders each, `tail` (literal values) closing each tuple. */
function tuples(engine: StoreCapabilities['engine'], count: number, width: number, tail = ''): string {
  return Array.from({ length: count }, (_, r) => `(${placeholders(engine, width, r * width)}${tail})`).join(',');
}

function* slices<T>(list: readonly T[], size: number): Generator<readonly T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

/**
 * Rows of `select … where <column> in (…)` for many keys, a statement per KEYS_PER_QUERY keys, as plain SQL text
 * cached by key count (the builder's per-value nodes cost more than the lookups: see bulkInsert).
 */
async function selectIn<R>(trx: BatchTrx, caps: StoreCapabilities, head: string, keys: readonly string[]): Promise<R[]> {
  const out: R[] = [];
  for (const part of slices(keys, KEYS_PER_QUERY)) {
    const key = `${caps.engine}|${head}|${part.length}`;
    let text = statements.get(key);
    if (text === undefined) {
      text = `${head} in (${placeholders(caps.engine, part.length)})`;
      statements.set(key, text);
    }
    const r = await trx.executeQuery<R>(CompiledQuery.raw(text, [...part]));
    for (const row of r.rows) out.push(row);
  }
  return out;
}

/** A person register entry as the batch reads it: what rule 9 and PATIENT_DATA_MISMATCH compare. */
export interface RegisteredPerson {
  readonly birthdate: string | null;
  readonly sex: string | null;
  readonly firstname: string;
  readonly familyname: string;
}

export async function findPersons(trx: BatchTrx, caps: StoreCapabilities, inszs: readonly string[]): Promise<Map<string, RegisteredPerson>> {
  const rows = await selectIn<RegisteredPerson & { insz: string }>(
    trx,
    caps,
    'select insz, birthdate, sex, firstname, familyname from persons where insz',
    inszs,
  );
  return new Map(rows.map((r) => [r.insz, r]));
}

export interface DoseKey {
  readonly id: string;
  readonly patient_insz: string;
  readonly vaccine_group: string;
  readonly administered_on: string;
  readonly registrant_key: string;
  readonly sender_key: string;
  readonly registered_at: string;
}

/** Active vaccinations of these patients (probable-duplicate candidates). */
export async function activeDoses(trx: BatchTrx, caps: StoreCapabilities, inszs: readonly string[]): Promise<readonly DoseKey[]> {
  return selectIn<DoseKey>(
    trx,
    caps,
    `select id, patient_insz, vaccine_group, administered_on, registrant_key, sender_key, registered_at from vaccinations where status = 'active' and patient_insz`,
    inszs,
  );
}

/** Stored vaccinations of one registrant by sender key (any patient, any status). */
export async function findBySenderKeys(trx: BatchTrx, registrantKey: string, keys: readonly string[]): Promise<readonly (DoseKey & { status: string })[]> {
  const out: (DoseKey & { status: string })[] = [];
  for (const part of slices(keys, KEYS_PER_QUERY)) {
    out.push(
      ...(await trx
        .selectFrom('vaccinations')
        .select(['id', 'patient_insz', 'vaccine_group', 'administered_on', 'registrant_key', 'sender_key', 'registered_at', 'status'])
        .where('registrant_key', '=', registrantKey)
        .where('sender_key', 'in', part)
        .execute()),
    );
  }
  return out;
}

/** A vaccination found under a sender key a slice offered again: what deciding replay or reused ids needs. */
export interface StoredUnderKey {
  readonly id: string;
  readonly patient_insz: string;
  readonly sender_key: string;
  readonly administered_on: string;
  readonly responsible_nihii: string | null;
  readonly content_digest: string | null;
  /** Only for a row without a digest (written by an older registry): its digest is then computed from the columns. */
  readonly item_xml: string | null;
}

/**
 * The vaccinations of one registrant stored under these sender keys (any patient, any status), with their content
 * digest (issue 11.1). The item is read only where the digest is missing: replays of a whole delivery do not
 * read every item back.
 */
export async function findStoredUnderKeys(trx: BatchTrx, registrantKey: string, keys: readonly string[]): Promise<readonly StoredUnderKey[]> {
  const out: StoredUnderKey[] = [];
  for (const part of slices(keys, KEYS_PER_QUERY)) {
    const rows = await trx
      .selectFrom('vaccinations')
      .select(['id', 'patient_insz', 'sender_key', 'administered_on', 'responsible_nihii', 'content_digest'])
      .select(sql<string | null>`case when content_digest is null then item_xml end`.as('item_xml'))
      .where('registrant_key', '=', registrantKey)
      .where('sender_key', 'in', part)
      .execute();
    for (const r of rows) out.push({ ...r, content_digest: r.content_digest ?? null });
  }
  return out;
}

/**
 * Removes replaced vaccinations logically and frees their sender key (renamed `replaced:<id>:<key>`) so the
 * replacing transaction can be stored under the same key.
 */
export async function supersede(
  trx: BatchTrx,
  olds: readonly Pick<DoseKey, 'id' | 'patient_insz' | 'sender_key'>[],
  by: string,
  at: string,
  reason: string,
): Promise<void> {
  for (const old of olds) {
    await trx
      .updateTable('vaccinations')
      .set({ status: 'removed', removed_at: at, removed_by: by, removed_reason: reason, sender_key: `replaced:${old.id}:${old.sender_key}` })
      .where('patient_insz', '=', old.patient_insz)
      .where('id', '=', old.id)
      .execute();
  }
}

/**
 * SQLite runs in this process: a prepared statement run once per row costs no round trip, and measured less CPU than
 * one multi-row statement for the same rows (vaccinations 6.8 vs 10.8 µs a row with `returning`, audit rows 3.6 vs
 * 4.6 µs), the changed-row count telling whether a row was inserted. PostgreSQL pays a round trip per statement:
 * multi-row statements there.
 */
const perRowInserts = (caps: StoreCapabilities): boolean => caps.engine === 'sqlite';

/**
 * A multi-row INSERT as plain SQL text with positional parameters. Why not the query builder here: for 500 rows × 24
 * columns it builds and compiles 12 000 value nodes per statement (a third of the slice's CPU and most of its
 * garbage); the text below depends only on the row count, so the statement caches reuse it.
 * @param rows - each in `columns` order
 * @param tail - literal values after the bound ones in each tuple (`, 'active'`), for columns named in `columns` too
 */
async function bulkInsert(
  trx: BatchTrx,
  caps: StoreCapabilities,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  suffix: string,
  tail: { columns: readonly string[]; values: string } = { columns: [], values: '' },
): Promise<unknown[]> {
  const out: unknown[] = [];
  const width = columns.length;
  const perStatement = Math.min(ROWS_PER_STATEMENT, Math.floor(caps.maxParameters / width));
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement);
    const key = `${caps.engine}|${table}|${part.length}|${suffix}`;
    let text = statements.get(key);
    if (text === undefined) {
      text = `insert into ${table} (${[...columns, ...tail.columns].join(',')}) values ${tuples(caps.engine, part.length, width, tail.values)} ${suffix}`;
      statements.set(key, text);
    }
    const params: unknown[] = [];
    for (const row of part) for (let c = 0; c < width; c++) params.push(row[c]);
    const r = await trx.executeQuery(CompiledQuery.raw(text, params));
    out.push(...r.rows);
  }
  return out;
}

/**
 * Runs one prepared statement per row on the transaction's connection (perRowInserts); returns each row's changed-row
 * count. The connection is the transaction's own, taken once for all rows.
 */
async function eachRow(trx: BatchTrx, text: string, rows: readonly (readonly unknown[])[]): Promise<number[]> {
  return trx.getExecutor().provideConnection(async (connection) => {
    const query = CompiledQuery.raw(text);
    const changed: number[] = [];
    for (const row of rows) {
      const r = await connection.executeQuery({ ...query, parameters: row });
      changed.push(Number(r.numAffectedRows ?? 0));
    }
    return changed;
  });
}

/** Where a bound row holds the vaccination's id (the inserted ones come back by id). */
const ID_AT = BATCH_VACCINATION_COLUMNS.indexOf('id');

const VACCINATION_CONFLICT = 'on conflict (patient_insz, registrant_key, sender_key) do nothing';
const ACTIVE = { columns: ['status'], values: `,'active'` };
const VACCINATION_INSERT = `insert into vaccinations (${[...BATCH_VACCINATION_COLUMNS, 'status'].join(',')}) values ${tuples('sqlite', 1, BATCH_VACCINATION_COLUMNS.length, ACTIVE.values)} ${VACCINATION_CONFLICT}`;
const AUDIT_INSERT = `insert into audit_log (${BATCH_AUDIT_COLUMNS.join(',')}) values ${tuples('sqlite', 1, BATCH_AUDIT_COLUMNS.length)}`;

/**
 * Insert-or-skip on the sender key (status `active`): which rows were actually inserted (the others were already
 * stored under the same patient, registrant and sender key).
 * @param rows - in BATCH_VACCINATION_COLUMNS order
 */
export async function insertVaccinationRows(trx: BatchTrx, caps: StoreCapabilities, rows: readonly (readonly unknown[])[]): Promise<boolean[]> {
  if (rows.length === 0) return [];
  if (perRowInserts(caps)) return (await eachRow(trx, VACCINATION_INSERT, rows)).map((n) => n === 1);
  const r = await bulkInsert(trx, caps, 'vaccinations', BATCH_VACCINATION_COLUMNS, rows, `${VACCINATION_CONFLICT} returning id`, ACTIVE);
  const ids = new Set((r as { id: string }[]).map((x) => x.id));
  return rows.map((row) => ids.has(row[ID_AT] as string));
}

/** @param rows - in BATCH_AUDIT_COLUMNS order */
export async function insertAuditRows(trx: BatchTrx, caps: StoreCapabilities, rows: readonly (readonly unknown[])[]): Promise<void> {
  if (rows.length === 0) return;
  if (perRowInserts(caps)) await eachRow(trx, AUDIT_INSERT, rows);
  else await bulkInsert(trx, caps, 'audit_log', BATCH_AUDIT_COLUMNS, rows, '');
}

/**
 * The results of one slice, in its transaction. Keyed by (delivery, first ordinal): a slice stored twice fails its
 * transaction instead of adding results (processing resumes after the committed ones, so it never should).
 */
export async function insertResultSlice(trx: BatchTrx, slice: DeliveryResultSlicesTable): Promise<void> {
  await trx.insertInto('delivery_result_slices').values(slice).execute();
}
