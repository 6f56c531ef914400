import type { Kysely } from 'kysely';
import type { AuditFor, InsertResult, SameDose } from '../../registry/ports.js';
import type { NewVaccination } from '../../registry/vaccination.js';
import type { StoreCapabilities } from '../capabilities.js';
import type { AuditLogTable, Database, VaccinationsTable } from '../database.js';
import type { HotSql } from '../hot-sql.js';
import { auditRow, toVaccination, vaccinationRow } from '../rows.js';
import { PROBABLE_DUPLICATE, probableDuplicateParams, sameDoseOf } from '../same-dose-sql.js';
import { rowsPerStatement, writeInTransaction } from '../vaccination-transaction-writes.js';
import { SENDER_CONFLICT, values, type VaccinationWrites } from '../vaccination-writes.js';

/** Single-dose registrations that reach the insert within SINGLES_LINGER_MS share one statement. */
const SINGLES_MAX = 64;
/** Short: PostgreSQL commits in parallel anyway; this only gathers the registrations whose reads finished together. */
const SINGLES_LINGER_MS = 1;

interface PendingSingle {
  readonly v: NewVaccination;
  readonly audit: AuditFor;
  readonly sameDose: SameDose | undefined;
  readonly resolve: (result: InsertResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * PostgreSQL's writes (and those of a SQLite store without its write thread): a single-dose registration reads its
 * probable duplicate just before its insert and shares one statement with the others of its linger window
 * (#writeSingles); a request of several doses is written in one Kysely transaction (vaccination-transaction-writes.ts).
 */
export class PostgresVaccinationWrites implements VaccinationWrites {
  readonly #db: Kysely<Database>;
  readonly #hot: HotSql;
  readonly #rowsPerStatement: number;
  #singles: PendingSingle[] = [];

  constructor(db: Kysely<Database>, caps: StoreCapabilities, hot: HotSql) {
    this.#db = db;
    this.#hot = hot;
    this.#rowsPerStatement = rowsPerStatement(caps);
  }

  async insertVaccinations(vs: readonly NewVaccination[], audit: AuditFor): Promise<readonly InsertResult[]> {
    const [only] = vs;
    if (vs.length === 1 && only) return [await this.#insertSingle(only, audit)];
    return this.#db.transaction().execute((trx) => writeInTransaction(trx, vs, audit, this.#rowsPerStatement));
  }

  /**
   * Waits for nothing (as before the engines had a file each): registrations still in their linger window are not
   * waited for, so closing the store within SINGLES_LINGER_MS of one fails it.
   */
  drain(): Promise<void> {
    return Promise.resolve();
  }

  /** Reads the dose's probable duplicate, then queues the insert for the next shared statement (see #writeSingles). */
  async #insertSingle(v: NewVaccination, audit: AuditFor): Promise<InsertResult> {
    const [row] = await this.#hot.all(PROBABLE_DUPLICATE, probableDuplicateParams(v));
    const sameDose = row ? sameDoseOf(row) : undefined;
    return new Promise((resolve, reject) => {
      this.#singles.push({ v, audit, sameDose, resolve, reject });
      if (this.#singles.length === 1) setTimeout(() => this.#flushSingles(), SINGLES_LINGER_MS);
    });
  }

  #flushSingles(): void {
    const pending = this.#singles;
    this.#singles = [];
    for (let i = 0; i < pending.length; i += SINGLES_MAX) void this.#writeSingles(pending.slice(i, i + SINGLES_MAX));
  }

  /**
   * The registrations of one linger window in ONE autocommit statement (atomic on its own, no BEGIN/COMMIT round
   * trips, one WAL flush): insert-or-nothing of every dose and, for exactly the doses it inserted, their audit rows.
   * A dose not inserted (sender ids already stored — also by another dose of the same statement) or a failed
   * statement takes the transaction path alone, which reads the winner's row and audits the replay.
   */
  async #writeSingles(group: readonly PendingSingle[]): Promise<void> {
    const rows = group.map((r) => vaccinationRow(r.v));
    const stored = rows.map(toVaccination);
    let inserted: ReadonlySet<string> | undefined;
    try {
      const entries = group.map((r, i) => auditRow(r.audit(stored[i]!, true, r.sameDose)));
      const written = await this.#hot.all(singlesText(rows[0]!, entries[0]!, group.length), [...rows.flatMap(values), ...entries.flatMap(values)]);
      inserted = new Set(written.map((w) => String(w.vaccination_id)));
    } catch {
      inserted = undefined;
    }
    for (const [i, r] of group.entries()) {
      if (inserted?.has(r.v.id)) {
        r.resolve({ inserted: true, vaccination: stored[i]!, ...(r.sameDose && { sameDose: r.sameDose }) });
        continue;
      }
      this.#db
        .transaction()
        .execute((trx) => writeInTransaction(trx, [r.v], r.audit, this.#rowsPerStatement))
        .then(([result]) => (result ? r.resolve(result) : r.reject(new Error('insert returned no result'))), r.reject);
    }
  }
}

const singlesTexts = new Map<string, string>();

/** The shared statement of #writeSingles for `count` doses, cached per count. */
function singlesText(row: VaccinationsTable, entry: AuditLogTable, count: number): string {
  const columns = Object.keys(row);
  const auditColumns = Object.keys(entry).join(', ');
  const key = `${count}:${columns.join(',')}:${auditColumns}`;
  let text = singlesTexts.get(key);
  if (text === undefined) {
    const tuple = (n: number): string => `(${Array.from({ length: n }, () => '?').join(', ')})`;
    const tuples = (n: number): string => Array.from({ length: count }, () => tuple(n)).join(', ');
    text =
      `with v as (insert into vaccinations (${columns.join(', ')}) values ${tuples(columns.length)} ${SENDER_CONFLICT} returning id) ` +
      `insert into audit_log (${auditColumns}) select a.* from (values ${tuples(Object.keys(entry).length)}) as a (${auditColumns}) ` +
      'join v on v.id = a.vaccination_id returning vaccination_id';
    singlesTexts.set(key, text);
  }
  return text;
}
