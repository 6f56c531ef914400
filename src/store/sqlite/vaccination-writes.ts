import type { Kysely } from 'kysely';
import type { AuditFor, InsertResult, SameDose } from '../../registry/ports.js';
import type { NewVaccination, Vaccination } from '../../registry/vaccination.js';
import type { AuditLogTable, Database, VaccinationsTable } from '../database.js';
import { auditRow, toVaccination, vaccinationRow } from '../rows.js';
import { PROBABLE_DUPLICATE, PROBABLE_DUPLICATE_COLUMNS, sameDoseOf } from '../same-dose-sql.js';
import type { SqliteWriter, WriteDose, WriteGroup } from '../sqlite-writer/sqlite-writer.js';
import { SENDER_CONFLICT, values, type VaccinationWrites } from '../vaccination-writes.js';

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

const BY_SENDER = 'select * from vaccinations where patient_insz = ? and registrant_key = ? and sender_key = ?';

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

/** SQLite's writes: every registration through a group commit on the write thread (see GROUP_MAX). */
export class SqliteVaccinationWrites implements VaccinationWrites {
  readonly #db: Kysely<Database>;
  readonly #writer: SqliteWriter;
  #pending: PendingInsert[] = [];
  #dispatchScheduled = false;
  /** Groups handed to the write thread and not yet answered. */
  readonly #inFlight = new Set<Promise<void>>();

  /**
   * @param db - the event loop's connection (a replay's audit row)
   * @param writer - the write thread
   */
  constructor(db: Kysely<Database>, writer: SqliteWriter) {
    this.#db = db;
    this.#writer = writer;
  }

  insertVaccinations(vs: readonly NewVaccination[], audit: AuditFor): Promise<readonly InsertResult[]> {
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
      const writer = this.#writer;
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
    sameDoseParams: PROBABLE_DUPLICATE_COLUMNS.map(at),
  };
  return groupTexts;
}

/**
 * SQLite group commit: every undecided dose of every request in ONE transaction on the write thread
 * (sqlite-writer/). Per dose, the thread reads its probable duplicate first, under the write lock (so it sees every
 * committed dose and the earlier doses of the same group): when it is the one the dose's audit row names, it
 * inserts or skips the dose on its sender key (the unique constraint decides, see the box on SqlVaccinationStore)
 * with that audit row, and returns the stored row of a skipped one; when it is another, the dose is not written and
 * the thread returns it, and the caller queues the dose again with its audit row rebuilt (rare: the same dose
 * registered between two group commits). The audit rows are built on the event loop, where the registry's texts
 * are. A replay's audit row (it names the stored vaccination, known only now) is written afterwards, before the
 * replay is answered: replays are rare and change nothing, so they do not make every group carry a second audit
 * row. The decisions are recorded in the requests only once everything is written.
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
