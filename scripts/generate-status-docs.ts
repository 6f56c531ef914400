/**
 * Writes docs/status-codes.md from the catalogue. `npm run docs` regenerates it; a test fails when the file and the
 * catalogue disagree, so the documentation can never drift from what the services answer.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderStatusDocs } from '../src/status/status-docs.js';

const target = fileURLToPath(new URL('../docs/status-codes.md', import.meta.url));
writeFileSync(target, renderStatusDocs());
console.log(`wrote ${target}`);
