import type { Transaction } from 'kysely';
import type { AuditFor, InsertResult, SameDose } from '../registry/ports.js';
import type { NewVaccination } from '../registry/vaccination.js';
import type { StoreCapabilities } from './capabilities.js';
import type { Database } from './database.js';
import { auditRow, toVaccination, vaccinationRow } from './rows.js';
import { probableDuplicateIn } from './same-dose-sql.js';

/** Columns of a vaccination row (rows.ts), for the rows one statement can bind. */
const COLUMNS_PER_ROW = 26;

/** Rows per multi-row statement: within the engine's bound-parameter limit, and at most 500. */
export function rowsPerStatement(caps: StoreCapabilities): number {
  return Math.min(500, Math.floor(caps.maxParameters / COLUMNS_PER_ROW));
}

/**
 * Doses in one Kysely transaction, the engine-neutral write (PostgreSQL's requests of several doses, and a single
 * registration its shared statement did not store): each dose's probable duplicate is read first, then the doses
 * are inserted or skipped on their sender key and every one gets its audit row.
 */
export async function writeInTransaction(
  trx: Transaction<Database>,
  vs: readonly NewVaccination[],
  audit: AuditFor,
  rowsPerStatement: number,
): Promise<readonly InsertResult[]> {
  const sameDoses: (SameDose | undefined)[] = [];
  for (const v of vs) sameDoses.push(await probableDuplicateIn(trx, v));
  const results: InsertResult[] = [];
  for (let i = 0; i < vs.length; i += rowsPerStatement) {
    const chunk = await insertChunk(trx, vs.slice(i, i + rowsPerStatement));
    for (const [k, r] of chunk.entries()) {
      const sameDose = sameDoses[i + k];
      results.push(r.inserted && sameDose ? { ...r, sameDose } : r);
    }
  }
  const audits = results.map((r, i) => auditRow(r.inserted ? audit(r.vaccination, true, r.sameDose) : audit(r.vaccination, false, undefined, vs[i])));
  for (let i = 0; i < audits.length; i += rowsPerStatement) {
    await trx
      .insertInto('audit_log')
      .values(audits.slice(i, i + rowsPerStatement))
      .execute();
  }
  return results;
}

/** Insert-or-nothing on the sender key; a dose not inserted reads the row stored under its sender key. */
async function insertChunk(trx: Transaction<Database>, vs: readonly NewVaccination[]): Promise<InsertResult[]> {
  const inserted = await trx
    .insertInto('vaccinations')
    .values(vs.map(vaccinationRow))
    .onConflict((oc) => oc.columns(['patient_insz', 'registrant_key', 'sender_key']).doNothing())
    .returning(['id'])
    .execute();
  const insertedIds = new Set(inserted.map((r) => r.id));
  const results: InsertResult[] = [];
  for (const v of vs) {
    if (insertedIds.has(v.id)) {
      results.push({ inserted: true, vaccination: toVaccination(vaccinationRow(v)) });
      continue;
    }
    const existing = await trx
      .selectFrom('vaccinations')
      .selectAll()
      .where('patient_insz', '=', v.patientInsz)
      .where('registrant_key', '=', v.registrantKey)
      .where('sender_key', '=', v.senderKey)
      .executeTakeFirstOrThrow();
    results.push({ inserted: false, vaccination: toVaccination(existing) });
  }
  return results;
}
