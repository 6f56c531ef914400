import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The spool files of BatchUpload intakes (a delivery's KMEHR while it is checked, before it is stored). The intake
 * deletes its file whatever the outcome, but a crash (SIGKILL, power loss) in between leaves it behind — up to the
 * delivery size each — so leftovers are swept at start and periodically.
 */
const SPOOL_SUFFIX = '.kmehr.xml';

/** Spool files of intakes running in THIS process: never swept, however old. */
const inProgress = new Set<string>();

/** Leftovers younger than this are kept: an intake in another process on the same folder may still own them. */
export const SPOOL_SAFE_AGE_MS = 60 * 60_000;

/** A new spool file path for one intake, registered as in progress until `releaseSpoolFile`. */
export function claimSpoolFile(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}${SPOOL_SUFFIX}`);
  inProgress.add(file);
  return file;
}

/** Deletes an intake's spool file and forgets it. */
export function releaseSpoolFile(file: string): void {
  try {
    rmSync(file, { force: true });
  } finally {
    inProgress.delete(file);
  }
}

/**
 * Removes spool files in `dir` last written before `now - safeAgeMs` that no intake of this process holds. A file
 * being written has a fresh mtime; one being checked or stored is in progress. Returns the removed paths.
 */
export function sweepSpool(dir: string, now: Date = new Date(), safeAgeMs: number = SPOOL_SAFE_AGE_MS): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const before = now.getTime() - safeAgeMs;
  const removed: string[] = [];
  for (const name of names) {
    if (!name.endsWith(SPOOL_SUFFIX)) continue;
    const file = path.join(dir, name);
    if (inProgress.has(file)) continue;
    try {
      const stat = statSync(file);
      if (!stat.isFile() || stat.mtimeMs >= before) continue;
      rmSync(file, { force: true });
      removed.push(file);
    } catch {
      // Gone meanwhile (another node's sweep, or its intake finished): nothing to do.
    }
  }
  return removed;
}
