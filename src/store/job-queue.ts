import type { Kysely, Selectable } from 'kysely';
import type { StoreCapabilities } from './capabilities.js';
import type { Database, JobsTable } from './database.js';

export interface Job {
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly lockedBy?: string;
}

export interface ClaimOptions {
  /** A running job whose lock is older than this is considered abandoned (crashed worker) and claimable again. */
  readonly leaseMs?: number;
  readonly now?: Date;
}

/**
 * A portable job table for background work (batch processing).
 *
 * ╔═════════════════════════════════════════════════════════════════════════════════════════════════════╗
 * ║ DELIVERY — AT-LEAST-ONCE: a claimed job whose worker dies is claimed again after its lease. Workers   ║
 * ║ must be idempotent (registrations are, by their unique sender key). Complete a job only after its    ║
 * ║ results are committed.                                                                               ║
 * ╚═════════════════════════════════════════════════════════════════════════════════════════════════════╝
 */
export class SqlJobQueue {
  readonly #db: Kysely<Database>;
  readonly #caps: StoreCapabilities;

  constructor(db: Kysely<Database>, caps: StoreCapabilities) {
    this.#db = db;
    this.#caps = caps;
  }

  /**
   * Queues a job.
   * @param id - unique job id (e.g. the batch transactionId); queueing an existing id is a no-op
   * @param kind - queue name
   * @param payload - JSON-serialisable
   * @param runAfter - earliest start
   */
  async enqueue(id: string, kind: string, payload: unknown, runAfter: Date = new Date()): Promise<void> {
    const now = new Date().toISOString();
    await this.#db
      .insertInto('jobs')
      .values({
        id,
        kind,
        payload: JSON.stringify(payload),
        status: 'queued',
        locked_by: null,
        locked_at: null,
        run_after: runAfter.toISOString(),
        created_at: now,
        result: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  /**
   * Claims up to `limit` due jobs of a kind for one worker: `FOR UPDATE SKIP LOCKED` where the engine supports it
   * (parallel workers never wait on or double-claim a row), a plain `UPDATE … RETURNING` on SQLite (one writer).
   */
  async claimJobs(kind: string, limit: number, workerId: string, opts: ClaimOptions = {}): Promise<readonly Job[]> {
    const now = (opts.now ?? new Date()).toISOString();
    const staleBefore = new Date((opts.now ?? new Date()).getTime() - (opts.leaseMs ?? 10 * 60_000)).toISOString();
    const rows = await this.#db.transaction().execute(async (trx) => {
      let due = trx
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', kind)
        .where('run_after', '<=', now)
        .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('locked_at', '<', staleBefore)])]))
        .orderBy('created_at')
        .limit(limit);
      if (this.#caps.supportsSkipLocked) due = due.forUpdate().skipLocked();
      return trx
        .updateTable('jobs')
        .set((eb) => ({ status: 'running', locked_by: workerId, locked_at: now, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', due)
        .returningAll()
        .execute();
    });
    return rows.map(toJob);
  }

  async completeJob(id: string, result?: unknown): Promise<void> {
    await this.#db
      .updateTable('jobs')
      .set({ status: 'done', locked_by: null, result: result === undefined ? null : JSON.stringify(result) })
      .where('id', '=', id)
      .execute();
  }

  /** Marks a job failed, or re-queues it for `retryAt`. */
  async failJob(id: string, error: string, retryAt?: Date): Promise<void> {
    await this.#db
      .updateTable('jobs')
      .set(
        retryAt
          ? { status: 'queued', locked_by: null, locked_at: null, run_after: retryAt.toISOString(), result: JSON.stringify({ error }) }
          : { status: 'failed', result: JSON.stringify({ error }) },
      )
      .where('id', '=', id)
      .execute();
  }

  async getJob(id: string): Promise<(Job & { readonly status: string; readonly result?: unknown }) | undefined> {
    const row = await this.#db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { ...toJob(row), status: row.status, ...(row.result !== null && { result: JSON.parse(row.result) as unknown }) } : undefined;
  }
}

function toJob(row: Selectable<JobsTable>): Job {
  return Object.freeze({
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    attempts: Number(row.attempts),
    ...(row.locked_by !== null && { lockedBy: row.locked_by }),
  });
}
