import type { Kysely, Transaction } from 'kysely';
import type { NewAuditEntry } from '../registry/audit-entry.js';
import type { InsertResult, RemoveResult, VaccinationStore } from '../registry/ports.js';
import type { NewVaccination, Removal, Vaccination } from '../registry/vaccination.js';
import type { StoreCapabilities } from './capabilities.js';
import type { Database } from './database.js';
import { auditRow, toVaccination, vaccinationRow } from './rows.js';

const COLUMNS_PER_ROW = 24;
/**
 * Group commit tuning: a group is written when it reaches GROUP_MAX requests or GROUP_LINGER_MS after its first
 * request. The linger (shorter than one fsync, ~5 ms here) lets concurrent registrations finish their reads and
 * join the same durable commit; a lone registration waits at most this long.
 */
const GROUP_MAX = 256;
const GROUP_LINGER_MS = 2;
type AuditFor = (stored: Vaccination, inserted: boolean) => NewAuditEntry;

interface PendingInsert {
  readonly vs: readonly NewVaccination[];
  readonly audit: AuditFor;
  readonly resolve: (results: readonly InsertResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Stored vaccinations on SQL.
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
  readonly #rowsPerStatement: number;
  readonly #groupCommit: boolean;
  #pending: PendingInsert[] = [];
  #flushScheduled = false;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(db: Kysely<Database>, caps: StoreCapabilities) {
    this.#db = db;
    this.#rowsPerStatement = Math.min(500, Math.floor(caps.maxParameters / COLUMNS_PER_ROW));
    this.#groupCommit = caps.groupCommit;
  }

  async insertVaccination(v: NewVaccination, audit: AuditFor): Promise<InsertResult> {
    const [result] = await this.insertVaccinations([v], audit);
    if (!result) throw new Error('insertVaccinations returned no result');
    return result;
  }

  async insertVaccinations(vs: readonly NewVaccination[], audit: AuditFor): Promise<readonly InsertResult[]> {
    if (vs.length === 0) return [];
    if (!this.#groupCommit) return this.#db.transaction().execute((trx) => this.#write(trx, vs, audit));
    return new Promise((resolve, reject) => {
      this.#pending.push({ vs, audit, resolve, reject });
      if (this.#pending.length >= GROUP_MAX) {
        this.#flushNow();
      } else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        this.#timer = setTimeout(() => this.#flushNow(), GROUP_LINGER_MS);
      }
    });
  }

  /**
   * Group commit: every insert requested since the last flush shares one transaction, hence one fsync. Each caller
   * is answered only after that commit (durable acknowledgement). If the shared transaction fails, each request
   * is retried alone so one bad request cannot fail the others.
   */
  #flushNow(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushScheduled = true;
    // One flush at a time: the next group forms while this one commits.
    this.#flushing = this.#flushing.then(() => this.#flush());
  }

  async #flush(): Promise<void> {
    const group = this.#pending;
    this.#pending = [];
    try {
      if (group.length === 0) return;
      if (group.length === 1 && group[0]) {
        const only = group[0];
        only.resolve(await this.#db.transaction().execute((trx) => this.#write(trx, only.vs, only.audit)));
        return;
      }
      let results: (readonly InsertResult[])[] | undefined;
      try {
        results = await this.#db.transaction().execute(async (trx) => {
          const out: (readonly InsertResult[])[] = [];
          for (const request of group) out.push(await this.#write(trx, request.vs, request.audit));
          return out;
        });
      } catch {
        results = undefined;
      }
      if (results) {
        group.forEach((request, n) => request.resolve(results[n] ?? []));
        return;
      }
      for (const request of group) {
        try {
          request.resolve(await this.#db.transaction().execute((trx) => this.#write(trx, request.vs, request.audit)));
        } catch (error) {
          request.reject(error);
        }
      }
    } catch (error) {
      for (const request of group) request.reject(error);
    } finally {
      this.#flushScheduled = false;
      if (this.#pending.length > 0 && !this.#timer) {
        this.#flushScheduled = true;
        this.#timer = setTimeout(() => this.#flushNow(), GROUP_LINGER_MS);
      }
    }
  }

  async #write(trx: Transaction<Database>, vs: readonly NewVaccination[], audit: AuditFor): Promise<readonly InsertResult[]> {
    const results: InsertResult[] = [];
    for (let i = 0; i < vs.length; i += this.#rowsPerStatement) {
      results.push(...(await insertChunk(trx, vs.slice(i, i + this.#rowsPerStatement))));
    }
    const audits = results.map((r) => auditRow(audit(r.vaccination, r.inserted)));
    for (let i = 0; i < audits.length; i += this.#rowsPerStatement) {
      await trx.insertInto('audit_log').values(audits.slice(i, i + this.#rowsPerStatement)).execute();
    }
    return results;
  }

  async findSameDose(patientInsz: string, group: string, administeredOn: string): Promise<readonly Vaccination[]> {
    const rows = await this.#db
      .selectFrom('vaccinations')
      .selectAll()
      .where('patient_insz', '=', patientInsz)
      .where('vaccine_group', '=', group)
      .where('administered_on', '=', administeredOn)
      .where('status', '=', 'active')
      .orderBy('registered_at')
      .execute();
    return rows.map(toVaccination);
  }

  async getVaccination(patientInsz: string, id: string): Promise<Vaccination | undefined> {
    const row = await this.#db
      .selectFrom('vaccinations')
      .selectAll()
      .where('patient_insz', '=', patientInsz)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toVaccination(row) : undefined;
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
      const existing = await trx
        .selectFrom('vaccinations')
        .selectAll()
        .where('patient_insz', '=', patientInsz)
        .where('id', '=', id)
        .executeTakeFirst();
      return existing ? { removed: false, vaccination: toVaccination(existing) } : { removed: false };
    });
  }

  async history(patientInsz: string, since?: string): Promise<readonly Vaccination[]> {
    let q = this.#db
      .selectFrom('vaccinations')
      .selectAll()
      .where('patient_insz', '=', patientInsz)
      .where('status', '=', 'active');
    if (since !== undefined) q = q.where('administered_on', '>=', since);
    const rows = await q.orderBy('administered_on').orderBy('registered_at').execute();
    return rows.map(toVaccination);
  }
}

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
