import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaCompilations } from './compiled-schema.js';
import { SAFE_PARSE_OPTIONS } from './libxml2.js';
import { ParseOption } from 'libxml2-wasm';
import { MAX_XSD_FINDINGS } from './xsd-errors.js';
import { createXsdValidator } from './xsd-validator.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = path.resolve(repoRoot, '../shared/kmehr');
const schemaDir = path.join(shared, 'schema');
const rootXsd = path.join(schemaDir, 'ehealth-kmehr/XSD/kmehr_elements-1_43.xsd');
const vaccinations = path.join(shared, 'samples/vitalink-evs/vaccination');
const UNPARSABLE = 'vaccination-with-unparsable-content.xml';
const validSamples = readdirSync(vaccinations).filter((f) => f !== UNPARSABLE);
const NS = 'http://www.ehealth.fgov.be/standards/kmehr/schema/v1';

const scratch = mkdtempSync(path.join(tmpdir(), 'xsd-validator-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const validator = createXsdValidator(schemaDir);
const sample = (name: string): Buffer => readFileSync(path.join(vaccinations, name));

/** A sample with its folder repeated `times` times: a bigger, still valid message. */
function repeatedFolders(times: number): string {
  const text = sample('vaccination-with-cdatc-and-batch.xml').toString('utf8');
  const start = text.indexOf('<folder>');
  const end = text.lastIndexOf('</folder>') + '</folder>'.length;
  return text.slice(0, start) + text.slice(start, end).repeat(times) + text.slice(end);
}

/** xmllint's verdict, the yardstick: true when it says "validates". */
function xmllintValid(file: string): boolean {
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--stream', '--schema', rootXsd, file], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('createXsdValidator', () => {
  it('accepts every valid vaccination sample, from a file and from memory', () => {
    expect(validSamples.length).toBe(6);
    for (const name of validSamples) {
      expect(validator.validateFile(path.join(vaccinations, name)), name).toEqual([]);
      expect(validator.validateBytes(sample(name)), name).toEqual([]);
      expect(validator.validateBytes(sample(name).toString('utf8')), name).toEqual([]);
    }
  });

  it('refuses the unparsable sample with line, element path and libxml2 message', () => {
    const expected = {
      code: 'KMEHR_XSD_INVALID',
      severity: 'error',
      location: '/kmehrmessage/folder[1]/text',
      line: 89,
    };
    for (const findings of [validator.validateFile(path.join(vaccinations, UNPARSABLE)), validator.validateBytes(sample(UNPARSABLE))]) {
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject(expected);
      // Neither libxml2 2.15 (wasm) nor xmllint's text report a column for a schema-validity error.
      expect(findings[0]!.column).toBeUndefined();
      expect(findings[0]!.params?.detail).toBe("Element 'text': The attribute 'L' is required but missing");
      expect(findings[0]!.message).toBe(
        "The KMEHR message is not valid against the KMEHR 1.43 schema at /kmehrmessage/folder[1]/text: Element 'text': The attribute 'L' is required but missing.",
      );
    }
  });

  it('refuses a message without the KMEHR namespace (the freehealth fixture) at the root', () => {
    const findings = validator.validateFile(path.join(shared, 'samples/freehealth-connector/addvaccination.xml'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'KMEHR_XSD_INVALID', location: '/kmehrmessage', line: 1 });
    expect(findings[0]!.params?.detail).toContain('No matching global declaration available for the validation root');
  });

  it('places each error on its element, also on one long line with non-ASCII text', () => {
    const doc =
      `<?xml version="1.0"?>\r\n<kmehrmessage xmlns="${NS}"><header><standard><cd S="CD-STANDARD" SV="1.0">20120701</cd></standard>` +
      '<id S="ID-KMEHR" SV="1.0">x</id><date>2021-13-01</date><time>10:00:00</time><sender><hcparty>' +
      '<cd S="CD-HCPARTY" SV="1.0">persphysician</cd><name>Zoë Çé €</name></hcparty></sender><recipient><hcparty>' +
      '<cd S="CD-HCPARTY" SV="1.0">orgpublichealth</cd></hcparty></recipient></header><folder><bogus/></folder></kmehrmessage>';
    const findings = validator.validateBytes(doc);
    expect(findings.map((f) => [f.code, f.location, f.line])).toEqual([
      ['KMEHR_XSD_INVALID', '/kmehrmessage/header/date', 2],
      ['KMEHR_XSD_INVALID', '/kmehrmessage/folder[1]/bogus', 2],
    ]);
    expect(findings[0]!.params?.detail).toBe("Element 'date': '2021-13-01' is not a valid value of the atomic type 'xs:date'");
  });

  it('indexes repeated elements and names the right one among many', () => {
    const doc = repeatedFolders(3).replace(/<batch>[^<]*<\/batch>/g, (m, offset: number, all: string) =>
      all.indexOf('<batch>') === offset ? m : '<batch></batch><batch>x</batch>',
    );
    const findings = validator.validateBytes(doc);
    expect(findings.map((f) => f.location)).toEqual([
      '/kmehrmessage/folder[2]/transaction[1]/item[1]/batch[2]',
      '/kmehrmessage/folder[3]/transaction[1]/item[1]/batch[2]',
    ]);
  });

  it('reports a document that is not well-formed as XML_MALFORMED with its position, once', () => {
    const findings = validator.validateBytes(`<kmehrmessage xmlns="${NS}"><header><x></header></kmehrmessage>`);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'XML_MALFORMED',
        line: 1,
        column: 96,
        params: expect.objectContaining({ detail: 'Opening and ending tag mismatch: x line 1 and header' }),
      }),
    ]);
  });

  it('validates a string as the text it is, whatever encoding its declaration names', () => {
    const text = sample('vaccination-no-quantity.xml')
      .toString('utf8')
      .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
      .replace('<familyname>', '<familyname>Müller-Çé');
    expect(validator.validateBytes(text)).toEqual([]);
    expect(validator.validateBytes(Buffer.from(text, 'latin1'))).toEqual([]);
  });

  it('lists at most MAX_XSD_FINDINGS schema errors and says how many more there were', () => {
    const doc = repeatedFolders(300).replaceAll('<time>', '<time>x');
    const findings = validator.validateBytes(doc);
    expect(findings).toHaveLength(MAX_XSD_FINDINGS);
    expect(findings.at(-1)!.params?.detail).toMatch(/\(and 201 further schema errors not listed\)$/);
    // The same from a file (xmllint's text): as many kept, the same count of the rest, each placed on its folder.
    const file = path.join(scratch, 'many-errors.xml');
    writeFileSync(file, doc);
    const fromFile = validator.validateFile(file);
    expect(fromFile).toHaveLength(MAX_XSD_FINDINGS);
    expect(fromFile.at(-1)!.params?.detail).toMatch(/\(and 201 further schema errors not listed\)$/);
    expect(fromFile.map((f) => [f.location, f.line])).toEqual(findings.map((f) => [f.location, f.line]));
    expect(fromFile.at(-1)!.location).toMatch(/^\/kmehrmessage\/folder\[\d{2}\]\//);
  });
});

describe('no DOCTYPE reaches libxml2', () => {
  const xxe = `<?xml version="1.0"?><!DOCTYPE kmehrmessage [<!ENTITY x SYSTEM "file:///etc/passwd">]><kmehrmessage xmlns="${NS}">&x;</kmehrmessage>`;
  const laughs =
    '<!DOCTYPE k [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
    `<kmehrmessage xmlns="${NS}">&c;</kmehrmessage>`;

  it('refuses external entities, entity declarations and plain DOCTYPEs from memory', () => {
    expect(validator.validateBytes(xxe).map((f) => f.code)).toEqual(['XML_EXTERNAL_ENTITY']);
    expect(validator.validateBytes(laughs).map((f) => f.code)).toEqual(['XML_ENTITY_DECLARATION']);
    expect(validator.validateBytes(`<!DOCTYPE kmehrmessage><kmehrmessage xmlns="${NS}"/>`).map((f) => f.code)).toEqual(['XML_DOCTYPE_FORBIDDEN']);
  });

  it('refuses them in files, also behind a prolog comment longer than the screened head', () => {
    const file = path.join(scratch, 'xxe.xml');
    writeFileSync(file, xxe);
    expect(validator.validateFile(file).map((f) => f.code)).toEqual(['XML_EXTERNAL_ENTITY']);
    const hidden = path.join(scratch, 'hidden.xml');
    writeFileSync(hidden, `<?xml version="1.0"?><!--${'x'.repeat(70_000)}-->${xxe.slice(xxe.indexOf('<!DOCTYPE'))}`);
    const findings = validator.validateFile(hidden);
    expect(findings.map((f) => f.code)).toEqual(['XML_MALFORMED']);
    expect(findings[0]!.params?.detail).toContain('no root element in the first 65536 bytes');
  });

  it('parses with no entity substitution, no DTD loading or validation, no XXE and libxml2 limits on', () => {
    for (const off of [ParseOption.XML_PARSE_NOENT, ParseOption.XML_PARSE_DTDLOAD, ParseOption.XML_PARSE_DTDVALID, ParseOption.XML_PARSE_HUGE]) {
      expect(SAFE_PARSE_OPTIONS & off).toBe(0);
    }
    expect(SAFE_PARSE_OPTIONS & ParseOption.XML_PARSE_NO_XXE).toBe(ParseOption.XML_PARSE_NO_XXE);
  });

  it('never loads a schema named by the document (xsi:schemaLocation)', () => {
    const text = sample('vaccination-no-quantity.xml')
      .toString('utf8')
      .replace(
        `<kmehrmessage xmlns="${NS}"`,
        `<kmehrmessage xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${NS} http://127.0.0.1:9/evil.xsd"`,
      );
    expect(validator.validateBytes(text)).toEqual([]);
  });
});

describe('cost', () => {
  it('compiles the schema once per process, however many validators are made', () => {
    const before = schemaCompilations();
    createXsdValidator(schemaDir).validateBytes(sample('vaccination-no-quantity.xml'));
    createXsdValidator(`${schemaDir}/`).validateBytes(sample('vaccination-no-quantity.xml'));
    expect(schemaCompilations()).toBe(before);
    expect(before).toBe(1);
  });

  it('validates a 5 KB message in well under 10 ms on average (measured ~0.1 ms)', () => {
    const message = sample('vaccination-with-encounterlocation.xml');
    expect(message.length).toBeGreaterThan(4_000);
    const start = performance.now();
    for (let i = 0; i < 200; i++) expect(validator.validateBytes(message)).toEqual([]);
    const avg = (performance.now() - start) / 200;
    expect(avg).toBeLessThan(10);
  });

  it('keeps memory flat over 2 000 in-memory validations of a 30 KB message', () => {
    const message = Buffer.from(repeatedFolders(15));
    expect(message.length).toBeGreaterThan(30_000);
    for (let i = 0; i < 100; i++) validator.validateBytes(message); // warm up allocator pools
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 2_000; i++) validator.validateBytes(message);
    const grown = process.memoryUsage().rss - before;
    // Every wasm document is disposed: a leak of the input size per call would be > 60 MB here.
    expect(grown).toBeLessThan(20 * 1024 * 1024);
  });
});

describe('agreement with xmllint', () => {
  it('gives the same verdict and first error line on valid and invalid documents', () => {
    const cases: [string, string][] = [
      ...readdirSync(vaccinations).map((n): [string, string] => [n, readFileSync(path.join(vaccinations, n), 'utf8')]),
      ['addvaccination.xml', readFileSync(path.join(shared, 'samples/freehealth-connector/addvaccination.xml'), 'utf8')],
      ...readdirSync(path.join(shared, 'samples/vitalink-evs/sumehr')).map((n): [string, string] => [
        n,
        readFileSync(path.join(shared, 'samples/vitalink-evs/sumehr', n), 'utf8'),
      ]),
      ['bad-sex.xml', sample('vaccination-no-quantity.xml').toString('utf8').replace('>male<', '>mail<')],
      [
        'bad-order.xml',
        sample('vaccination-no-quantity.xml')
          .toString('utf8')
          .replace(/(<time>[^<]*<\/time>)(\s*)(<date>[^<]*<\/date>)/, '$3$2$1'),
      ],
      [
        'missing-header.xml',
        sample('vaccination-no-quantity.xml')
          .toString('utf8')
          .replace(/<header>[\s\S]*<\/header>/, ''),
      ],
    ];
    let valid = 0;
    for (const [name, text] of cases) {
      const file = path.join(scratch, name);
      writeFileSync(file, text);
      const ours = validator.validateFile(file);
      expect(ours.length === 0, name).toBe(xmllintValid(file));
      if (ours.length === 0) valid++;
    }
    expect(valid).toBeGreaterThanOrEqual(6);
    expect(cases.length - valid).toBeGreaterThanOrEqual(5);
  });
});

describe('edge cases', () => {
  it('refuses an empty document from memory and from a file alike', () => {
    const empty = path.join(scratch, 'empty.xml');
    writeFileSync(empty, '');
    expect(validator.validateBytes('').map((f) => [f.code, f.params?.detail])).toEqual([['XML_MALFORMED', 'Document is empty']]);
    expect(validator.validateFile(empty).map((f) => [f.code, f.params?.detail])).toEqual([['XML_MALFORMED', 'Document is empty']]);
  });
});

describe('operational errors', () => {
  it('throws for a missing file or a schema directory without the KMEHR schema', () => {
    expect(() => validator.validateFile(path.join(scratch, 'nope.xml'))).toThrow(/ENOENT/);
    expect(() => createXsdValidator(scratch)).toThrow(/KMEHR schema not found/);
  });
});
