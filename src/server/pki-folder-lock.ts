import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const LOCK_NAME = '.init.lock';
/** A lock older than this belongs to a process that died while holding it (creating a CA takes well under a second). */
const STALE_MS = 30_000;
const POLL_MS = 50;

/**
 * Runs `work` while holding the PKI folder's start-up lock, so that registry nodes starting together on one (shared)
 * empty folder do not each write a development CA or a server key/certificate over the other's — which left a key
 * of one and a certificate of the other (issue 16). The lock is a directory: `mkdir` is atomic on every POSIX file
 * system, NFS included, and needs no dependency for one critical section run once per start. A lock left by a killed
 * process is taken over after 30 s.
 */
export async function withPkiFolderLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, LOCK_NAME);
  const giveUpAt = Date.now() + 2 * STALE_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lock)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > giveUpAt) throw new Error(`the PKI folder ${dir} stays locked by ${lock}: remove it if no registry is starting`, { cause: error });
      else await sleep(POLL_MS);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_MS;
  } catch {
    return false; // gone meanwhile: the next mkdir tries again
  }
}
