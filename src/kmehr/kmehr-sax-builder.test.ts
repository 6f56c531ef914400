import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The one performance trap found while tuning the reader: a saxes parser with a seventh handler property turns
// into a V8 dictionary-mode object and parses 4-5x slower. Timing tests are flaky on a shared machine, so this
// checks the cause directly, in a child process that may use V8 natives. The builder's own scanner is #private,
// so the probe drives a scanner of the same class with the builder as its handler, as the builder does.
const PROBE = `
import { KmehrSaxBuilder } from './src/kmehr/kmehr-sax-builder.ts';
import { FastXmlScanner } from './src/kmehr/xml/fast-xml-scanner.ts';
import { batchMessage } from './src/kmehr/generate-batch.ts';
let folders = 0;
const b = new KmehrSaxBuilder({ maxBytes: 1e9, maxDepth: 64 }, { header() {}, folder() { folders++; } });
const scanner = new FastXmlScanner(b);
scanner.write(batchMessage(50));
scanner.end();
console.log(JSON.stringify({ fast: %HasFastProperties(scanner), builderFast: %HasFastProperties(b), folders }));
`;

describe('KMEHR reader performance guard', () => {
  it('keeps the saxes parser object in V8 fast-property mode', { timeout: 60_000 }, () => {
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', PROBE], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.trim())).toEqual({ fast: true, builderFast: true, folders: 50 });
  });
});

describe('KMEHR namespace of each element', () => {
  it('reads elements whose KMEHR namespace is declared again or by a prefix, and skips a same-length other one', async () => {
    const { parseKmehr } = await import('./parse-kmehr.js');
    const { batchMessage } = await import('./generate-batch.js');
    const { KMEHR_NS } = await import('./model.js');
    const xml = batchMessage(3);
    const redeclared = xml.replace('<folder>', `<folder xmlns="${KMEHR_NS}">`);
    const prefixed = xml.replace(/<(\/?)folder>/g, `<$1k:folder>`).replace('<kmehrmessage ', `<kmehrmessage xmlns:k="${KMEHR_NS}" `);
    // Same length as KMEHR_NS, one character different: the folder (and all it holds) is not KMEHR, so it is skipped.
    const other = `${KMEHR_NS.slice(0, -1)}2`;
    const foreign = xml.replace('<folder>', `<folder xmlns="${other}">`);
    const count = (s: string): number => {
      const r = parseKmehr(s, { maxBytes: 1e9, maxDepth: 64 });
      if (!r.ok) throw new Error(JSON.stringify(r.findings));
      return r.message.folders.length;
    };
    expect([count(xml), count(redeclared), count(prefixed), count(foreign)]).toEqual([3, 3, 3, 2]);
  });
});
