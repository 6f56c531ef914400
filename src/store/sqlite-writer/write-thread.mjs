// The SQLite write thread: owns its own connection to the registry file and runs the registration group commits
// there, so the durable commit's fsync (milliseconds) blocks this thread and not the server's event loop.
//
// Plain JavaScript on purpose: a worker thread does not inherit module hooks registered programmatically (as
// bin/vaccinnet.mjs registers tsx), so a .ts entry would not load in every way the registry is started.
// The protocol and the SQL it runs are defined by sqlite-writer.ts (the only user of this file).
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');

/** Prepared statements by SQL text: the texts are few and fixed (one per row shape). */
const statements = new Map();
function prepare(text) {
  let statement = statements.get(text);
  if (statement === undefined) {
    statement = db.prepare(text);
    statements.set(text, statement);
  }
  return statement;
}

/**
 * One group in one transaction: per dose, its probable duplicate first (this transaction holds the write lock, so it
 * sees every committed dose and the earlier doses of this group); when that is the one the dose's audit row names,
 * insert-or-nothing on the sender key and the registration's audit row, or, when nothing was inserted (a replay),
 * the stored row is read and returned instead and no audit row is written here (the replay's audit row names the
 * stored vaccination: sqlite-writer.ts's caller writes it). When it is another one, nothing is written for the dose
 * (unless it is a replay, answered as above) and the probable duplicate found is returned: the caller rebuilds the
 * audit row and sends the dose again.
 */
function writeGroup(group) {
  const insert = prepare(group.insertSql);
  const bySender = prepare(group.bySenderSql);
  const sameDose = prepare(group.sameDoseSql);
  const audit = prepare(group.auditSql);
  const senderAt = group.bySenderParams;
  const sameAt = group.sameDoseParams;
  const results = [];
  for (const dose of group.doses) {
    const v = dose.values;
    const match = sameDose.get(sameAt.map((i) => v[i]));
    if ((match === undefined ? null : match.id) !== dose.sameDose) {
      const stored = bySender.get(senderAt.map((i) => v[i]));
      results.push(stored === undefined ? { sameDose: match ?? null } : { stored });
    } else if (insert.get(v) !== undefined) {
      audit.run(dose.audit);
      results.push(null);
    } else {
      results.push({ stored: bySender.get(senderAt.map((i) => v[i])) });
    }
  }
  return results;
}

/**
 * A signed request's replay claim (signature-replays.ts): insert-if-absent in one statement; a row whose window has
 * closed is taken over. True when this request is the first within the window. Every PRUNE_EVERY-th claim also
 * deletes the closed windows' rows (indexed on expires_at), so the table holds about one window of requests.
 */
const CLAIM_SQL =
  'insert into signature_replays (signature_hash, expires_at) values (?, ?) ' +
  'on conflict (signature_hash) do update set expires_at = excluded.expires_at where signature_replays.expires_at <= ?';
const PRUNE_SQL = 'delete from signature_replays where expires_at <= ?';
const PRUNE_EVERY = 1024;
let claimCount = 0;
/** @param row - [hash, expiresAt, now] */
function claim(row) {
  const claimed = prepare(CLAIM_SQL).run(row[0], row[1], row[2]).changes === 1;
  if (++claimCount % PRUNE_EVERY === 0) prepare(PRUNE_SQL).run(row[2]);
  return claimed;
}

/** Groups merged into one transaction at most: the write lock is not held for long by one commit. */
const MERGE_MAX_DOSES = 2048;

/** The groups in one transaction; the results per group. */
const writeGroups = db.transaction((groups) => groups.map(writeGroup));

/**
 * Commits the groups in one transaction (one fsync) and answers each; if that fails, each group again in its own
 * transaction, so a failing group fails alone. Replay claims queued beside them go first, in their own transaction.
 */
function commit(messages) {
  const claims = messages.filter((m) => m.type === 'claims');
  if (claims.length > 0) {
    commitClaims(claims);
    messages = messages.filter((m) => m.type !== 'claims');
    if (messages.length === 0) return;
  }
  const groups = messages.map((m) => JSON.parse(m.group));
  try {
    // IMMEDIATE: take the write lock at BEGIN, so busy_timeout applies (a deferred BEGIN can fail to upgrade).
    const results = writeGroups.immediate(groups);
    messages.forEach((m, i) => parentPort.postMessage({ type: 'written', seq: m.seq, results: results[i] }));
    return;
  } catch (error) {
    if (messages.length === 1) {
      parentPort.postMessage({ type: 'failed', seq: messages[0].seq, message: String(error?.message ?? error), code: error?.code });
      return;
    }
  }
  for (const m of messages) commit([m]);
}

const writeClaims = db.transaction((messages) => messages.map((m) => m.rows.map(claim)));

/**
 * our choice: replay claims commit with synchronous=NORMAL — in WAL mode no fsync at commit (~0.05 ms instead of
 * 1-10 ms, which made each signed call wait for a disk flush before it ran). Atomic and consistent all the same;
 * only a power cut (not a process crash) can lose the claims since the last fsync, which the next registration
 * commit (FULL) or checkpoint makes durable: at worst one replay inside a window open at the power cut.
 */
function commitClaims(messages) {
  db.pragma('synchronous = NORMAL');
  try {
    const results = writeClaims.immediate(messages);
    messages.forEach((m, i) => parentPort.postMessage({ type: 'written', seq: m.seq, results: results[i] }));
  } catch (error) {
    for (const m of messages) parentPort.postMessage({ type: 'failed', seq: m.seq, message: String(error?.message ?? error), code: error?.code });
  } finally {
    db.pragma('synchronous = FULL');
  }
}

function close() {
  db.close();
  parentPort.postMessage({ type: 'closed' });
  parentPort.close();
}

// A group arrives as JSON text: one string crosses threads cheaper than a structured clone of its rows (measured
// equal on the event loop in session 3, and JSON.parse here is cheap). The groups that queued up while the previous
// commit ran are taken along into the same transaction: the busier the thread, the more registrations share each
// fsync. A group marked `commitAlone` is committed without waiting for those behind it (its callers are answered
// first, see ../sqlite/vaccination-writes.ts).
parentPort.on('message', (message) => {
  if (message.type === 'close') return close();
  const batch = [message];
  let closing = false;
  let doses = message.doses;
  while (!message.commitAlone && doses < MERGE_MAX_DOSES) {
    const next = receiveMessageOnPort(parentPort);
    if (next === undefined) break;
    if (next.message.type === 'close') {
      closing = true;
      break;
    }
    batch.push(next.message);
    doses += next.message.doses;
  }
  commit(batch);
  if (closing) close();
});
