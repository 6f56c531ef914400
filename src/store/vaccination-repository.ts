import type { Kysely, Transaction } from 'kysely';
import type { NewAuditEntry } from '../registry/audit-entry.js';
import type { AuditFor, InsertResult, RemoveResult, SameDose, VaccinationStore } from '../registry/ports.js';
import type { NewVaccination, Removal, Vaccination } from '../registry/vaccination.js';
import type { StoreCapabilities } from './capabilities.js';
import type { AuditLogTable, Database, VaccinationsTable } from './database.js';
import type { HotSql, SqlRow } from './hot-sql.js';
import type { SqliteWriter, WriteDose, WriteGroup } from './sqlite-writer/sqlite-writer.js';
import { auditRow, toVaccination, vaccinationRow } from './rows.js';

/** Columns of a vaccination row (rows.ts), for the rows one statement can bind. */
const COLUMNS_PER_ROW = 26;
/**
 * Group commit on the write thread (SQLite). A group is handed over at the end of the event-loop turn in which its
 * first registration arrived (`setImmediate`: every registration that reached the insert in the same turn shares it);
 * the thread commits the groups that queued up while it was busy in one transaction (sqlite-writer/), so the busier
 * the registry, the more registrations share one fsync, and the thread never idles while registrations wait.
 * Concurrent registrations advance in step (their awaits interleave), so they reach the insert together, at the end
 * of the turn: an idle thread then gets them as TWO groups, the first committed on its own, so that the first
 * group's callers go on working on the event loop while the thread commits the second, instead of the loop and the
 * thread waiting for each other in turn.
 */
const GROUP_MAX = 256;
/** Fewer waiting requests than this go to an idle thread as one group: a split would add a commit for little overlap. */
const SPLIT_MIN = 16;
/**
 * How often one dose may find its probable duplicate changed since its audit row was built (each time it is built
 * again and the dose written in the next group): only another registration or removal of the same dose between two
 * group commits changes it, so a dose that keeps losing means something is wrong.
 */
const SAME_DOSE_ROUNDS = 8;

const SENDER_CONFLICT = 'on conflict (patient_insz, registrant_key, sender_key) do nothing';
const BY_SENDER = 'select * from vaccinations where patient_insz = ? and registrant_key = ? and sender_key = ?';
const SAME_DOSE =
  "select * from vaccinations where patient_insz = ? and vaccine_group = ? and administered_on = ? and status = 'active' order by registered_at";
/** A dose's probable duplicate (`SameDose`): parameters patient, group, date, then the dose's own registrant and sender key. */
const PROBABLE_DUPLICATE =
  'select id, registrant_key from vaccinations where patient_insz = ? and vaccine_group = ? and administered_on = ? ' +
  "and status = 'active' and not (registrant_key = ? and sender_key = ?) order by registered_at, id limit 1";
const HISTORY = "select * from vaccinations where patient_insz = ? and status = 'active' order by administered_on, registered_at";
const HISTORY_SINCE =
  "select * from vaccinations where patient_insz = ? and status = 'active' and administered_on >= ? order by administered_on, registered_at";

/** PostgreSQL: single-dose registrations that reach the insert within SINGLES_LINGER_MS share one statement. */
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

interface PendingInsert {
  readonly vs: readonly NewVaccination[];
  readonly audit: AuditFor;
  readonly resolve: (results: readonly InsertResult[]) => void;
  readonly reject: (error: unknown) => void;
  /** Per dose, once the write thread decided it. */
  readonly results: (InsertResult | undefined)[];
  /** Per dose: the probable duplicate its audit row is built with (the last one the write thread reported). */
  readonly sameDoses: (SameDose | undefined)[];
  /** Per dose: its row and stored form, built once. */
  prepared?: readonly PreparedDose[];
  /** Group commits that sent a dose of this request back (see SAME_DOSE_ROUNDS). */
  rounds: number;
}

interface PreparedDose {
  readonly values: readonly unknown[];
  readonly stored: Vaccination;
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
  readonly #hot: HotSql;
  #pending: PendingInsert[] = [];
  #dispatchScheduled = false;
  /** Groups handed to the write thread and not yet answered. */
  readonly #inFlight = new Set<Promise<void>>();
  #singles: PendingSingle[] = [];

  constructor(db: Kysely<Database>, caps: StoreCapabilities, hot: HotSql) {
    this.#db = db;
    this.#rowsPerStatement = Math.min(500, Math.floor(caps.maxParameters / COLUMNS_PER_ROW));
    this.#groupCommit = caps.groupCommit && hot.sqliteWriter !== undefined;
    this.#hot = hot;
  }

  async insertVaccination(v: NewVaccination, audit: AuditFor): Promise<InsertResult> {
    const [result] = await this.insertVaccinations([v], audit);
    if (!result) throw new Error('insertVaccinations returned no result');
    return result;
  }

  async insertVaccinations(vs: readonly NewVaccination[], audit: AuditFor): Promise<readonly InsertResult[]> {
    if (vs.length === 0) return [];
    if (!this.#groupCommit) {
      const [only] = vs;
      if (vs.length === 1 && only) return [await this.#insertSingle(only, audit)];
      return this.#db.transaction().execute((trx) => this.#write(trx, vs, audit));
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ vs, audit, resolve, reject, results: vs.map(() => undefined), sameDoses: vs.map(() => undefined), rounds: 0 });
      if (!this.#dispatchScheduled) {
        this.#dispatchScheduled = true;
        setImmediate(() => {
          this.#dispatchScheduled = false;
          this.#dispatch();
        });
      }
    });
  }

  /** Writes the registrations waiting for their group commit and waits for every group in flight (before closing). */
  async drain(): Promise<void> {
    while (this.#pending.length > 0 || this.#inFlight.size > 0) {
      this.#dispatch();
      await Promise.all(this.#inFlight);
    }
  }

  /** Hands the waiting registrations to the write thread. */
  #dispatch(): void {
    const idle = this.#inFlight.size === 0;
    let first = true;
    while (this.#pending.length > 0) {
      let size = Math.min(this.#pending.length, GROUP_MAX);
      const split = first && idle && size >= 2 * SPLIT_MIN;
      if (split) size = Math.ceil(size / 2);
      first = false;
      const group = this.#pending.splice(0, size);
      const running: Promise<void> = this.#flush(group, split).finally(() => {
        this.#inFlight.delete(running);
        if (this.#pending.length > 0) this.#dispatch();
      });
      this.#inFlight.add(running);
    }
  }

  /**
   * One group commit: every insert of the group shares one transaction, hence one fsync. Each caller is answered
   * only after that commit (durable acknowledgement). If the shared transaction fails, each request is retried
   * alone so one bad request cannot fail the others. A request whose dose found another probable duplicate than
   * its audit row names goes back to the queue with that dose's audit row rebuilt (see writeGroup).
   */
  async #flush(group: readonly PendingInsert[], commitAlone: boolean): Promise<void> {
    try {
      const writer = this.#hot.sqliteWriter;
      if (!writer) throw new Error('group commit needs the SQLite write thread');
      let failed = false;
      try {
        await writeGroup(writer, this.#db, group, commitAlone);
      } catch (error) {
        if (group.length === 1) throw error;
        failed = true;
      }
      for (const request of group) {
        if (failed) {
          try {
            await writeGroup(writer, this.#db, [request]);
          } catch (error) {
            request.reject(error);
            continue;
          }
        }
        this.#settle(request);
      }
    } catch (error) {
      for (const request of group) request.reject(error);
    }
  }

  /** Answers a request whose doses are all decided; queues it again otherwise (the next dispatch takes it first). */
  #settle(request: PendingInsert): void {
    const results: InsertResult[] = [];
    for (const result of request.results) if (result) results.push(result);
    if (results.length === request.vs.length) return request.resolve(results);
    if (request.rounds >= SAME_DOSE_ROUNDS) {
      return request.reject(new Error(`the probable duplicate of a dose changed ${request.rounds} times while it was being stored`));
    }
    this.#pending.unshift(request);
  }

  /** One transaction (PostgreSQL; SQLite without its write thread): each dose's probable duplicate is read first. */
  async #write(trx: Transaction<Database>, vs: readonly NewVaccination[], audit: AuditFor): Promise<readonly InsertResult[]> {
    const sameDoses: (SameDose | undefined)[] = [];
    for (const v of vs) sameDoses.push(await probableDuplicateIn(trx, v));
    const results: InsertResult[] = [];
    for (let i = 0; i < vs.length; i += this.#rowsPerStatement) {
      const chunk = await insertChunk(trx, vs.slice(i, i + this.#rowsPerStatement));
      for (const [k, r] of chunk.entries()) {
        const sameDose = sameDoses[i + k];
        results.push(r.inserted && sameDose ? { ...r, sameDose } : r);
      }
    }
    const audits = results.map((r, i) => auditRow(r.inserted ? audit(r.vaccination, true, r.sameDose) : audit(r.vaccination, false, undefined, vs[i])));
    for (let i = 0; i < audits.length; i += this.#rowsPerStatement) {
      await trx
        .insertInto('audit_log')
        .values(audits.slice(i, i + this.#rowsPerStatement))
        .execute();
    }
    return results;
  }

  /** PostgreSQL: reads the dose's probable duplicate, then queues the insert for the next shared statement (see #writeSingles). */
  async #insertSingle(v: NewVaccination, audit: AuditFor): Promise<InsertResult> {
    const [row] = await this.#hot.all(PROBABLE_DUPLICATE, [v.patientInsz, v.product.group, v.administeredOn, v.registrantKey, v.senderKey]);
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
   * PostgreSQL's registrations of one linger window in ONE autocommit statement (atomic on its own, no BEGIN/COMMIT
   * round trips, one WAL flush): insert-or-nothing of every dose and, for exactly the doses it inserted, their audit
   * rows. A dose not inserted (sender ids already stored — also by another dose of the same statement) or a failed
   * statement takes the general path alone, which reads the winner's row and audits the replay.
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
        .execute((trx) => this.#write(trx, [r.v], r.audit))
        .then(([result]) => (result ? r.resolve(result) : r.reject(new Error('insert returned no result'))), r.reject);
    }
  }

  /** On every registration: hand-written SQL (hot-sql.ts). */
  async findSameDose(patientInsz: string, group: string, administeredOn: string): Promise<readonly Vaccination[]> {
    const rows = await this.#hot.all(SAME_DOSE, [patientInsz, group, administeredOn]);
    return rows.map((r) => toVaccination(r as unknown as VaccinationsTable));
  }

  async getVaccination(patientInsz: string, id: string): Promise<Vaccination | undefined> {
    const row = await this.#db.selectFrom('vaccinations').selectAll().where('patient_insz', '=', patientInsz).where('id', '=', id).executeTakeFirst();
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

const insertTexts = new Map<string, string>();

/** `insert into <table> (<the row's columns>) values (?, …)`, cached: the row shapes are few and fixed. */
function insertText(table: 'vaccinations' | 'audit_log', row: VaccinationsTable | AuditLogTable): string {
  const columns = Object.keys(row).join(', ');
  const key = `${table}(${columns})`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    text = `insert into ${table} (${columns}) values (${Object.keys(row)
      .map(() => '?')
      .join(', ')})`;
    insertTexts.set(key, text);
  }
  return text;
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

/** Bind values in column order; absent optional columns bind as NULL (drivers refuse `undefined`). */
function values(row: VaccinationsTable | AuditLogTable): unknown[] {
  return Object.values(row).map((x) => x ?? null);
}

/** The write thread's statements and where their parameters are in a vaccination row (one row shape: cached). */
let groupTexts: Omit<WriteGroup, 'doses'> | undefined;

function writeTexts(row: VaccinationsTable, audit: AuditLogTable): Omit<WriteGroup, 'doses'> {
  if (groupTexts) return groupTexts;
  const columns = Object.keys(row);
  const at = (column: keyof VaccinationsTable): number => columns.indexOf(column);
  groupTexts = {
    insertSql: `${insertText('vaccinations', row)} ${SENDER_CONFLICT} returning id`,
    auditSql: insertText('audit_log', audit),
    bySenderSql: BY_SENDER,
    bySenderParams: [at('patient_insz'), at('registrant_key'), at('sender_key')],
    sameDoseSql: PROBABLE_DUPLICATE,
    sameDoseParams: [at('patient_insz'), at('vaccine_group'), at('administered_on'), at('registrant_key'), at('sender_key')],
  };
  return groupTexts;
}

/**
 * SQLite group commit: every undecided dose of every request in ONE transaction on the write thread
 * (sqlite-writer/). Per dose, the thread reads its probable duplicate first, under the write lock (so it sees every
 * committed dose and the earlier doses of the same group): when it is the one the dose's audit row names, it
 * inserts or skips the dose on its sender key (the unique constraint decides, see the box above) with that audit
 * row, and returns the stored row of a skipped one; when it is another, the dose is not written and the thread
 * returns it, and the caller queues the dose again with its audit row rebuilt (rare: the same dose registered
 * between two group commits). The audit rows are built on the event loop, where the registry's texts are. A
 * replay's audit row (it names the stored vaccination, known only now) is written afterwards, before the replay
 * is answered: replays are rare and change nothing, so they do not make every group carry a second audit row.
 * The decisions are recorded in the requests only once everything is written.
 */
async function writeGroup(writer: SqliteWriter, db: Kysely<Database>, requests: readonly PendingInsert[], commitAlone = false): Promise<void> {
  const doses: WriteDose[] = [];
  const owners: { readonly request: PendingInsert; readonly n: number }[] = [];
  let texts: Omit<WriteGroup, 'doses'> | undefined;
  for (const request of requests) {
    const prepared = (request.prepared ??= request.vs.map((v): PreparedDose => {
      const row = vaccinationRow(v);
      return { values: values(row), stored: toVaccination(row) };
    }));
    for (const [n, dose] of prepared.entries()) {
      if (request.results[n]) continue;
      const sameDose = request.sameDoses[n];
      const audit = auditRow(request.audit(dose.stored, true, sameDose));
      texts ??= writeTexts(vaccinationRow(request.vs[n]!), audit);
      doses.push({ values: dose.values, audit: values(audit), sameDose: sameDose?.id ?? null });
      owners.push({ request, n });
    }
  }
  if (!texts) return;
  const written = await writer.write({ ...texts, doses }, commitAlone);
  const replayAudits: AuditLogTable[] = [];
  const decided: (() => void)[] = [];
  const again = new Set<PendingInsert>();
  for (const [k, { request, n }] of owners.entries()) {
    const outcome = written[k];
    if (outcome === null) {
      const sameDose = request.sameDoses[n];
      const vaccination = request.prepared![n]!.stored;
      decided.push(() => (request.results[n] = { inserted: true, vaccination, ...(sameDose && { sameDose }) }));
    } else if (outcome && 'stored' in outcome) {
      const original = toVaccination(outcome.stored as unknown as VaccinationsTable);
      replayAudits.push(auditRow(request.audit(original, false, undefined, request.vs[n])));
      decided.push(() => (request.results[n] = { inserted: false, vaccination: original }));
    } else if (outcome) {
      const sameDose = outcome.sameDose ? sameDoseOf(outcome.sameDose) : undefined;
      decided.push(() => (request.sameDoses[n] = sameDose));
      again.add(request);
    } else {
      throw new Error('the SQLite write thread answered fewer doses than it was given');
    }
  }
  if (replayAudits.length > 0) await db.insertInto('audit_log').values(replayAudits).execute();
  for (const decide of decided) decide();
  for (const request of again) request.rounds += 1;
}

function sameDoseOf(row: SqlRow): SameDose {
  return { id: String(row.id), registrantKey: String(row.registrant_key) };
}

/** A dose's probable duplicate, read inside a Kysely transaction. */
async function probableDuplicateIn(trx: Transaction<Database>, v: NewVaccination): Promise<SameDose | undefined> {
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
