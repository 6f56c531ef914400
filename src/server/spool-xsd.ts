import { statSync } from 'node:fs';
import path from 'node:path';
import { validateFileInWorker, xsdWorkerPid } from '../kmehr/xsd/validate-file-in-worker.js';
import type { Finding } from '../status/finding.js';

/** How long one validation may take, queueing included: a minute plus a second per MB (libxml2 does ~30 MB/s here). */
export function validationDeadlineMs(bytes: number): number {
  return 60_000 + Math.ceil(bytes / 1_000_000) * 1000;
}

export interface SpoolXsdOptions {
  /** Deadline of one validation by file size; default `validationDeadlineMs`. */
  readonly deadlineMs?: (bytes: number) => number;
}

/**
 * XSD validation of a spooled delivery in the XSD worker process, with a deadline: a worker that hangs (stopped,
 * stuck in libxml2) is killed when a validation outlives it, so its pending validations are rejected — the intake
 * answers BATCH_XSD_UNAVAILABLE instead of waiting forever — and the next delivery starts a new worker. Every path
 * the worker gets is absolute (it may run in another current directory).
 */
export function validateSpoolInWorker(schemaDir: string, options: SpoolXsdOptions = {}): (file: string) => Promise<readonly Finding[]> {
  const absoluteSchemaDir = path.resolve(schemaDir);
  const deadlineOf = options.deadlineMs ?? validationDeadlineMs;
  return (file) => {
    const absoluteFile = path.resolve(file);
    const deadline = deadlineOf(statSync(absoluteFile).size);
    const validation = validateFileInWorker(absoluteSchemaDir, absoluteFile);
    const pid = xsdWorkerPid();
    const timer = setTimeout(() => {
      // Only the worker this validation went to: a newer one has nothing to do with it.
      if (pid !== undefined && xsdWorkerPid() === pid) process.kill(pid, 'SIGKILL');
    }, deadline);
    timer.unref();
    return validation.finally(() => clearTimeout(timer));
  };
}
