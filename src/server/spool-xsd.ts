import { createRequire } from 'node:module';
import path from 'node:path';
import { validateFileInWorker } from '../kmehr/xsd/validate-file-in-worker.js';
import type { Finding } from '../status/finding.js';

const PACKAGE_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function resolvesTsx(dir: string): boolean {
  try {
    createRequire(path.join(dir, 'noop.js')).resolve('tsx');
    return true;
  } catch {
    return false;
  }
}

/**
 * XSD validation of a spooled delivery in the XSD worker process.
 *
 * Workaround, to remove once `validateFileInWorker` resolves its loader itself: it forks the worker with
 * `--import tsx`, which Node resolves from the current directory, so a registry started from a folder without
 * `node_modules` (the quick start runs `npx vaccinnet serve` in any folder) could not start its worker and refused
 * every delivery with BATCH_XSD_UNAVAILABLE. The fork happens synchronously inside the call, so for that instant —
 * and only when the current directory cannot resolve tsx — the current directory is the package root. Every path
 * the worker gets is absolute.
 */
export function validateSpoolInWorker(schemaDir: string): (file: string) => Promise<readonly Finding[]> {
  const absoluteSchemaDir = path.resolve(schemaDir);
  return (file) => {
    const cwd = process.cwd();
    if (resolvesTsx(cwd)) return validateFileInWorker(absoluteSchemaDir, path.resolve(file));
    process.chdir(PACKAGE_ROOT);
    try {
      return validateFileInWorker(absoluteSchemaDir, path.resolve(cwd, file));
    } finally {
      process.chdir(cwd);
    }
  };
}
