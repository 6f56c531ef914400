import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Tests resolve shared data relative to the repository root (shared/ sits beside the repo, in CI too).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared KMEHR folder (`../shared/kmehr` from the repo root). */
export const SHARED_KMEHR = path.resolve(repoRoot, '../shared/kmehr');
export const SAMPLES = path.join(SHARED_KMEHR, 'samples');
export const KMEHR_XSD = path.join(SHARED_KMEHR, 'schema/ehealth-kmehr/XSD/kmehr_elements-1_43.xsd');
