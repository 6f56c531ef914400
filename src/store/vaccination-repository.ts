import type { Kysely } from 'kysely';
import type { NewAuditEntry } from '../registry/audit-entry.js';
import type { AuditFor, InsertResult, RemoveResult, VaccinationStore } from '../registry/ports.js';
import type { NewVaccination, Removal, Vaccination, VaccinationStatus } from '../registry/vaccination.js';
import type { StoreCapabilities } from './capabilities.js';
import type { Database, VaccinationsTable } from './database.js';
import type { HotSql } from './hot-sql.js';
import { PostgresVaccinationWrites } from './postgres/vaccination-writes.js';
import { auditRow, toVaccination } from './rows.js';
import { SAME_DOSE_ROWS } from './same-dose-sql.js';
import { SqliteVaccinationWrites } from './sqlite/vaccination-writes.js';
import type { VaccinationWrites } from './vaccination-writes.js';

const HISTORY = "select * from vaccinations where patient_insz = ? and status = 'active' order by administered_on, registered_at";
const HISTORY_SINCE =
  "select * from vaccinations where patient_insz = ? and status = 'active' and administered_on >= ? order by administered_on, registered_at";

/**
 * Stored vaccinations on SQL: the reads and the removal, the same on both engines, and the inserts through the
 * engine's write strategy (sqlite/ or postgres/ `vaccination-writes.ts`).
 *
 * ╔══════════════════════════════════════════════════════════════════════════════════════════════════════╗
 * ║ IDEMPOTENCY — READ BEFORE CHANGING: `INSERT … ON CONFLICT (patient_insz, registrant_key, sender_key)   ║
 * ║ DO NOTHING RETURNING` decides who stores a dose. A loser reads the winner's row afterwards (PostgreSQL ║
 * ║ waits for the winner's commit; READ COMMITTED gives the next statement a fresh snapshot). Never       ║
 * ║ replace this by a SELECT-then-INSERT: two parallel submissions would both insert.                     ║
 * ╚══════════════════════════════════════════════════════════════════════════════════════════════════════╝
 */
export class SqlVaccinationStore implements VaccinationStore {
  readonly #db: Kysely<Database>;
  readonly #hot: HotSql;
  readonly #writes: VaccinationWrites;

  constructor(db: Kysely<Database>, caps: StoreCapabilities, hot: HotSql) {
    this.#db = db;
    this.#hot = hot;
    const writer = hot.sqliteWriter;
    this.#writes = caps.groupCommit && writer !== undefined ? new SqliteVaccinationWrites(db, writer) : new PostgresVaccinationWrites(db, caps, hot);
  }

  async insertVaccination(v: NewVaccination, audit: AuditFor): Promise<InsertResult> {
    const [result] = await this.insertVaccinations([v], audit);
    if (!result) throw new Error('insertVaccinations returned no result');
    return result;
  }

  async insertVaccinations(vs: readonly NewVaccination[], audit: AuditFor): Promise<readonly InsertResult[]> {
    if (vs.length === 0) return [];
    return this.#writes.insertVaccinations(vs, audit);
  }

  /** Writes the registrations waiting for their group commit and waits for every group in flight (before closing). */
  drain(): Promise<void> {
    return this.#writes.drain();
  }

  /** On every registration: hand-written SQL (hot-sql.ts). */
  async findSameDose(patientInsz: string, group: string, administeredOn: string): Promise<readonly Vaccination[]> {
    const rows = await this.#hot.all(SAME_DOSE_ROWS, [patientInsz, group, administeredOn]);
    return rows.map((r) => toVaccination(r as unknown as VaccinationsTable));
  }

  async getVaccination(patientInsz: string, id: string): Promise<Vaccination | undefined> {
    const row = await this.#db.selectFrom('vaccinations').selectAll().where('patient_insz', '=', patientInsz).where('id', '=', id).executeTakeFirst();
    return row ? toVaccination(row) : undefined;
  }

  /** By `vaccinations_id_ix` (migration 0014). */
  async patientOf(id: string): Promise<{ readonly patientInsz: string; readonly status: VaccinationStatus } | undefined> {
    const row = await this.#db.selectFrom('vaccinations').select(['patient_insz', 'status']).where('id', '=', id).executeTakeFirst();
    return row ? { patientInsz: row.patient_insz, status: row.status as VaccinationStatus } : undefined;
  }

  async removeVaccination(patientInsz: string, id: string, removal: Removal, audit: NewAuditEntry): Promise<RemoveResult> {
    return this.#db.transaction().execute(async (trx): Promise<RemoveResult> => {
      const row = await trx
        .updateTable('vaccinations')
        .set({ status: 'removed', removed_at: removal.at, removed_by: removal.by, removed_reason: removal.reason ?? null })
        .where('patient_insz', '=', patientInsz)
        .where('id', '=', id)
        .where('status', '=', 'active')
        .returningAll()
        .executeTakeFirst();
      if (row) {
        await trx.insertInto('audit_log').values(auditRow(audit)).execute();
        return { removed: true, vaccination: toVaccination(row) };
      }
      const existing = await trx.selectFrom('vaccinations').selectAll().where('patient_insz', '=', patientInsz).where('id', '=', id).executeTakeFirst();
      return existing ? { removed: false, vaccination: toVaccination(existing) } : { removed: false };
    });
  }

  /** Hand-written SQL (hot-sql.ts): the patient's rows by the primary key's prefix, sorted (a person has few; migration 0009). */
  async history(patientInsz: string, since?: string): Promise<readonly Vaccination[]> {
    const rows = since === undefined ? await this.#hot.all(HISTORY, [patientInsz]) : await this.#hot.all(HISTORY_SINCE, [patientInsz, since]);
    return rows.map((r) => toVaccination(r as unknown as VaccinationsTable));
  }
}
