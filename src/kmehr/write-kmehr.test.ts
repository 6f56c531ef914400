import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchMessage } from './generate-batch.js';
import { KMEHR_NS, type Item, type KmehrMessage } from './model.js';
import { parseKmehr } from './parse-kmehr.js';
import { KMEHR_XSD, SAMPLES } from './test-paths.js';
import { writeItem, writeKmehr } from './write-kmehr.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kmehr-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Validates with Debian xmllint against the official XSD; returns its stderr when invalid. */
function xsdErrors(xml: string, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', KMEHR_XSD, file], { encoding: 'utf8' });
  if (run.error !== undefined) throw run.error; // xmllint missing must fail the test, not pass it
  return run.status === 0 ? '' : run.stderr;
}

function parsed(input: Buffer | string): KmehrMessage {
  const outcome = parseKmehr(input);
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.findings)}`);
  return outcome.message;
}

const VALID_SAMPLES: ReadonlyArray<readonly [string, () => string]> = [
  ...[
    'vaccination-no-quantity.xml',
    'vaccination-with-cdatc-and-batch.xml',
    'vaccination-with-encounterlocation.xml',
    'vaccination-with-medicinal-product.xml',
    'vaccination-with-substance-product.xml',
    'vaccination-with-vaccinnetcode.xml',
  ].map((n) => [n, () => readFileSync(path.join(SAMPLES, 'vitalink-evs/vaccination', n), 'utf8')] as const),
  ...['3-sumehr-2dot0.xml', '4-sumehr-2dot0.xml', '6-sumehr-vaccine-textItem.xml', '7-with-nullflavor.xml'].map(
    (n) => [n, () => readFileSync(path.join(SAMPLES, 'vitalink-evs/sumehr', n), 'utf8')] as const,
  ),
  [
    'freehealth addvaccination.xml (namespace added)',
    () => readFileSync(path.join(SAMPLES, 'freehealth-connector/addvaccination.xml'), 'utf8').replace('<kmehrmessage>', `<kmehrmessage xmlns="${KMEHR_NS}">`),
  ],
];

describe('writeKmehr round trip', () => {
  it.each(VALID_SAMPLES)('%s: parse → write → parse gives the same model, and the output is XSD-valid', (name, read) => {
    const first = parsed(read());
    const written = writeKmehr(first);
    expect(parsed(written)).toEqual(first);
    expect(xsdErrors(written, 'rt.xml')).toBe('');
    // Writing is deterministic: the second generation is byte-identical.
    expect(writeKmehr(parsed(written))).toBe(written);
  });

  it('a generated batch message round-trips and validates', () => {
    const first = parsed(batchMessage(20));
    const written = writeKmehr(first);
    expect(parsed(written)).toEqual(first);
    expect(xsdErrors(written, 'batch.xml')).toBe('');
  });
});

describe('writeKmehr output', () => {
  const base = parsed(VALID_SAMPLES[2]![1]()); // vaccination-with-encounterlocation.xml

  it('emits item children in XSD order (content, text, author, beginmoment, lifecycle, quantity, site, route, batch)', () => {
    const item: Item = {
      ...base.folders[0]!.transactions[0]!.items[0]!,
      texts: [{ l: 'nl', value: 'tekst' }],
      authors: [{ ids: [], cds: [{ s: 'CD-HCPARTY', value: 'persnurse' }], firstname: 'An', familyname: 'Smet' }],
      endmoment: { date: '2020-08-18', time: '10:00:00' },
      quantity: { decimal: '0.5', unit: { s: 'CD-UNIT', value: 'ml' } },
      site: { s: 'CD-SITE', sv: '1.0', value: 'LA' },
      route: { s: 'CD-DRUG-ROUTE', sv: '2.0', value: '00005' },
      batch: 'AB12',
    };
    const xml = writeItem(item);
    const order = [
      '<id ',
      '<cd S="CD-ITEM"',
      '<content>',
      '<text L="nl"',
      '<author>',
      '<beginmoment>',
      '<endmoment>',
      '<lifecycle>',
      '<quantity>',
      '<site>',
      '<route>',
      '<batch>',
    ];
    const positions = order.map((tag) => xml.indexOf(tag));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(xml.startsWith(`<item xmlns="${KMEHR_NS}">`)).toBe(true);
    // Missing SV is written as "1.0" (the XSD requires SV).
    expect(xml).toContain('<unit><cd S="CD-UNIT" SV="1.0">ml</cd></unit>');
    const message: KmehrMessage = {
      ...base,
      folders: [{ ...base.folders[0]!, transactions: [{ ...base.folders[0]!.transactions[0]!, items: [item] }] }],
    };
    expect(xsdErrors(writeKmehr(message), 'order.xml')).toBe('');
  });

  it('the XSD check is real: a model missing what the XSD requires is reported', () => {
    const item: Item = { ...base.folders[0]!.transactions[0]!.items[0]!, cds: [] };
    const message: KmehrMessage = {
      ...base,
      folders: [{ ...base.folders[0]!, transactions: [{ ...base.folders[0]!.transactions[0]!, items: [item] }] }],
    };
    expect(xsdErrors(writeKmehr(message), 'invalid.xml')).toMatch(/fails to validate/);
  });

  it('writes hcparty as id, cd, then name or firstname/familyname', () => {
    const xml = writeKmehr(base);
    expect(xml).toContain(
      '<hcparty><id S="ID-HCPARTY" SV="1.0">12345678901</id><id S="INSS" SV="1.0">98765432101</id>' +
        '<id S="ID-ENCRYPTION-ACTOR" SV="1.0">99999999</id><cd S="CD-HCPARTY" SV="1.1">persphysician</cd>' +
        '<cd S="CD-ENCRYPTION-ACTOR" SV="1.0">NIHII</cd><firstname>John</firstname><familyname>Doe</familyname></hcparty>',
    );
  });

  it('escapes text and attributes and round-trips awkward characters', () => {
    const nasty = 'a & b < c > d "e" \'f\' tab\there\r\nline é 💉';
    const item: Item = {
      ...base.folders[0]!.transactions[0]!.items[0]!,
      ids: [{ s: 'LOCAL', sl: 'x"y<&\tz', sv: '1.0', value: 'id&1' }],
      texts: [{ l: 'en', value: nasty.trim() }],
      batch: 'L<1>&"2"',
    };
    const xml = writeItem(item);
    expect(xml).toContain('SL="x&quot;y&lt;&amp;&#9;z"');
    expect(xml).toContain('<batch>L&lt;1&gt;&amp;"2"</batch>');
    const message: KmehrMessage = {
      ...base,
      folders: [{ ...base.folders[0]!, transactions: [{ ...base.folders[0]!.transactions[0]!, items: [item] }] }],
    };
    const back = parsed(writeKmehr(message)).folders[0]!.transactions[0]!.items[0]!;
    expect(back.ids).toEqual(item.ids);
    expect(back.texts[0]!.value).toBe(nasty.trim());
    expect(back.batch).toBe('L<1>&"2"');
  });

  it('drops characters XML cannot carry instead of writing a broken document', () => {
    const item: Item = { ...base.folders[0]!.transactions[0]!.items[0]!, batch: 'A\u0000B\u001bC\ud800D' };
    expect(writeItem(item)).toContain('<batch>ABCD</batch>');
  });

  it('writeItem output is a standalone, namespaced item that parses back inside a message', () => {
    const original = base.folders[0]!.transactions[0]!.items[1]!; // encounterlocation item with an author
    const xml = writeItem(original);
    expect(xml).toBe(
      `<item xmlns="${KMEHR_NS}"><id S="ID-KMEHR" SV="1.0">2</id><cd S="CD-ITEM" SV="1.0">encounterlocation</cd>` +
        '<text L="en">Country where vaccine was administered</text>' +
        '<author><hcparty><cd S="CD-HCPARTY" SV="1.0">orgpublichealth</cd></hcparty></author></item>',
    );
  });
});
