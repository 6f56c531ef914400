import path from 'node:path';
import { REPO_ROOT } from './repo-root.js';

/**
 * The Node flags of a bench child: libxml2-wasm first (as bin/vaccinnet.mjs loads it: RSS), tsx for the bench file's
 * own TypeScript, then compiled-sources.mjs so the registry modules it imports are the compiled ones in dist/.
 */
export const BENCH_CHILD_FLAGS: readonly string[] = [
  '--import',
  'libxml2-wasm',
  '--import',
  'tsx',
  '--import',
  path.join(REPO_ROOT, 'bench/support/compiled-sources.mjs'),
];
