import { Worker } from 'node:worker_threads';
import type { SqlRow } from '../hot-sql.js';

/** One dose of a write group, as bind values in the group's column orders. */
export interface WriteDose {
  /** Values of `insertSql` (the vaccination row); `bySenderSql` and `sameDoseSql` take theirs from it too. */
  readonly values: readonly unknown[];
  /** Values of `auditSql`, written when the dose is inserted. */
  readonly audit: readonly unknown[];
  /** Id of the probable duplicate the audit row names (null: none): the dose is written only if it still is. */
  readonly sameDose: string | null;
}

/** A group commit: every dose in one durable transaction. */
export interface WriteGroup {
  /** `insert … on conflict (sender key) do nothing returning id`. */
  readonly insertSql: string;
  /** The stored row by sender key. */
  readonly bySenderSql: string;
  /** Positions in `WriteDose.values` of bySenderSql's parameters. */
  readonly bySenderParams: readonly number[];
  /** The dose's probable duplicate (`id`, `registrant_key`), or no row. */
  readonly sameDoseSql: string;
  /** Positions in `WriteDose.values` of sameDoseSql's parameters. */
  readonly sameDoseParams: readonly number[];
  readonly auditSql: string;
  readonly doses: readonly WriteDose[];
}

/**
 * Per dose: `null` = inserted now, with its audit row; `stored` = the vaccination stored earlier under the same sender
 * key (a replay: nothing written for it); `sameDose` = not written, because its probable duplicate is not the one
 * its audit row names: this one is (null: none).
 */
export type WriteResult = null | { readonly stored: SqlRow } | { readonly sameDose: SqlRow | null };

/** A write the thread refused; `code` is SQLite's (e.g. SQLITE_BUSY). */
export class SqliteWriteError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'SqliteWriteError';
    this.code = code;
  }
}

type Reply =
  { type: 'written'; seq: number; results: WriteResult[] | boolean[] } | { type: 'failed'; seq: number; message: string; code?: string } | { type: 'closed' };

interface Waiting {
  readonly resolve: (results: never) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The registry's SQLite write thread (write-thread.mjs), seen from the event loop: `write` hands a group over and
 * resolves once it is durably committed. Why a thread: better-sqlite3 is synchronous, so on the event loop every
 * commit's fsync (~1–5 ms) stalled every request; on its own thread the fsync of one group overlaps the work that
 * forms the next. The thread has its own connection (WAL: the event loop's connection keeps reading meanwhile).
 */
export class SqliteWriter {
  readonly #file: string;
  #worker: Worker | undefined;
  readonly #waiting = new Map<number, Waiting>();
  /** Replay claims of this event-loop turn, sent together (claimSignature). */
  #claims: { readonly row: readonly string[]; readonly resolve: (claimed: boolean) => void; readonly reject: (error: Error) => void }[] = [];
  #seq = 0;
  #closed: Promise<void> | undefined;
  #failure: Error | undefined;

  /** @param file - the SQLite file; the thread starts at the first write (read-only commands never start it) */
  constructor(file: string) {
    this.#file = file;
  }

  /**
   * Writes one group durably; the results are in dose order. The thread commits it together with the groups queued
   * behind it, unless `commitAlone`: then it commits it as soon as it can (a failing transaction is retried group
   * by group, so one group's failure never fails another).
   */
  write(group: WriteGroup, commitAlone = false): Promise<WriteResult[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new Error('the SQLite writer is closed'));
    const worker = this.#started();
    const seq = ++this.#seq;
    if (this.#waiting.size === 0) worker.ref();
    return new Promise<WriteResult[]>((resolve, reject) => {
      this.#waiting.set(seq, { resolve: resolve as (results: never) => void, reject });
      worker.postMessage({ seq, group: JSON.stringify(group), doses: group.doses.length, commitAlone });
    });
  }

  /**
   * Claims a signed request's signature for its Timestamp window (store/signature-replays.ts): true when no live
   * claim of the same hash existed. The claims of one event-loop turn travel to the thread as one message and come
   * back as one (a message each way per claim cost ~40 µs of event-loop time). Instants are ISO-8601 UTC.
   */
  claimSignature(hash: string, expiresAt: string, now: string): Promise<boolean> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new Error('the SQLite writer is closed'));
    return new Promise<boolean>((resolve, reject) => {
      if (this.#claims.length === 0) setImmediate(() => this.#sendClaims());
      this.#claims.push({ row: [hash, expiresAt, now], resolve, reject });
    });
  }

  #sendClaims(): void {
    const claims = this.#claims;
    this.#claims = [];
    if (this.#failure) return claims.forEach((c) => c.reject(this.#failure as Error));
    const worker = this.#started();
    const seq = ++this.#seq;
    if (this.#waiting.size === 0) worker.ref();
    this.#waiting.set(seq, {
      resolve: ((results: boolean[]) => claims.forEach((c, i) => c.resolve(results[i] === true))) as (results: never) => void,
      reject: (error) => claims.forEach((c) => c.reject(error)),
    });
    worker.postMessage({ type: 'claims', seq, rows: claims.map((c) => c.row), doses: claims.length });
  }

  /** Lets the groups in flight finish, then closes the thread's connection. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      const worker = this.#worker;
      if (!worker || this.#failure) return resolve();
      worker.ref();
      worker.once('exit', () => resolve());
      worker.postMessage({ type: 'close' });
    });
    return this.#closed;
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    // No inherited `--import` preloads (tsx, agents): the thread runs one plain JavaScript file.
    const worker = new Worker(new URL('./write-thread.mjs', import.meta.url), { workerData: { file: this.#file }, execArgv: [] });
    // Idle, the thread must not keep the process alive; `write` refs it while a group is in flight.
    worker.unref();
    worker.on('message', (reply: Reply) => this.#answer(reply));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the SQLite write thread exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #answer(reply: Reply): void {
    if (reply.type === 'closed') return;
    const waiting = this.#waiting.get(reply.seq);
    if (!waiting) return;
    this.#waiting.delete(reply.seq);
    if (this.#waiting.size === 0) this.#worker?.unref();
    if (reply.type === 'written') waiting.resolve(reply.results as never);
    else waiting.reject(new SqliteWriteError(reply.message, reply.code));
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}
