import type { Logger } from 'pino';
import { SPOOL_SAFE_AGE_MS, sweepSpool } from '../soap/batch/spool-files.js';

/** How often leftovers are looked for while the server runs. */
const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * Removes BatchUpload spool files a crashed intake left behind: once now (at start), then every ten minutes.
 * Returns the function that stops the timer.
 */
export function startSpoolSweeper(dir: string, log: Logger, options: { intervalMs?: number; safeAgeMs?: number } = {}): () => void {
  const sweep = (): void => {
    const removed = sweepSpool(dir, new Date(), options.safeAgeMs ?? SPOOL_SAFE_AGE_MS);
    if (removed.length > 0) log.warn({ removed: removed.length, dir }, 'leftover BatchUpload spool files removed');
  };
  sweep();
  const timer = setInterval(sweep, options.intervalMs ?? SWEEP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
