import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The one performance trap found while tuning the reader: a saxes parser with a seventh handler property turns
// into a V8 dictionary-mode object and parses 4-5x slower. Timing tests are flaky on a shared machine, so this
// checks the cause directly, in a child process that may use V8 natives.
const PROBE = `
import { KmehrSaxBuilder } from './src/kmehr/kmehr-sax-builder.ts';
import { batchMessage } from './src/kmehr/generate-batch.ts';
let folders = 0;
const b = new KmehrSaxBuilder({ maxBytes: 1e9, maxDepth: 64 }, { header() {}, folder() { folders++; } });
b.write(batchMessage(50));
b.end();
console.log(JSON.stringify({ fast: %HasFastProperties(b['parser']), folders }));
`;

describe('KMEHR reader performance guard', () => {
  it('keeps the saxes parser object in V8 fast-property mode', { timeout: 60_000 }, () => {
    const run = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', PROBE],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.trim())).toEqual({ fast: true, folders: 50 });
  });
});
