import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultVaccineReference } from '../kmehr/codelists/vaccine-reference.js';
import { parseKmehr } from '../kmehr/parse-kmehr.js';
import { checkMessage } from '../kmehr/rules/check-message.js';
import { KMEHR_XSD } from '../kmehr/test-paths.js';
import { writeKmehr } from '../kmehr/write-kmehr.js';
import type { BatchSender } from './batch-parties.js';
import { parseCsvDate } from '../csv/csv-date.js';
import { csvToKmehr, formatCsvErrors } from './csv-to-kmehr.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vaccinnet-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sender: BatchSender = {
  userCode: 'UZ0001',
  nihii: '71000436',
  name: 'AZ Voorbeeld',
  doctorNihii: '14700250004',
  doctorFirstname: 'Veerle',
  doctorFamilyname: 'Piessens',
};
const now = new Date('2026-03-10T09:00:00Z');
let ids = 0;
const newId = (): string => `generated-${++ids}`;

const GOOD = [
  'insz;firstname;familyname;birthdate;sex;cnk;vaccinnet_code;date;lot;local_id',
  '85071412330;Jan;Peeters;14/07/1985;M;4293254;;2026-03-09;FK1234;11111111-1111-4111-8111-111111111111',
  '50010100156;Marie;Janssens;;;;HBV/GL003;2026-03-05;;',
  '85071412330;Jan;Peeters;1985-07-14;male;1075712;;08/03/2026;LT9;22222222-2222-4222-8222-222222222222',
].join('\r\n');

describe('csvToKmehr', () => {
  it('groups rows by INSZ into folders, one transaction per row, with the sender, author and recipient', () => {
    const r = csvToKmehr(GOOD, { sender, now, newId });
    if (!r.ok) throw new Error(formatCsvErrors(r.errors).join('\n'));
    expect(r.vaccinations).toBe(3);
    const m = r.message;
    expect(m.header.senders[0]).toEqual({
      ids: [
        { s: 'LOCAL', sl: 'VACCINNET-USER', sv: '1.0', value: 'UZ0001' },
        { s: 'ID-HCPARTY', sv: '1.0', value: '71000436' },
      ],
      cds: [{ s: 'CD-HCPARTY', sv: '1.0', value: 'orghospital' }],
      name: 'AZ Voorbeeld',
    });
    expect(m.header.recipients[0]!.name).toBe('VAZG');
    expect(m.header.date).toBe('2026-03-10');
    expect(m.folders.map((f) => [f.patient.ids[0]!.value, f.transactions.length])).toEqual([
      ['85071412330', 2],
      ['50010100156', 1],
    ]);
    const [jan, marie] = m.folders;
    expect(jan!.patient).toMatchObject({ firstnames: ['Jan'], familyname: 'Peeters', birthdate: '1985-07-14', sex: { value: 'male' } });
    // Sex and birth date taken from the INSZ when the row leaves them empty.
    expect(marie!.patient).toMatchObject({ birthdate: '1950-01-01', sex: { value: 'male' } });
    const [t1, t2] = jan!.transactions;
    expect(t1!.ids).toEqual([
      { s: 'ID-KMEHR', sv: '1.0', value: '1' },
      { s: 'LOCAL', sl: 'UUID', sv: '1.0', value: '11111111-1111-4111-8111-111111111111' },
    ]);
    expect(t2!.ids[1]!.value).toBe('22222222-2222-4222-8222-222222222222');
    expect(marie!.transactions[0]!.ids[1]!.value).toMatch(/^generated-\d+$/);
    expect(t1!.authors[0]!.ids[0]!.value).toBe('14700250004');
    expect(t1!.items[0]).toMatchObject({ batch: 'FK1234', beginmoment: { date: '2026-03-09' }, lifecycle: { value: 'administrated' } });
    expect(t1!.items[0]!.contents[0]).toMatchObject({ kind: 'medicinalproduct', intendedcds: [{ s: 'CD-DRUG-CNK', value: '4293254' }] });
    expect(t2!.items[0]!.beginmoment!.date).toBe('2026-03-08');
    const marieCodes = marie!.transactions[0]!.items[0]!.contents.flatMap((c) => (c.kind === 'cd' ? c.cds : []));
    expect(marieCodes).toContainEqual({ s: 'LOCAL', sl: 'VACCINNETCODE', sv: '1.0', value: 'HBV/GL003' });
    expect(marieCodes).toContainEqual({ s: 'CD-VACCINEINDICATION', sv: '1.0', value: 'hepatitisb' });
    expect(marie!.transactions[0]!.items[0]!.batch).toBeUndefined();
  });

  it('writes a message the official XSD accepts, that parses back equal and passes the message rules', () => {
    const r = csvToKmehr(GOOD.replaceAll(';', ','), { sender: { ...sender, nihii: undefined, cbe: '0203201340', type: 'orgpractice' }, now, newId });
    if (!r.ok) throw new Error(formatCsvErrors(r.errors).join('\n'));
    const xml = writeKmehr(r.message);
    const file = path.join(dir, 'csv.xml');
    writeFileSync(file, xml);
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', KMEHR_XSD, file], { stdio: 'pipe' });
    const parsed = parseKmehr(xml);
    expect(parsed.ok && parsed.message).toEqual(r.message);
    expect(checkMessage(r.message, { today: '2026-03-10', reference: defaultVaccineReference() }).filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('reports every row error with its line and column, the INSZ masked', () => {
    const csv = [
      'insz,firstname,familyname,birthdate,sex,cnk,date,lot,local_id',
      '85071412331,Jan,Peeters,,,4293254,2026-03-09,FK1,',
      '',
      '85071412330,Jan,Peeters,,,9999999,2026-03-09,X,',
      '"85071412330",Jan,"Pee',
      'ters",,,4293254,31/02/2026,FK2,',
      '50010100156,Marie,Janssens,,,4293254,2026-03-11,,a',
      '50010100156,Marie,Janssens,,,1075712,2026-03-01,,a',
    ].join('\n');
    const r = csvToKmehr(csv, { sender, now, newId });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.column, e.value])).toEqual([
      [2, 'insz', '850714*****'],
      [4, 'cnk', '9999999'],
      [5, 'date', '31/02/2026'],
      [7, 'date', '2026-03-11'],
      [7, 'lot', undefined],
      [8, 'local_id', 'a'],
    ]);
    expect(formatCsvErrors(r.errors)[0]).toBe('line 2, column insz (850714*****): invalid INSZ: check digits match neither the 19xx nor the 20xx rule');
    expect(JSON.stringify(r.errors)).not.toContain('85071412331');
  });

  it('refuses missing columns, unknown columns and contradicting rows of one patient', () => {
    const r1 = csvToKmehr('insz;naam;date\n85071412330;x;2026-01-01\n', { sender, now });
    expect(!r1.ok && r1.errors.map((e) => e.column)).toEqual(['naam', 'firstname', 'familyname', 'cnk']);
    const r2 = csvToKmehr('insz,firstname,familyname,sex,cnk,date,lot\n85071412330,Jan,P,M,4293254,2026-03-01,A\n85071412330,Jan,P,F,1075712,2026-03-02,\n', {
      sender,
      now,
    });
    expect(!r2.ok && r2.errors.map((e) => [e.line, e.column])).toEqual([[3, 'sex']]);
    expect(csvToKmehr('', { sender, now }).ok).toBe(false);
  });
});

describe('CSV helpers', () => {
  it('reads what csv-parse gets right: a BOM, CRLF, quoted fields holding the delimiter, quotes and line breaks', () => {
    const csv =
      '\uFEFF' +
      [
        'insz,firstname,familyname,birthdate,sex,cnk,date,lot,local_id',
        '85071412330,"Jan, Pieter","Peeters ""de jonge""",,,4293254,2026-03-09,FK1,',
        '50010100156,"Marie',
        'Louise",Janssens,,,4293254,2026-03-08,FK2,',
        '50010100156,Marie,Janssens,,,4293254,2026-03-32,FK3,',
      ].join('\r\n');
    const r = csvToKmehr(csv, { sender, now, newId });
    // The bad date is on line 5, after a record that spans lines 3-4: the line each record starts on is kept.
    expect(!r.ok && r.errors.map((e) => [e.line, e.column])).toEqual([[5, 'date']]);
    const fixed = csvToKmehr(csv.replace('2026-03-32', '2026-03-07'), { sender, now, newId });
    if (!fixed.ok) throw new Error(formatCsvErrors(fixed.errors).join('\n'));
    const [jan, marie] = fixed.message.folders;
    expect(jan!.patient).toMatchObject({ firstnames: ['Jan, Pieter'], familyname: 'Peeters "de jonge"' });
    expect(marie!.patient.firstnames).toEqual(['Marie\r\nLouise']);
  });

  it('refuses a file that is not CSV with the line where it stops being CSV', () => {
    const r = csvToKmehr('insz;firstname;familyname;cnk;date\n85071412330;Jan;"Peeters;4293254;2026-03-09\n', { sender, now });
    expect(!r.ok && formatCsvErrors(r.errors)).toEqual([
      'line 2, column field 3: not readable as CSV: a quoted field that starts on this line is not closed before the end of the file',
    ]);
  });

  it('parses ISO and Belgian dates and refuses impossible ones', () => {
    expect([parseCsvDate('2026-03-01'), parseCsvDate('1/3/2026'), parseCsvDate('01-03-2026'), parseCsvDate('2026-02-30'), parseCsvDate('2026/03/01')]).toEqual([
      '2026-03-01',
      '2026-03-01',
      '2026-03-01',
      undefined,
      undefined,
    ]);
  });
});
