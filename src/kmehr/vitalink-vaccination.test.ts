import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VACCINE_INDICATIONS } from './codelists/vaccine-indications.js';
import { parseKmehr } from './parse-kmehr.js';
import { readVitalinkVaccination } from './read-vitalink-vaccination.js';
import { SAMPLES, SHARED_KMEHR } from './test-paths.js';
import { formatVitalinkUri, parseVitalinkUri } from './vitalink-uri.js';
import {
  writeVitalinkVaccination,
  type VitalinkMessageInput,
  type VitalinkPatient,
  type VitalinkRecipient,
  type VitalinkVaccination,
} from './vitalink-vaccination.js';
import { createXsdValidator } from './xsd/xsd-validator.js';
import { instantOf, zonedMoment } from './zoned-moment.js';

const xsd = createXsdValidator(path.join(SHARED_KMEHR, 'schema'));
const SAMPLE_DIR = path.join(SAMPLES, 'vitalink-evs/vaccination');
// The one deliberately invalid read-back (an unknown element, a folder text): not a shape to follow.
const VALID_SAMPLES = readdirSync(SAMPLE_DIR).filter((f) => f.endsWith('.xml') && !f.includes('unparsable'));

// Text as stored: read from XML, so trimmed and free of what XML cannot carry; with the characters that need escaping.
const textChar = fc.constantFrom(...'aZ09 -/.,&<>"\'é中\t\n\r', '😀');
const text = fc
  .string({ unit: textChar, minLength: 1, maxLength: 24 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0 && s !== '-');
const digits = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const hex32 = fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), minLength: 32, maxLength: 32 });
const day = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const instant = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
const decimal = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.option(digits(2), { nil: undefined }))
  .map(([i, f]) => (f === undefined ? String(i) : `${i}.${f}`));

const vaccination: fc.Arbitrary<VitalinkVaccination> = fc.record(
  {
    address: fc.record({ ssin: digits(11), vaccinationId: hex32, version: fc.integer({ min: 1, max: 999 }) }),
    registeredAt: instant,
    responsibleNihii: digits(11),
    product: fc.record(
      {
        cnk: digits(7),
        name: text,
        vaccinnetCode: text,
        atc: text,
        indications: fc.uniqueArray(fc.constantFrom(...VACCINE_INDICATIONS), { maxLength: 4 }),
      },
      { requiredKeys: ['indications'] },
    ),
    administeredOn: day,
    quantity: decimal,
    lot: text,
  },
  { requiredKeys: ['address', 'registeredAt', 'product', 'administeredOn'] },
);

const patient: fc.Arbitrary<VitalinkPatient> = fc.record(
  { firstname: text, familyname: text, birthdate: day, sex: fc.constantFrom('male', 'female', 'unknown', 'changed', 'undefined') },
  { requiredKeys: [] },
);

const recipient: fc.Arbitrary<VitalinkRecipient> = fc.oneof(
  fc.record({ kind: fc.constant('person' as const), ssin: digits(11), softwareId: text }),
  fc.record({ kind: fc.constant('organisation' as const), idType: fc.constantFrom('NIHII-GROUP_DOCTORS', 'CBE'), id: digits(8), softwareId: text }),
);

const input: fc.Arbitrary<VitalinkMessageInput> = fc.record(
  {
    vaccination,
    patient,
    recipient,
    messageId: text,
    createdAt: instant,
    timeZone: fc.constantFrom('Europe/Brussels', 'UTC', 'America/St_Johns', 'Asia/Kathmandu'),
  },
  { requiredKeys: ['vaccination', 'recipient', 'messageId', 'createdAt', 'timeZone'] },
);

describe('Vitalink-shaped vaccination message', () => {
  it('every generated message is XSD-valid and reads back through parseKmehr to the same vaccination and patient', () => {
    fc.assert(
      fc.property(input, (i) => {
        const xml = writeVitalinkVaccination(i);
        expect(xsd.validateBytes(xml)).toEqual([]);
        const parsed = parseKmehr(xml);
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.findings));
        const read = readVitalinkVaccination(parsed.message);
        if (!read.ok) throw new Error(read.problem);
        expect(read.vaccination).toEqual(i.vaccination);
        // personType requires a sex: a register entry without one reads back as KMEHR's "unknown".
        expect(read.patient).toEqual({ ...i.patient, sex: i.patient?.sex ?? 'unknown' });
      }),
      { numRuns: 300 },
    );
  });

  it('the transaction carries the vitalinkuri as LOCAL SL="vitalinkuri", as the read-backs do', () => {
    const xml = writeVitalinkVaccination({
      vaccination: {
        address: { ssin: '90010100101', vaccinationId: 'B7DED837B32744F49C537460C9E7E14B', version: 1 },
        registeredAt: '2016-01-13T13:24:30.000Z',
        product: { cnk: '1077593', indications: [] },
        administeredOn: '2016-01-05',
      },
      recipient: { kind: 'person', ssin: '98765432101', softwareId: 'code' },
      messageId: 'VACCINNET.1',
      createdAt: '2021-01-07T13:39:23.000Z',
      timeZone: 'Europe/Brussels',
    });
    expect(xml).toContain('<id S="LOCAL" SV="1.0" SL="vitalinkuri">/subject/90010100101/vaccination/B7DED837B32744F49C537460C9E7E14B/1</id>');
    // Local time in Brussels (winter: +01:00), as the read-backs show local times, with the offset that makes it exact.
    expect(xml).toContain('<date>2016-01-13</date><time>14:24:30+01:00</time>');
  });

  it("refuses to guess an instant from the read-backs' times, which carry no offset", () => {
    const read = (name: string) => {
      const parsed = parseKmehr(readFileSync(path.join(SAMPLE_DIR, name)));
      if (!parsed.ok) throw new Error(name);
      return readVitalinkVaccination(parsed.message);
    };
    // The read-backs' times have no offset: not an instant this reader will guess.
    expect(read('vaccination-with-cdatc-and-batch.xml')).toEqual({ ok: false, problem: 'the transaction date/time 2020-12-16 18:54:58 is not an instant' });
  });
});

/** Every element path of a document, each `cd`/`id` qualified by its S (and SL) attributes. */
function elementPaths(xml: string): Set<string> {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const out = new Set<string>();
  const walk = (el: Element, prefix: string): void => {
    let name = el.localName ?? el.nodeName;
    if (name === 'cd' || name === 'id' || name === 'intendedcd') {
      const s = el.getAttribute('S') ?? '';
      const sl = el.getAttribute('SL');
      name += `[@S=${s}]${sl ? `[@SL=${sl}]` : ''}`;
    }
    const here = `${prefix}/${name}`;
    out.add(here);
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) walk(c as Element, here);
  };
  walk(doc.documentElement as unknown as Element, '');
  return out;
}

describe('shape against the public Vitalink read-backs', () => {
  const samplePaths = new Set(VALID_SAMPLES.flatMap((f) => [...elementPaths(readFileSync(path.join(SAMPLE_DIR, f), 'utf8'))]));
  const T = '/kmehrmessage/folder/transaction';
  const I = `${T}/item`;
  // Ours adds these, each a stored field the read-backs happen not to show (their placeholder patient has no birth
  // date; their products come one code per message).
  const OURS_ONLY = new Set([
    '/kmehrmessage/folder/patient/birthdate',
    '/kmehrmessage/folder/patient/birthdate/date',
    `${I}/content/cd[@S=CD-VACCINEINDICATION]`,
  ]);
  // The read-backs have these; the registry stores none of them (addresses, encryption actors, language, abroad).
  const NOT_STORED = /\/address|ENCRYPTION|usuallanguage|\[@S=ID-HCPARTY\]$|hcparty\/firstname|hcparty\/familyname|\/item\/author|CD-FED-COUNTRY/;

  const full = writeVitalinkVaccination({
    vaccination: {
      address: { ssin: '90010100101', vaccinationId: '6840A9C6578D453BAC07795069378521', version: 1 },
      registeredAt: '2020-12-16T17:54:58.000Z',
      responsibleNihii: '10000008001',
      product: { cnk: '4293254', name: 'COMIRNATY', vaccinnetCode: 'Covid-19/PFBNT001', atc: 'J07BX03', indications: ['covid19'] },
      administeredOn: '2020-12-15',
      quantity: '1.00',
      lot: '12345678',
    },
    patient: { firstname: 'John', familyname: 'Doe', birthdate: '1990-01-01', sex: 'male' },
    recipient: { kind: 'person', ssin: '98765432101', softwareId: 'code' },
    messageId: '99999999.99999999',
    createdAt: '2020-12-23T08:54:14.000Z',
    timeZone: 'Europe/Brussels',
  });
  const ours = elementPaths(full);

  it('every element path we emit appears in the read-backs, but for the stored fields they do not show', () => {
    const foreign = [...ours].filter((p) => !samplePaths.has(p) && !OURS_ONLY.has(p));
    expect(foreign).toEqual([]);
  });

  it('every element path of the read-backs that holds something the registry stores is emitted', () => {
    const missing = [...samplePaths].filter((p) => !ours.has(p) && !NOT_STORED.test(p) && !p.includes('CD-ITEM]') && !p.includes('encounterlocation'));
    // The item `text` is the product name when there is no CNK (this one has a CNK); the other read-back hcparty
    // codes name the hub (CD-HCPARTY hub) where we are the registry itself.
    expect(missing).toEqual([`${I}/text`]);
    for (const p of [`${T}/id[@S=LOCAL][@SL=vitalinkuri]`, `${I}/batch`, `${I}/quantity/decimal`, `${I}/lifecycle/cd[@S=CD-LIFECYCLE]`])
      expect(ours).toContain(p);
  });
});

describe('vitalinkuri and zoned moments', () => {
  it('format and parse are inverse; anything else is not a vitalinkuri', () => {
    const a = { ssin: '90010100101', vaccinationId: 'B7DED837B32744F49C537460C9E7E14B', version: 12 };
    expect(parseVitalinkUri(formatVitalinkUri(a))).toEqual(a);
    for (const bad of [
      '/subject/9001010010/vaccination/B7DED837B32744F49C537460C9E7E14B/1',
      '/subject/90010100101/vaccination/b7ded837b32744f49c537460c9e7e14b/1',
      '/subject/90010100101/vaccination/B7DED837B32744F49C537460C9E7E14B/0',
    ])
      expect(parseVitalinkUri(bad)).toBeUndefined();
  });

  it('the repeated hour at the end of summer time stays two instants', () => {
    const first = zonedMoment('2024-10-27T00:30:00.000Z', 'Europe/Brussels');
    const second = zonedMoment('2024-10-27T01:30:00.000Z', 'Europe/Brussels');
    expect([first.time, second.time]).toEqual(['02:30:00+02:00', '02:30:00+01:00']);
    expect(instantOf(first.date, first.time)).toBe('2024-10-27T00:30:00.000Z');
    expect(instantOf(second.date, second.time)).toBe('2024-10-27T01:30:00.000Z');
    expect(instantOf('2024-10-27', '02:30:00')).toBeUndefined();
  });
});
