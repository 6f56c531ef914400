import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createXsdValidator } from './xsd-validator.js';

/**
 * Issue 18: libxml2 itself must hold against hostile documents, also if the DOCTYPE screen before it failed. Here the
 * screen is switched off (test-only option), the documents go to both libxml2 builds (wasm from memory, Debian's
 * through xmllint for files), and the same validator then still validates a real message.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = path.resolve(repoRoot, '../shared/kmehr');
const schemaDir = path.join(shared, 'schema');
const valid = readFileSync(path.join(shared, 'samples/vitalink-evs/vaccination/vaccination-with-cdatc-and-batch.xml'));
const NS = 'http://www.ehealth.fgov.be/standards/kmehr/schema/v1';

const scratch = mkdtempSync(path.join(tmpdir(), 'xsd-hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const unscreened = createXsdValidator(schemaDir, { unsafeSkipDoctypeScreen: true });

/** Billion laughs: 10 levels of 10 references, 10^9 "lol"s (3 GB) when expanded. */
function billionLaughs(): string {
  let entities = '<!ENTITY l0 "lol">';
  for (let i = 1; i < 10; i++) entities += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
  return `<?xml version="1.0"?><!DOCTYPE kmehrmessage [${entities}]><kmehrmessage xmlns="${NS}"><header>&l9;</header></kmehrmessage>`;
}

const HOSTILE: [string, () => string, RegExp][] = [
  ['an entity bomb (billion laughs)', billionLaughs, /amplification|entity|failed to parse|not well-formed/i],
  ['100 000 nested elements', () => `<kmehrmessage xmlns="${NS}">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</kmehrmessage>`, /depth|not well-formed/i],
  ['an 11 MB attribute', () => `<kmehrmessage xmlns="${NS}" a="${'x'.repeat(11_000_000)}"/>`, /limit|huge|not well-formed|failed/i],
];

describe('hostile documents behind a switched-off DOCTYPE screen', () => {
  it.each(HOSTILE)('refuses %s from memory (wasm libxml2) quickly, and keeps validating', (_name, make, detail) => {
    const start = performance.now();
    const findings = unscreened.validateBytes(make());
    expect(performance.now() - start).toBeLessThan(15_000);
    expect(findings.map((f) => f.code)).toEqual(['XML_MALFORMED']);
    expect(String(findings[0]!.params?.detail)).toMatch(detail);
    expect(unscreened.validateBytes(valid)).toEqual([]);
  });

  it.each(HOSTILE)('refuses %s in a file (xmllint, Debian libxml2) in its own process, and keeps validating', (name, make, detail) => {
    const file = path.join(scratch, `${name.replaceAll(/\W+/g, '-')}.xml`);
    writeFileSync(file, make());
    const rssBefore = process.memoryUsage().rss;
    const findings = unscreened.validateFile(file);
    expect(findings.map((f) => f.code)).toEqual(['XML_MALFORMED']);
    expect(String(findings[0]!.params?.detail)).toMatch(detail);
    // libxml2 ran in xmllint: this process did not grow by what the document would expand to.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    const validFile = path.join(scratch, 'valid.xml');
    writeFileSync(validFile, valid);
    expect(unscreened.validateFile(validFile)).toEqual([]);
  });

  it('never substitutes an internal entity into what is validated', () => {
    // With substitution, `&d;` would become a valid date and the message would pass; unsubstituted, the entity
    // reference is not an xs:date. (Entities never get this far in the registry: the screen refuses the DOCTYPE.)
    const text = valid.toString('utf8');
    const withEntity = text
      .replace(/^(<\?xml[^>]*\?>)?/, (decl) => `${decl}<!DOCTYPE kmehrmessage [<!ENTITY d "2020-01-01">]>`)
      .replace(/<date>[^<]*<\/date>/, '<date>&d;</date>');
    expect(withEntity).toContain('&d;');
    // libxml2 refuses to schema-validate an unexpanded entity reference at all (an internal error, thrown).
    expect(() => unscreened.validateBytes(withEntity)).toThrow(/validation failed internally/);
    expect(unscreened.validateBytes(valid)).toEqual([]);
    expect(
      createXsdValidator(schemaDir)
        .validateBytes(withEntity)
        .map((f) => f.code),
    ).toEqual(['XML_ENTITY_DECLARATION']);
  });
});
