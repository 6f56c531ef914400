import { type Kysely, type Selectable, type Transaction } from 'kysely';
import type { StoreCapabilities } from './capabilities.js';
import type { BatchDatabase, DeliveriesTable, DeliveryResultSlicesTable } from './delivery-tables.js';
import type { Store } from './store.js';

export type DeliveryStatus = 'accepted' | 'processing' | 'processed' | 'failed' | 'expired';

/** A signed delivery's replay-cache entry: stored with the delivery, in the same transaction. */
export interface ReplayEntry {
  /** SHA-256 (hex) of the request's ds:SignatureValue. */
  readonly signatureHash: string;
  /** Until when a request with this signature could still pass the Timestamp check (ISO). */
  readonly expiresAt: string;
}

/** What the intake stores for an accepted delivery (the message itself comes as chunks). */
export interface NewDelivery {
  readonly id: string;
  readonly operation: 'Aanleveren' | 'Aanvulling';
  readonly organisationKey: string;
  readonly userCode: string;
  readonly softwareId: string;
  /** JSON of the authenticated caller identity. */
  readonly caller: string;
  readonly receivedAt: string;
}

export interface Delivery extends NewDelivery {
  readonly bytes: number;
  readonly chunks: number;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lockedBy?: string;
  readonly processedAt?: string;
  readonly expiresAt?: string;
  readonly transactions: number;
  readonly accepted: number;
  readonly refused: number;
  readonly failure?: string;
  /** After a failed attempt: the earliest next claim. */
  readonly runAfter?: string;
}

export type ResultSliceRow = Pick<DeliveryResultSlicesTable, 'first_ordinal' | 'results'>;
export type BatchTrx = Transaction<BatchDatabase>;

/** Thrown inside a batch commit when another worker took the delivery over (our lease expired): roll back. */
export class LeaseLostError extends Error {
  constructor(id: string) {
    super(`lease on delivery ${id} lost`);
  }
}

/** Size of a stored message piece: big enough for few rows, small enough to read one at a time. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Deliveries, their raw messages and their per-transaction results (migration 0002-batch), on SQLite or PostgreSQL.
 * The processing state lives on the delivery row itself (status + lease), claimed like a job.
 */
export class DeliveryRepository {
  readonly db: Kysely<BatchDatabase>;
  readonly caps: StoreCapabilities;

  constructor(db: Kysely<BatchDatabase>, caps: StoreCapabilities) {
    this.db = db;
    this.caps = caps;
  }

  /** The repository over an opened, migrated store. */
  static of(store: Store): DeliveryRepository {
    return new DeliveryRepository(store.db as unknown as Kysely<BatchDatabase>, store.capabilities);
  }

  /**
   * Stores an accepted delivery and its message in ONE transaction; resolves only after the commit (SQLite
   * `synchronous=FULL` fsyncs the WAL, PostgreSQL waits for its WAL flush), so the answer sent afterwards never
   * names a delivery a crash could lose. Reads the message piece by piece: memory does not grow with its size.
   */
  async storeDelivery(d: NewDelivery, message: AsyncIterable<Buffer>, replay?: ReplayEntry): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (replay) {
        // First, so an identical request racing this one (another node) waits on the key and then fails: never two deliveries.
        await trx.deleteFrom('batch_replays').where('expires_at', '<', d.receivedAt).execute();
        await trx.insertInto('batch_replays').values({ signature_hash: replay.signatureHash, delivery_id: d.id, expires_at: replay.expiresAt }).execute();
      }
      await trx
        .insertInto('deliveries')
        .values({
          id: d.id,
          operation: d.operation,
          organisation_key: d.organisationKey,
          user_code: d.userCode,
          software_id: d.softwareId,
          caller: d.caller,
          received_at: d.receivedAt,
          bytes: 0,
          chunks: 0,
          status: 'processing',
          attempts: 0,
          locked_by: 'intake',
          locked_at: d.receivedAt,
          processed_at: null,
          expires_at: null,
          transactions: 0,
          accepted: 0,
          refused: 0,
          failure: null,
        })
        .execute();
      let seq = 0;
      let bytes = 0;
      for await (const piece of rechunk(message, CHUNK_BYTES)) {
        await trx.insertInto('delivery_chunks').values({ delivery_id: d.id, seq, data: piece }).execute();
        seq += 1;
        bytes += piece.length;
      }
      // Claimable only once the whole message is in (same transaction anyway; explicit for readers of the code).
      await trx.updateTable('deliveries').set({ bytes, chunks: seq, status: 'accepted', locked_by: null, locked_at: null }).where('id', '=', d.id).execute();
    });
  }

  /** The delivery an earlier request with the same signature created, while that signature is still fresh. */
  async findReplay(signatureHash: string, now: Date): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('batch_replays')
      .select('delivery_id')
      .where('signature_hash', '=', signatureHash)
      .where('expires_at', '>=', now.toISOString())
      .executeTakeFirst();
    return row?.delivery_id;
  }

  async findDelivery(id: string): Promise<Delivery | undefined> {
    const row = await this.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDelivery(row) : undefined;
  }

  /** Deliveries waiting for a worker and being processed (the metrics' queue depth): one grouped count. */
  async queueDepth(): Promise<{ accepted: number; processing: number }> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('status', 'in', ['accepted', 'processing'])
      .groupBy('status')
      .execute();
    const count = (status: string): number => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return { accepted: count('accepted'), processing: count('processing') };
  }

  /** The stored message, one chunk per query (never the whole message in memory). */
  async *readMessage(id: string, chunks: number): AsyncGenerator<Buffer> {
    for (let seq = 0; seq < chunks; seq++) {
      const row = await this.db.selectFrom('delivery_chunks').select('data').where('delivery_id', '=', id).where('seq', '=', seq).executeTakeFirstOrThrow();
      yield Buffer.isBuffer(row.data) ? row.data : Buffer.from(row.data as Uint8Array);
    }
  }

  /**
   * Claims the oldest due delivery for one worker: an accepted one whose back-off (`run_after`) has passed, or one
   * whose worker's lease expired (it crashed) and that has attempts left. One statement; `FOR UPDATE SKIP LOCKED` on
   * PostgreSQL so parallel workers never wait on or double-claim a row.
   * @param maxAttempts - a crashed delivery that already used this many claims is not taken again (see failAbandoned)
   */
  async claimDelivery(workerId: string, leaseMs: number, now: Date = new Date(), maxAttempts: number = 2 ** 31 - 1): Promise<Delivery | undefined> {
    const at = now.toISOString();
    const staleBefore = new Date(now.getTime() - leaseMs).toISOString();
    let due = this.db
      .selectFrom('deliveries')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'accepted'), eb.or([eb('run_after', 'is', null), eb('run_after', '<=', at)])]),
          eb.and([eb('status', '=', 'processing'), eb('locked_at', '<', staleBefore), eb('attempts', '<', maxAttempts)]),
        ]),
      )
      .orderBy('received_at')
      .limit(1);
    if (this.caps.supportsSkipLocked) due = due.forUpdate().skipLocked();
    const row = await this.db
      .updateTable('deliveries')
      .set((eb) => ({ status: 'processing', locked_by: workerId, locked_at: at, run_after: null, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due)
      .returningAll()
      .executeTakeFirst();
    return row ? toDelivery(row) : undefined;
  }

  /**
   * Gives a delivery whose attempt failed back for a later attempt: claimable again from `runAfter` (back-off), so
   * the deliveries behind it are processed meanwhile. What the attempt committed stays; the next one resumes after it.
   */
  async retryDelivery(id: string, workerId: string, runAfter: Date): Promise<void> {
    await this.db
      .updateTable('deliveries')
      .set({ status: 'accepted', locked_by: null, locked_at: null, run_after: runAfter.toISOString() })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'processing')
      .execute();
  }

  /**
   * Deliveries whose worker died (lease expired) after they had used all `maxAttempts` claims: a delivery that
   * crashes its worker every time would otherwise be claimed again forever. Each one is marked failed with
   * `failureOf(id, attempts)`; returns their ids.
   */
  async failAbandoned(
    maxAttempts: number,
    leaseMs: number,
    now: Date,
    retentionDays: number,
    failureOf: (id: string, attempts: number) => string,
  ): Promise<string[]> {
    const staleBefore = new Date(now.getTime() - leaseMs).toISOString();
    const abandoned = await this.db
      .selectFrom('deliveries')
      .select(['id', 'attempts', 'locked_by'])
      .where('status', '=', 'processing')
      .where('locked_at', '<', staleBefore)
      .where('attempts', '>=', maxAttempts)
      .execute();
    const failed: string[] = [];
    for (const d of abandoned) {
      if (d.locked_by === null) continue;
      if (await this.failDelivery(d.id, d.locked_by, now, retentionDays, failureOf(d.id, Number(d.attempts)))) failed.push(d.id);
    }
    return failed;
  }

  /** How many transactions of the delivery already have a committed result (processing resumes after them). */
  async committedResults(id: string): Promise<number> {
    const row = await this.db
      .selectFrom('delivery_result_slices')
      .select((eb) => eb.fn.sum<number | string | null>('transactions').as('n'))
      .where('delivery_id', '=', id)
      .executeTakeFirstOrThrow();
    return Number(row.n ?? 0);
  }

  /**
   * Runs `work` and renews the worker's lease in ONE database transaction. If the lease was taken over meanwhile,
   * throws LeaseLostError and nothing of `work` is committed.
   */
  async inBatch<T>(id: string, workerId: string, work: (trx: BatchTrx) => Promise<T>, now: Date = new Date()): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const out = await work(trx);
      if (!(await renew(trx, id, workerId, now))) throw new LeaseLostError(id);
      return out;
    });
  }

  /**
   * The worker's heartbeat: renews its lease on a delivery it is still processing, between slice commits (a long
   * slice, a slow planning step). False when the lease was taken over meanwhile (the next commit will find out too).
   */
  renewLease(id: string, workerId: string, now: Date = new Date()): Promise<boolean> {
    return renew(this.db, id, workerId, now);
  }

  /** Marks a delivery processed with its counts; results are kept until `expiresAt`. False when the lease was lost. */
  finishDelivery(id: string, workerId: string, now: Date, retentionDays: number): Promise<boolean> {
    return this.#end(id, workerId, now, retentionDays, { status: 'processed' });
  }

  /**
   * The delivery cannot be processed (the stored message does not parse, or its attempts ran out): the result
   * operation answers `failure`. Results committed before keep their vaccinations and stay readable; the counts
   * say how many there are (the result answer marks them as partial). False when the lease was lost.
   */
  failDelivery(id: string, workerId: string, now: Date, retentionDays: number, failure: string): Promise<boolean> {
    return this.#end(id, workerId, now, retentionDays, { status: 'failed', failure });
  }

  /** Ends a delivery this worker holds, with the counts of its committed results and their expiry. */
  #end(
    id: string,
    workerId: string,
    now: Date,
    retentionDays: number,
    outcome: { status: 'processed' } | { status: 'failed'; failure: string },
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const counts = await trx
        .selectFrom('delivery_result_slices')
        .select((eb) => [eb.fn.sum<number | string | null>('transactions').as('total'), eb.fn.sum<number | string | null>('accepted').as('accepted')])
        .where('delivery_id', '=', id)
        .executeTakeFirstOrThrow();
      const total = Number(counts.total ?? 0);
      const accepted = Number(counts.accepted ?? 0);
      const r = await trx
        .updateTable('deliveries')
        .set({
          ...outcome,
          locked_by: null,
          locked_at: null,
          processed_at: now.toISOString(),
          expires_at: new Date(now.getTime() + retentionDays * 86_400_000).toISOString(),
          transactions: total,
          accepted,
          refused: total - accepted,
        })
        .where('id', '=', id)
        .where('locked_by', '=', workerId)
        .where('status', '=', 'processing')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    });
  }

  /**
   * Gives a claimed delivery back (shutdown): the next round claims it again. The claim's attempt is handed back
   * too — nothing failed — so restarts (deploys) never use up a delivery's attempts.
   */
  async releaseDelivery(id: string, workerId: string): Promise<void> {
    await this.db
      .updateTable('deliveries')
      .set((eb) => ({ status: 'accepted', locked_by: null, locked_at: null, attempts: eb('attempts', '-', 1) }))
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .where('status', '=', 'processing')
      .execute();
  }

  /**
   * The next slice of results in document order: the first whose first ordinal is after `afterFirstOrdinal` (keyset
   * paging, one slice — a few hundred results — per query: flat memory for big deliveries).
   */
  async resultSliceAfter(id: string, afterFirstOrdinal: number): Promise<ResultSliceRow | undefined> {
    return this.db
      .selectFrom('delivery_result_slices')
      .select(['first_ordinal', 'results'])
      .where('delivery_id', '=', id)
      .where('first_ordinal', '>', afterFirstOrdinal)
      .orderBy('first_ordinal')
      .limit(1)
      .executeTakeFirst();
  }

  /**
   * Drops the message and results of deliveries past their retention; the delivery row stays (status `expired`)
   * so the result operation can say BATCH_EXPIRED rather than "unknown".
   * @returns how many deliveries expired now
   */
  async purgeExpired(now: Date = new Date()): Promise<number> {
    const at = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const due = await trx.selectFrom('deliveries').select('id').where('status', 'in', ['processed', 'failed']).where('expires_at', '<', at).execute();
      for (const { id } of due) {
        await trx.deleteFrom('delivery_result_slices').where('delivery_id', '=', id).execute();
        await trx.deleteFrom('delivery_chunks').where('delivery_id', '=', id).execute();
        await trx.updateTable('deliveries').set({ status: 'expired' }).where('id', '=', id).execute();
      }
      return due.length;
    });
  }
}

function toDelivery(r: Selectable<DeliveriesTable>): Delivery {
  return Object.freeze({
    id: r.id,
    operation: r.operation as Delivery['operation'],
    organisationKey: r.organisation_key,
    userCode: r.user_code,
    softwareId: r.software_id,
    caller: r.caller,
    receivedAt: r.received_at,
    bytes: Number(r.bytes),
    chunks: Number(r.chunks),
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    ...(r.locked_by !== null && { lockedBy: r.locked_by }),
    ...(r.processed_at !== null && { processedAt: r.processed_at }),
    ...(r.expires_at !== null && { expiresAt: r.expires_at }),
    transactions: Number(r.transactions),
    accepted: Number(r.accepted),
    refused: Number(r.refused),
    ...(r.failure !== null && { failure: r.failure }),
    ...(r.run_after != null && { runAfter: r.run_after }),
  });
}

/** Re-cuts a byte stream into pieces of exactly `size` bytes (the last one shorter). */
async function* rechunk(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of source) {
    let c = chunk;
    while (length + c.length >= size) {
      const take = size - length;
      parts.push(c.subarray(0, take));
      yield Buffer.concat(parts);
      parts = [];
      length = 0;
      c = c.subarray(take);
    }
    if (c.length > 0) {
      parts.push(c);
      length += c.length;
    }
  }
  if (length > 0) yield Buffer.concat(parts);
}

/** Moves the worker's lease on to `now`; false when the delivery is no longer processing under this worker's claim. */
async function renew(db: Kysely<BatchDatabase>, id: string, workerId: string, now: Date): Promise<boolean> {
  const renewed = await db
    .updateTable('deliveries')
    .set({ locked_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'processing')
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return Number(renewed.numUpdatedRows) === 1;
}
