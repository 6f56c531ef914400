import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOf, idOf, itemType, KMEHR_NS, type Item, type KmehrMessage } from './model.js';
import { parseKmehr } from './parse-kmehr.js';
import { SAMPLES } from './test-paths.js';

const vaccination = (name: string): Buffer => readFileSync(path.join(SAMPLES, 'vitalink-evs/vaccination', name));
const sumehr = (name: string): Buffer => readFileSync(path.join(SAMPLES, 'vitalink-evs/sumehr', name));
const freehealth = (): string => readFileSync(path.join(SAMPLES, 'freehealth-connector/addvaccination.xml'), 'utf8');
const withNamespace = (xml: string): string => xml.replace('<kmehrmessage>', `<kmehrmessage xmlns="${KMEHR_NS}">`);

function parsed(input: Buffer | string): KmehrMessage {
  const outcome = parseKmehr(input);
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.findings)}`);
  return outcome.message;
}

function vaccines(message: KmehrMessage): Item[] {
  return message.folders.flatMap((f) => f.transactions.flatMap((t) => t.items.filter((i) => itemType(i) === 'vaccine')));
}

function onlyVaccine(message: KmehrMessage): Item {
  const list = vaccines(message);
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe('parseKmehr on the Vitalink vaccination samples', () => {
  it('reads header, patient and transaction of vaccination-with-encounterlocation.xml', () => {
    const m = parsed(vaccination('vaccination-with-encounterlocation.xml'));
    expect(m.header.standard).toEqual({ s: 'CD-STANDARD', sv: '1.0', value: '20120701' });
    expect(m.header.ids).toEqual([{ s: 'ID-KMEHR', sv: '1.0', value: '99999999.99999999' }]);
    expect([m.header.date, m.header.time]).toEqual(['2020-12-23', '09:31:28']);
    expect(m.header.senders).toEqual([
      { ids: [{ s: 'ID-HCPARTY', sv: '1.0', value: '12345678901' }], cds: [{ s: 'CD-HCPARTY', sv: '1.12', value: 'hub' }], name: 'VITALINK' },
    ]);
    expect(m.header.recipients).toHaveLength(2);
    expect(m.header.recipients[0]).toMatchObject({ firstname: 'John', familyname: 'Doe' });
    expect(m.header.recipients[0]!.ids.map((i) => i.s)).toEqual(['ID-HCPARTY', 'INSS', 'ID-ENCRYPTION-ACTOR']);
    expect(m.header.recipients[1]).toEqual({
      ids: [{ s: 'LOCAL', sl: 'endusersoftwareinfo', sv: '1.0', value: 'code' }],
      cds: [{ s: 'CD-HCPARTY', sv: '1.1', value: 'APPLICATION' }],
    });
    const folder = m.folders[0]!;
    expect(m.folders).toHaveLength(1);
    expect(folder.ids).toEqual([{ s: 'ID-KMEHR', sv: '1.0', value: '1' }]);
    expect(folder.patient).toEqual({
      ids: [{ s: 'ID-PATIENT', sv: '1.0', value: '90010100101' }],
      firstnames: ['John'],
      familyname: 'Doe',
      sex: { s: 'CD-SEX', sv: '1.0', value: 'male' },
      usuallanguage: 'nl-BE',
    });
    const t = folder.transactions[0]!;
    expect(idOf(t.ids, 'LOCAL', 'vitalinkuri')?.value).toBe('/subject/90010100101/vaccination/1586229FC465486F8C1A90FF7490B6F9/1');
    expect(codeOf(t.cds, 'CD-TRANSACTION')?.value).toBe('vaccination');
    expect([t.date, t.time, t.iscomplete, t.isvalidated]).toEqual(['2020-12-11', '00:26:20', true, true]);
    expect(t.authors.map((a) => a.name)).toEqual(['VITALINK', 'VLAAMS AGENTSCHAP ZORG EN GEZONDHEID']);
    expect(t.items.map(itemType)).toEqual(['vaccine', 'encounterlocation']);
    const encounter = t.items[1]!;
    expect(encounter.texts).toEqual([{ l: 'en', value: 'Country where vaccine was administered' }]);
    // The author's address (country AU) is not modelled; the hcparty itself is kept.
    expect(encounter.authors).toEqual([{ ids: [], cds: [{ s: 'CD-HCPARTY', sv: '1.0', value: 'orgpublichealth' }] }]);
    const v = t.items[0]!;
    expect(v.contents).toEqual([
      {
        kind: 'medicinalproduct',
        intendedcds: [{ s: 'CD-DRUG-CNK', sv: '1.0', value: '3926664' }],
        intendedname: 'ALPHARIX TETRA 0,5ML SPUITAMP 2019', // trailing space trimmed
      },
    ]);
    expect(v.beginmoment).toEqual({ date: '2020-08-17' });
    expect(v.lifecycle?.value).toBe('administrated');
    expect(v.quantity).toEqual({ decimal: '1.00' });
    expect(v.batch).toBeUndefined();
  });

  it('reads the CNK product, date, lifecycle and quantity of vaccination-with-medicinal-product.xml', () => {
    const v = onlyVaccine(parsed(vaccination('vaccination-with-medicinal-product.xml')));
    expect(v.contents).toEqual([
      { kind: 'medicinalproduct', intendedcds: [{ s: 'CD-DRUG-CNK', sv: '1.0', value: '3926664' }], intendedname: 'ALPHARIX TETRA 0,5ML SPUITAMP 2019' },
    ]);
    expect(v.beginmoment?.date).toBe('2020-08-17');
    expect(v.lifecycle).toEqual({ s: 'CD-LIFECYCLE', sv: '1.0', value: 'administrated' });
    expect(v.quantity?.decimal).toBe('1.00');
    expect(v.batch).toBeUndefined();
  });

  it('reads vaccination-with-substance-product.xml (which, despite its name, carries a medicinalproduct)', () => {
    const v = onlyVaccine(parsed(vaccination('vaccination-with-substance-product.xml')));
    expect(v.contents.map((c) => c.kind)).toEqual(['medicinalproduct']);
    expect(v.contents[0]).toMatchObject({ intendedcds: [{ value: '3926664' }] });
    expect(v.beginmoment?.date).toBe('2020-08-17');
    expect(v.quantity?.decimal).toBe('1.00');
  });

  it('reads the ATC code, text and lot of vaccination-with-cdatc-and-batch.xml', () => {
    const m = parsed(vaccination('vaccination-with-cdatc-and-batch.xml'));
    const v = onlyVaccine(m);
    expect(v.contents).toEqual([{ kind: 'cd', cds: [{ s: 'CD-ATC', sv: '1.0', value: 'J07BX03' }] }]);
    expect(v.texts).toEqual([{ l: 'nl', value: 'Covid-19 vaccines' }]);
    expect(v.beginmoment).toEqual({ date: '2020-12-15' });
    expect(v.lifecycle?.value).toBe('administrated');
    expect(v.quantity).toEqual({ decimal: '1.00' });
    expect(v.batch).toBe('12345678');
    expect(m.folders[0]!.transactions[0]!.date).toBe('2020-12-16');
  });

  it('reads the Vaccinnet code of vaccination-with-vaccinnetcode.xml', () => {
    const v = onlyVaccine(parsed(vaccination('vaccination-with-vaccinnetcode.xml')));
    expect(v.contents).toEqual([{ kind: 'cd', cds: [{ s: 'LOCAL', sl: 'VACCINNETCODE', sv: '1.0', value: 'HBV/AV003' }] }]);
    const content = v.contents[0];
    expect(content?.kind === 'cd' ? codeOf(content.cds, 'LOCAL', 'vaccinnetcode')?.value : undefined).toBe('HBV/AV003');
    expect(v.beginmoment?.date).toBe('2020-08-17');
    expect(v.lifecycle?.value).toBe('administrated');
    expect(v.quantity?.decimal).toBe('1.00');
  });

  it('reads vaccination-no-quantity.xml: no lifecycle, no quantity, no lot', () => {
    const v = onlyVaccine(parsed(vaccination('vaccination-no-quantity.xml')));
    expect(v.contents).toEqual([
      { kind: 'medicinalproduct', intendedcds: [{ s: 'CD-DRUG-CNK', sv: '1.0', value: '1077593' }], intendedname: 'TEDIVAX PRO ADULTO SER INJ 1X 0,5ML' },
    ]);
    expect(v.beginmoment).toEqual({ date: '2016-01-05' });
    expect(v.lifecycle).toBeUndefined();
    expect(v.quantity).toBeUndefined();
    expect(v.batch).toBeUndefined();
  });

  it('skips what it does not model (feedback, a folder text without L) instead of failing', () => {
    const m = parsed(vaccination('vaccination-with-unparsable-content.xml'));
    const v = onlyVaccine(m);
    expect(v.batch).toBe('12345678');
    expect(v.contents).toEqual([{ kind: 'cd', cds: [{ s: 'CD-ATC', sv: '1.0', value: 'J07BX03' }] }]);
  });
});

describe('parseKmehr on the sumehr samples (vaccines among other items)', () => {
  const influvac = {
    contents: [
      { kind: 'cd', cds: [{ s: 'CD-VACCINEINDICATION', sv: '1.0', value: 'seasonalinfluenza' }] },
      {
        kind: 'medicinalproduct',
        intendedcds: [{ s: 'CD-DRUG-CNK', sv: '20100701', value: '4172672' }],
        intendedname: 'Influvac Tetra 2020-2021 inj. susp. i.m./s.c. [voorgev. spuit] 1x0,5ml',
      },
      { kind: 'cd', cds: [{ s: 'CD-ATC', sv: '1.2', value: 'J07BB02' }] },
    ],
    beginmoment: { date: '2021-01-21' },
    lifecycle: { s: 'CD-LIFECYCLE', sv: '1.6', value: 'active' },
  };

  it('3-sumehr-2dot0.xml: Tedivax with indication and a content text; every item is read', () => {
    const xml = sumehr('3-sumehr-2dot0.xml');
    const m = parsed(xml);
    const t = m.folders[0]!.transactions[0]!;
    expect(codeOf(t.cds, 'CD-TRANSACTION')?.value).toBe('sumehr');
    expect(t.items).toHaveLength(xml.toString().split('<item>').length - 1);
    const v = onlyVaccine(m);
    expect(v.ids).toEqual([{ s: 'ID-KMEHR', sv: '1.0', value: '16' }]);
    expect(v.contents).toEqual([
      { kind: 'medicinalproduct', intendedcds: [{ s: 'CD-DRUG-CNK', sv: '1999', value: '1077593' }], intendedname: 'TEDIVAX PRO ADULTO SER INJ 0,5ML' },
      { kind: 'text', texts: [{ l: 'nl', value: 'custom text' }] },
      { kind: 'cd', cds: [{ s: 'CD-VACCINEINDICATION', sv: '1.0', value: 'diphteria' }] },
    ]);
    expect(v.beginmoment).toEqual({ date: '2006-01-17' });
    expect([v.lifecycle, v.quantity, v.batch]).toEqual([undefined, undefined, undefined]);
    // A content holding a person or an hcparty is not modelled: those contents are skipped.
    const contact = t.items.find((i) => itemType(i) === 'contactperson')!;
    expect(contact.cds.map((c) => c.value)).toEqual(['contactperson', 'mother']);
    expect(contact.contents).toEqual([]);
    // Single-quoted attributes are fine.
    const medication = t.items.find((i) => itemType(i) === 'medication')!;
    expect(medication.contents[1]).toEqual({ kind: 'text', texts: [{ l: 'fr', value: 'MEDROL 32MG' }] });
    expect(medication.endmoment).toEqual({ date: '2030-01-01' });
  });

  it('4-sumehr-2dot0.xml: Influvac with indication, CNK and ATC; regimen quantities do not leak into items', () => {
    const xml = sumehr('4-sumehr-2dot0.xml');
    const m = parsed(xml);
    const t = m.folders[0]!.transactions[0]!;
    expect(t.items).toHaveLength(xml.toString().split('<item>').length - 1);
    expect(onlyVaccine(m)).toMatchObject({ ...influvac, texts: [] });
    expect(onlyVaccine(m).quantity).toBeUndefined();
    expect(t.items.every((i) => i.quantity === undefined)).toBe(true);
    expect(t.texts).toEqual([{ l: 'NL', value: 'Algemene notitie bij deze sumehr: aangebracht door BP voor test' }]);
    expect(m.header.standard.value).toBe('20161201');
  });

  it('6-sumehr-vaccine-textItem.xml: Influvac with an item text', () => {
    const v = onlyVaccine(parsed(sumehr('6-sumehr-vaccine-textItem.xml')));
    expect(v).toMatchObject({ ...influvac, texts: [{ l: 'en', value: 'First injection' }] });
    expect([v.quantity, v.batch]).toEqual([undefined, undefined]);
  });

  it('7-with-nullflavor.xml: Influvac; cd elements with nullFlavor are read by value', () => {
    const m = parsed(sumehr('7-with-nullflavor.xml'));
    expect(onlyVaccine(m)).toMatchObject(influvac);
    const items = m.folders[0]!.transactions[0]!.items;
    expect(items[0]!.cds).toEqual([{ s: 'CD-ITEM', sv: '1.6', value: 'problem' }]);
    expect(items[0]!.lifecycle?.value).toBe('inactive');
  });
});

describe('parseKmehr on the freehealth AddVaccinations payload', () => {
  it('refuses it as is: the root has no namespace', () => {
    const outcome = parseKmehr(freehealth());
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.findings.map((f) => [f.code, f.value, f.location])).toEqual([['KMEHR_NAMESPACE', 'kmehrmessage', '/']]);
  });

  it('with the namespace added it parses, keeping the empty CD-TRANSACTION as a code with value ""', () => {
    const m = parsed(withNamespace(freehealth()));
    const t = m.folders[0]!.transactions[0]!;
    expect(t.cds).toEqual([{ s: 'CD-TRANSACTION', sv: '1.0', value: '' }]);
    expect(m.folders[0]!.patient).toMatchObject({ familyname: 'Jocqué', birthdate: '1972-02-21', firstnames: ['Sam'] });
    expect(m.header.senders[0]).toMatchObject({ name: 'Veerle Piessens', ids: [{ s: 'ID-HCPARTY', value: '14700250004' }] });
    expect(m.header.recipients[0]).toEqual({ ids: [], cds: [{ s: 'CD-HCPARTY', sv: '1.0', value: 'orgpublichealth' }], name: 'VAZG' });
    const v = onlyVaccine(m);
    expect(v.contents).toEqual([
      { kind: 'medicinalproduct', intendedcds: [{ s: 'CD-DRUG-CNK', sv: '1.0', value: '1665363' }], intendedname: 'INFANRIX HEXA DOS 1 SUSP INJ IM 0,5' },
    ]);
    expect(v.beginmoment).toEqual({ date: '2021-03-25' });
    expect(v.quantity).toEqual({ decimal: '1' });
    expect(v.batch).toBe('LTNR123');
    expect(v.lifecycle).toBeUndefined();
  });

  it('freezes the outcome and the folder list; the model objects are readonly by type, not frozen (docs/decisions.md)', () => {
    const m = parsed(withNamespace(freehealth()));
    const outcome = parseKmehr(withNamespace(freehealth()));
    const v = onlyVaccine(m);
    expect(Object.isFrozen(outcome) && Object.isFrozen(m) && Object.isFrozen(m.folders)).toBe(true);
    // Decided for batch throughput: ~40 Object.freeze per folder were ~5 % of a batch's parse + validation CPU.
    expect(Object.isFrozen(v) || Object.isFrozen(m.header.senders[0]!.ids)).toBe(false);
    // @ts-expect-error the model is readonly: TypeScript refuses every write, which is what keeps it immutable
    v.batch = 'X';
  });
});

describe('parseKmehr structure', () => {
  const base = withNamespace(freehealth());

  it('reads items inside (nested) headings, transaction texts and lnk TYPE/URL', () => {
    const item = base.slice(base.indexOf('<item>'), base.indexOf('</item>') + '</item>'.length);
    const xml = base.replace(
      item,
      `<heading><id S="ID-KMEHR" SV="1.0">1</id><cd S="CD-HEADING" SV="1.0">history</cd><text L="en">skipped</text>` +
        `<heading><id S="ID-KMEHR" SV="1.0">2</id><cd S="CD-HEADING" SV="1.0">history</cd>${item}</heading></heading>` +
        `${item.replace('LTNR123', 'LOT2')}<text L="nl">Tekst &amp; uitleg</text>` +
        `<lnk TYPE="isanewversionof" URL="https://example.org/a?b=1&amp;c=2"/>`,
    );
    const t = parsed(xml).folders[0]!.transactions[0]!;
    expect(t.items.map((i) => i.batch)).toEqual(['LTNR123', 'LOT2']);
    expect(t.texts).toEqual([{ l: 'nl', value: 'Tekst & uitleg' }]);
    expect(t.links).toEqual([{ type: 'isanewversionof', url: 'https://example.org/a?b=1&c=2' }]);
  });

  it('reads quantity units, site, route, endmoment time, item author and CDATA text', () => {
    const xml = base
      .replace('<batch>LTNR123</batch>', '<batch><![CDATA[L<1>]]></batch>')
      .replace(
        '<quantity>\n                    <decimal>1</decimal>\n                </quantity>',
        '<lifecycle><cd S="CD-LIFECYCLE" SV="1.0">administrated</cd></lifecycle>' +
          '<quantity><decimal>0.5</decimal><unit><cd S="CD-UNIT" SV="1.0">ml</cd></unit></quantity>' +
          '<site><cd S="CD-SITE" SV="1.0">LA</cd></site><route><cd S="CD-DRUG-ROUTE" SV="2.0">00005</cd></route>',
      )
      .replace('</beginmoment>', '</beginmoment><endmoment><date>2021-03-26</date><time>10:00:00</time></endmoment>')
      .replace(
        '<beginmoment>',
        '<author><hcparty><id S="ID-HCPARTY" SV="1.0">10000000001</id><cd S="CD-HCPARTY" SV="1.0">persnurse</cd><firstname>An</firstname><familyname>Smet</familyname></hcparty></author><beginmoment>',
      );
    const v = onlyVaccine(parsed(xml));
    expect(v.quantity).toEqual({ decimal: '0.5', unit: { s: 'CD-UNIT', sv: '1.0', value: 'ml' } });
    expect(v.site).toEqual({ s: 'CD-SITE', sv: '1.0', value: 'LA' });
    expect(v.route).toEqual({ s: 'CD-DRUG-ROUTE', sv: '2.0', value: '00005' });
    expect(v.endmoment).toEqual({ date: '2021-03-26', time: '10:00:00' });
    expect(v.authors).toEqual([
      {
        ids: [{ s: 'ID-HCPARTY', sv: '1.0', value: '10000000001' }],
        cds: [{ s: 'CD-HCPARTY', sv: '1.0', value: 'persnurse' }],
        firstname: 'An',
        familyname: 'Smet',
      },
    ]);
    expect(v.batch).toBe('L<1>');
  });

  it('ignores elements of other namespaces and cd elements in unexpected places', () => {
    const xml = base
      .replace('<header>', '<header><x:cd xmlns:x="urn:other" S="CD-STANDARD">1</x:cd>')
      .replace('<batch>', '<cd S="CD-ITEM" SV="1.0">oops</cd><batch>')
      .replace('<patient>', '<patient><cd S="CD-SEX" SV="1.0">female</cd>');
    const m = parsed(xml);
    expect(m.header.standard.value).toBe('20120701');
    expect(m.folders[0]!.patient.sex?.value).toBe('male');
  });

  it.each([
    ['header', (x: string) => x.replace(/<header>[\s\S]*<\/header>/, ''), '/kmehrmessage'],
    ['patient', (x: string) => x.replace(/<patient>[\s\S]*<\/patient>/, ''), '/kmehrmessage/folder[1]'],
    ['transaction', (x: string) => x.replace(/<transaction>[\s\S]*<\/transaction>/, ''), '/kmehrmessage/folder[1]'],
    ['folder', (x: string) => x.replace(/<folder>[\s\S]*<\/folder>/, ''), '/kmehrmessage'],
    ['standard', (x: string) => x.replace(/<standard>[\s\S]*<\/standard>/, ''), '/kmehrmessage/header'],
    ['date', (x: string) => x.replace('<date>2021-03-25</date>', ''), '/kmehrmessage/header'],
    ['decimal', (x: string) => x.replace('<decimal>1</decimal>', ''), '/kmehrmessage/folder[1]/transaction[1]/item[1]/quantity'],
  ])('refuses a message without %s with KMEHR_FIELD_MISSING and its location', (field, edit, location) => {
    const outcome = parseKmehr(edit(base));
    expect(outcome.ok).toBe(false);
    const f = !outcome.ok ? outcome.findings[0]! : undefined;
    expect([f?.code, f?.params?.field, f?.location]).toEqual(['KMEHR_FIELD_MISSING', field, location]);
    expect(f?.line).toBeGreaterThan(0);
  });

  it('does not judge business rules: a sumehr transaction type parses (the rules refuse it)', () => {
    const xml = base.replace('<cd S="CD-TRANSACTION" SV="1.0"/>', '<cd S="CD-TRANSACTION" SV="1.0">sumehr</cd>');
    expect(parseKmehr(xml).ok).toBe(true);
  });
});
