// The SQLite write thread: owns its own connection to the registry file and runs the registration group commits
// there, so the durable commit's fsync (milliseconds) blocks this thread and not the server's event loop.
//
// Plain JavaScript on purpose: a worker thread does not inherit module hooks registered programmatically (as
// bin/vaccinnet.mjs registers tsx), so a .ts entry would not load in every way the registry is started.
// The protocol and the SQL it runs are defined by sqlite-writer.ts (the only user of this file).
import { parentPort, workerData } from 'node:worker_threads';
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
const writeGroup = db.transaction((group) => {
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
});

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.postMessage({ type: 'closed' });
    parentPort.close();
    return;
  }
  try {
    // IMMEDIATE: take the write lock at BEGIN, so busy_timeout applies (a deferred BEGIN can fail to upgrade).
    // The group arrives as JSON text: one string crosses threads far cheaper than a structured clone of its rows.
    const results = writeGroup.immediate(JSON.parse(message.group));
    parentPort.postMessage({ type: 'written', seq: message.seq, results });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', seq: message.seq, message: String(error?.message ?? error), code: error?.code });
  }
});
