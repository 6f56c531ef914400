import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledEntry } from '../../runtime/compiled-entry.js';
import type { Finding } from '../../status/finding.js';
import type { XsdWorkerReply, XsdWorkerRequest } from './xsd-worker-protocol.js';

interface Pending {
  readonly resolve: (findings: Finding[]) => void;
  readonly reject: (err: Error) => void;
}

// One long-lived worker per process: requests queue in its message loop. It waits, synchronously, for the
// `xmllint --stream` child that validates each file (xmllint-stream.ts), so that wait happens off the caller's
// event loop. (It began as isolation for
// libxmljs, which could not be loaded in two threads of one process; libxmljs is gone since issue 18.)
let worker: ChildProcess | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

/**
 * Validates a KMEHR file against the schema set in `schemaDir` in a worker process, so the caller's thread keeps
 * running (e.g. a streaming parse of the same file) while libxml2 works. Same findings as
 * `createXsdValidator(schemaDir).validateFile(file)`. The worker is started on first use, compiles each schema
 * once, and does not keep the caller's process alive while idle.
 * @param schemaDir - the folder holding `ehealth-kmehr/XSD/kmehr_elements-1_43.xsd`
 * @param file - path of the document
 * @returns the findings (empty when valid), frozen
 * @throws Error (rejection) when the file cannot be read, the schema does not compile, or the worker dies
 */
export function validateFileInWorker(schemaDir: string, file: string): Promise<Finding[]> {
  const w = (worker ??= startWorker());
  const id = nextId++;
  const request: XsdWorkerRequest = { id, schemaDir: path.resolve(schemaDir), file: path.resolve(file) };
  return new Promise<Finding[]>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    if (pending.size === 1) setRef(w, true);
    w.send(request);
  });
}

/** The worker's process id, when one runs (benchmarks read its peak memory). */
export function xsdWorkerPid(): number | undefined {
  return worker?.pid;
}

/** Stops the worker (tests, shutdown); the next `validateFileInWorker` starts a new one. */
export async function stopXsdWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w === undefined || w.exitCode !== null || w.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
  w.ref(); // keep this process alive until the worker has gone
  w.disconnect(); // the worker exits when its channel closes
  await exited;
}

function startWorker(): ChildProcess {
  // The compiled worker, without the caller's `--import` preloads (agents, or tsx under a development run).
  const entry = fileURLToPath(compiledEntry(import.meta.url, 'xsd-worker.js'));
  const w = fork(entry, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  setRef(w, false);
  w.on('message', (reply: XsdWorkerReply) => {
    const p = pending.get(reply.id);
    if (p === undefined) return;
    pending.delete(reply.id);
    if (pending.size === 0) setRef(w, false);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.findings.map((f) => Object.freeze(f)));
  });
  const fail = (err: Error): void => {
    if (worker === w) worker = undefined;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code, signal) => fail(new Error(`XSD worker exited (${signal ?? code})`)));
  return w;
}

/** An idle worker must not keep the caller alive; a busy one must (its answer is awaited). */
function setRef(w: ChildProcess, ref: boolean): void {
  const channel = w.channel as { ref(): void; unref(): void } | null | undefined;
  if (ref) {
    w.ref();
    channel?.ref();
  } else {
    w.unref();
    channel?.unref();
  }
}
