import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (benches resolve `../shared/kmehr` and source paths from it). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
