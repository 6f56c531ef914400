import { describe, expect, it } from 'vitest';
import { defaultVaccineReference } from '../codelists/vaccine-reference.js';
import type { Code, Item, KmehrMessage } from '../model.js';
import {
  buildBatchMessage,
  buildCodedVaccineItem,
  buildHcParty,
  buildOrganisationParty,
  buildVaccinationMessage,
  buildVaccineItem,
  cd,
  withHeader,
  withItem,
  withPatient,
  withTransaction,
} from '../testing/message-builder.js';
import { checkMessage, checkTransaction, type RuleContext } from './check-message.js';

/**
 * The mutation corpus: each case changes the builder's valid message in one way (or several) at model level and
 * asserts the complete list of findings: code, XPath location down to the element, and the offending value.
 */
const ctx: RuleContext = { today: '2024-03-15', reference: defaultVaccineReference() };
const T = '/kmehrmessage/folder[1]/transaction[1]';
const I = `${T}/item[1]`;
const P = '/kmehrmessage/folder[1]/patient';
const S = '/kmehrmessage/header/sender';

/** INSZ from its first nine digits (identity.md §4 formula). */
const insz = (first9: string, century: 1900 | 2000 = 1900): string =>
  first9 + String(97 - ((Number(first9) + (century === 2000 ? 2_000_000_000 : 0)) % 97)).padStart(2, '0');

const base = buildVaccinationMessage();
const item = (patch: Partial<Item>): KmehrMessage => withItem(base, patch);
const coded = (codes: Code[], patch: Partial<Item> = {}): KmehrMessage => buildVaccinationMessage({ item: buildCodedVaccineItem(codes, patch) });
const cnk = (value: string, patch: Partial<Item> = {}): KmehrMessage =>
  item({ contents: [{ kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', value)] }], ...patch });
const patientId = (value: string): KmehrMessage => withPatient(base, { ids: [{ s: 'ID-PATIENT', sv: '1.0', value }] });
const adrItem = buildVaccineItem({
  ids: [{ s: 'ID-KMEHR', value: '2' }],
  cds: [cd('CD-ITEM', 'adr')],
  contents: [{ kind: 'text', texts: [{ l: 'nl', value: 'koorts' }] }],
  batch: undefined,
  lifecycle: undefined,
});
const vaccinnet = (value: string): Code => cd('LOCAL', value, { sl: 'VACCINNETCODE' });
const noBatch = { batch: undefined };

type Expected = readonly (readonly [string, string | undefined, string | undefined])[];

const CASES: readonly (readonly [string, KmehrMessage, Expected])[] = [
  // rule 2: COVID-19 lot number, COVID-19 recognised each way
  ['COVID-19 by CNK without batch', item(noBatch), [['COVID_LOT_MISSING', `${I}/batch`, undefined]]],
  ['COVID-19 with a blank batch', item({ batch: '  ' }), [['COVID_LOT_MISSING', `${I}/batch`, '  ']]],
  ['COVID-19 by ATC J07BX03 without batch', coded([cd('CD-ATC', 'J07BX03')], noBatch), [['COVID_LOT_MISSING', `${I}/batch`, undefined]]],
  ['COVID-19 by Vaccinnet group in lower case', coded([vaccinnet('covid-19/mdrna001')], noBatch), [['COVID_LOT_MISSING', `${I}/batch`, undefined]]],
  ['COVID-19 by indication covid19', coded([cd('CD-VACCINEINDICATION', 'covid19')], noBatch), [['COVID_LOT_MISSING', `${I}/batch`, undefined]]],
  ['COVID-19 by the Moderna CNK', cnk('4301081', noBatch), [['COVID_LOT_MISSING', `${I}/batch`, undefined]]],
  ['a non-COVID vaccine (Boostrix) needs no batch', cnk('1734094', noBatch), []],
  // rule 3: adverse events with COVID-19
  ['an adr item with a COVID-19 dose', buildVaccinationMessage({ extraItems: [adrItem] }), [['COVID_ADVERSE_EVENT', `${T}/item[2]`, 'adr']]],
  [
    'an adr item with a non-COVID dose is allowed',
    buildVaccinationMessage({ item: { contents: cnk('1734094').folders[0]!.transactions[0]!.items[0]!.contents }, extraItems: [adrItem] }),
    [],
  ],
  [
    'adverse-event text in the transaction',
    withTransaction(base, { texts: [{ l: 'nl', value: 'Bijwerking: koorts na vaccinatie' }] }),
    [['COVID_ADVERSE_EVENT', `${T}/text[1]`, 'Bijwerking: koorts na vaccinatie']],
  ],
  [
    'French adverse-event text',
    withTransaction(base, {
      texts: [
        { l: 'fr', value: 'ok' },
        { l: 'fr', value: 'Effet indésirable signalé' },
      ],
    }),
    [['COVID_ADVERSE_EVENT', `${T}/text[2]`, 'Effet indésirable signalé']],
  ],
  ['harmless transaction text', withTransaction(base, { texts: [{ l: 'nl', value: 'Tweede dosis, geen klachten (address check)' }] }), []],
  [
    'a link to an adverse-event report',
    withTransaction(base, { links: [{ type: 'isareplyto', url: 'https://example.org/adverse-event/123' }] }),
    [['COVID_ADVERSE_EVENT', `${T}/lnk[1]`, 'https://example.org/adverse-event/123']],
  ],
  // rule 4: the patient INSZ
  ['INSZ with wrong check digits', patientId('85071412331'), [['INSZ_CHECKSUM', `${P}/id[1]`, '85071412331']]],
  ['INSZ of 10 digits', patientId('8507141233'), [['INSZ_FORMAT', `${P}/id[1]`, '8507141233']]],
  ['INSZ of 31 February', patientId(insz('850231123')), [['INSZ_DATE', `${P}/id[1]`, insz('850231123')]]],
  ['INSZ with sequence 000', patientId(insz('850714000')), [['INSZ_DATE', `${P}/id[1]`, insz('850714000')]]],
  ['INSZ with month part 13', patientId(insz('851314123')), [['INSZ_DATE', `${P}/id[1]`, insz('851314123')]]],
  ['INSZ with month part 53', patientId(insz('855314123')), [['INSZ_DATE', `${P}/id[1]`, insz('855314123')]]],
  ['INSZ born after today', patientId(insz('240316123', 2000)), [['INSZ_BIRTH_IN_FUTURE', `${P}/id[1]`, insz('240316123', 2000)]]],
  ['the public-sample placeholder INSZ', patientId('90010100101'), [['INSZ_CHECKSUM', `${P}/id[1]`, '90010100101']]],
  ['no ID-PATIENT at all', withPatient(base, { ids: [{ s: 'LOCAL', sl: 'x', value: 'p1' }] }), [['KMEHR_FIELD_MISSING', P, undefined]]],
  ['a valid BIS number', patientId('85493004321'), []],
  // rule 7: transaction type and vaccine item count
  [
    'empty CD-TRANSACTION (the freehealth sample)',
    withTransaction(base, { cds: [cd('CD-TRANSACTION', '')] }),
    [['KMEHR_TRANSACTION_TYPE_MISSING', `${T}/cd[1]`, '']],
  ],
  ['no CD-TRANSACTION', withTransaction(base, { cds: [cd('CD-TRANSACTION-MAB', 'x')] }), [['KMEHR_TRANSACTION_TYPE_MISSING', T, undefined]]],
  [
    'another transaction type (other rules skipped)',
    withItem(withTransaction(base, { cds: [cd('CD-TRANSACTION', 'sumehr')] }), noBatch),
    [['KMEHR_NOT_VACCINATION', `${T}/cd[1]`, 'sumehr']],
  ],
  [
    'two vaccine items',
    buildVaccinationMessage({ extraItems: [buildVaccineItem({ ids: [{ s: 'ID-KMEHR', value: '2' }] })] }),
    [['KMEHR_VACCINE_ITEM_COUNT', T, '2']],
  ],
  ['no vaccine item', item({ cds: [cd('CD-ITEM', 'encounterlocation')] }), [['KMEHR_VACCINE_ITEM_COUNT', T, '0']]],
  // lifecycle
  ['lifecycle planned', item({ lifecycle: cd('CD-LIFECYCLE', 'planned') }), [['KMEHR_LIFECYCLE', `${I}/lifecycle/cd`, 'planned']]],
  ['no lifecycle is fine', item({ lifecycle: undefined }), []],
  // code lists
  [
    'unknown CD-VACCINEINDICATION beside a CNK',
    item({ contents: [...base.folders[0]!.transactions[0]!.items[0]!.contents, { kind: 'cd', cds: [cd('CD-VACCINEINDICATION', 'covid-19')] }] }),
    [['KMEHR_CODE_UNKNOWN', `${I}/content[2]/cd[1]`, 'covid-19']],
  ],
  [
    'unknown CD-ITEM',
    buildVaccinationMessage({ extraItems: [buildVaccineItem({ cds: [cd('CD-ITEM', 'medication')], batch: undefined })] }),
    [['KMEHR_CODE_UNKNOWN', `${T}/item[2]/cd[1]`, 'medication']],
  ],
  [
    'item without CD-ITEM',
    item({ cds: [] }),
    [
      ['KMEHR_VACCINE_ITEM_COUNT', T, '0'],
      ['KMEHR_FIELD_MISSING', I, undefined],
    ],
  ],
  [
    'unknown CD-HCPARTY of the sender',
    withHeader(base, { senders: [buildHcParty({ cds: [cd('CD-HCPARTY', 'doctor')] })] }),
    [['KMEHR_CODE_UNKNOWN', `${S}/hcparty[1]/cd[1]`, 'doctor']],
  ],
  ['CD-HCPARTY in upper case is accepted', withHeader(base, { recipients: [{ ids: [], cds: [cd('CD-HCPARTY', 'APPLICATION')] }] }), []],
  // rule 8: product
  ['unknown CNK, nothing else', cnk('9999999'), [['PRODUCT_UNKNOWN', `${I}/content[1]/medicinalproduct/intendedcd[1]`, '9999999']]],
  [
    'unknown CNK with a known indication: warning',
    item({
      contents: [
        { kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', '9999999')] },
        { kind: 'cd', cds: [cd('CD-VACCINEINDICATION', 'covid19')] },
      ],
    }),
    [['PRODUCT_UNLISTED', `${I}/content[1]/medicinalproduct/intendedcd[1]`, '9999999']],
  ],
  ['unknown COVID-19 Vaccinnet code', coded([vaccinnet('COVID-19/XX999')]), [['PRODUCT_UNKNOWN', `${I}/content[1]/cd[1]`, 'COVID-19/XX999']]],
  ['unknown ATC', coded([cd('CD-ATC', 'J07ZZ99')]), [['PRODUCT_UNKNOWN', `${I}/content[1]/cd[1]`, 'J07ZZ99']]],
  [
    'known CNK beside an unknown ATC',
    item({ contents: [...base.folders[0]!.transactions[0]!.items[0]!.contents, { kind: 'cd', cds: [cd('CD-ATC', 'J07ZZ99')] }] }),
    [['PRODUCT_UNKNOWN', `${I}/content[2]/cd[1]`, 'J07ZZ99']],
  ],
  ['no product at all', item({ contents: [] }), [['PRODUCT_NOT_IDENTIFIED', I, undefined]]],
  [
    'only a substance product',
    item({ contents: [{ kind: 'substanceproduct', intendedcds: [cd('CD-INNCLUSTER', '123')] }] }),
    [['PRODUCT_NOT_IDENTIFIED', I, undefined]],
  ],
  ['CNK with a space is normalised', cnk('4293 254'), []],
  ['indication only identifies the product', coded([cd('CD-VACCINEINDICATION', 'measles')]), []],
  // rule 9: administration date
  ['no beginmoment', item({ beginmoment: undefined }), [['KMEHR_FIELD_MISSING', I, undefined]]],
  ['beginmoment without date', item({ beginmoment: { time: '10:00:00' } }), [['KMEHR_FIELD_MISSING', `${I}/beginmoment`, undefined]]],
  ['30 February', item({ beginmoment: { date: '2024-02-30' } }), [['DATE_INVALID', `${I}/beginmoment/date`, '2024-02-30']]],
  ['not an xs:date', item({ beginmoment: { date: '01/03/2024' } }), [['DATE_INVALID', `${I}/beginmoment/date`, '01/03/2024']]],
  [
    'in the future',
    withTransaction(item({ beginmoment: { date: '2024-03-16' } }), { date: '2024-03-16' }),
    [['DATE_IN_FUTURE', `${I}/beginmoment/date`, '2024-03-16']],
  ],
  ['today is not the future', withTransaction(item({ beginmoment: { date: '2024-03-15' } }), { date: '2024-03-15' }), []],
  ['after the transaction date', item({ beginmoment: { date: '2024-03-05' } }), [['DATE_AFTER_TRANSACTION', `${I}/beginmoment/date`, '2024-03-05']]],
  ['before the birth date element', item({ beginmoment: { date: '1985-07-13' } }), [['DATE_BEFORE_BIRTH', `${I}/beginmoment/date`, '1985-07-13']]],
  [
    'before the birth date of the INSZ (no birthdate element)',
    withPatient(item({ beginmoment: { date: '1985-07-13' } }), { birthdate: undefined }),
    [['DATE_BEFORE_BIRTH', `${I}/beginmoment/date`, '1985-07-13']],
  ],
  [
    'before the birth month of a BIS number with day 00',
    withPatient(item({ beginmoment: { date: '1972-02-29' } }), { birthdate: undefined, ids: [{ s: 'ID-PATIENT', value: '72230000123' }] }),
    [['DATE_BEFORE_BIRTH', `${I}/beginmoment/date`, '1972-02-29']],
  ],
  [
    'in the birth month of a BIS number with day 00',
    withPatient(item({ beginmoment: { date: '1972-03-01' } }), { birthdate: undefined, ids: [{ s: 'ID-PATIENT', value: '72230000123' }] }),
    [],
  ],
  ['invalid birthdate element', withPatient(base, { birthdate: '1985-02-30' }), [['DATE_INVALID', `${P}/birthdate/date`, '1985-02-30']]],
  ['invalid transaction date', withTransaction(base, { date: '2024-13-01' }), [['DATE_INVALID', `${T}/date`, '2024-13-01']]],
  // rule 11: NIHII check digits of sender and authors
  [
    'sender NIHII with wrong check digits',
    withHeader(base, { senders: [buildHcParty({ ids: [{ s: 'ID-HCPARTY', value: '10182803004' }] })] }),
    [['NIHII_CHECKSUM', `${S}/hcparty[1]/id[1]`, '10182803004']],
  ],
  [
    'sender NIHII of 10 digits',
    withHeader(base, { senders: [buildHcParty({ ids: [{ s: 'ID-HCPARTY', value: '1470025000' }] })] }),
    [['NIHII_FORMAT', `${S}/hcparty[1]/id[1]`, '1470025000']],
  ],
  ['author NIHII by the 89 rule is accepted', withTransaction(base, { authors: [buildHcParty({ ids: [{ s: 'ID-HCPARTY', value: '14700226005' }] })] }), []],
  [
    'author NIHII with wrong check digits (second id)',
    withTransaction(base, {
      authors: [
        buildHcParty({
          ids: [
            { s: 'INSS', value: '85071412330' },
            { s: 'ID-HCPARTY', value: '14700251004' },
          ],
        }),
      ],
    }),
    [['NIHII_CHECKSUM', `${T}/author/hcparty[1]/id[2]`, '14700251004']],
  ],
  [
    'author without ID-HCPARTY',
    withTransaction(base, { authors: [buildHcParty({ ids: [{ s: 'INSS', value: '85071412330' }] })] }),
    [['KMEHR_FIELD_MISSING', `${T}/author`, undefined]],
  ],
  [
    'item author with wrong check digits',
    item({ authors: [buildHcParty({ ids: [{ s: 'ID-HCPARTY', value: '11478762004' }] })] }),
    [['NIHII_CHECKSUM', `${I}/author/hcparty[1]/id[1]`, '11478762004']],
  ],
  ['organisation sender with a valid NIHII-8', withHeader(base, { senders: [buildOrganisationParty()] }), []],
  [
    'organisation sender with a bad NIHII-8 and a bad CBE',
    withHeader(base, {
      senders: [
        buildOrganisationParty({
          ids: [
            { s: 'ID-HCPARTY', value: '71000437' },
            { s: 'ID-CBE', value: '0314595349' },
          ],
        }),
      ],
    }),
    [
      ['NIHII_CHECKSUM', `${S}/hcparty[1]/id[1]`, '71000437'],
      ['CBE_INVALID', `${S}/hcparty[1]/id[2]`, '0314595349'],
    ],
  ],
  // rule 13: quantity
  ['quantity 0', item({ quantity: { decimal: '0' } }), [['QUANTITY_NOT_POSITIVE', `${I}/quantity/decimal`, '0']]],
  ['quantity -1.00', item({ quantity: { decimal: '-1.00' } }), [['QUANTITY_NOT_POSITIVE', `${I}/quantity/decimal`, '-1.00']]],
  ['quantity not a number', item({ quantity: { decimal: 'one' } }), [['QUANTITY_NOT_POSITIVE', `${I}/quantity/decimal`, 'one']]],
  ['quantity 0.5 is fine', item({ quantity: { decimal: '0.5' } }), []],
  // several problems at once: every one is reported
  [
    'five problems in one message',
    withHeader(
      withPatient(item({ batch: undefined, quantity: { decimal: '0' }, lifecycle: cd('CD-LIFECYCLE', 'refused') }), {
        ids: [{ s: 'ID-PATIENT', value: '85071412331' }],
      }),
      { senders: [buildHcParty({ ids: [{ s: 'ID-HCPARTY', value: '10182803004' }] })] },
    ),
    [
      ['NIHII_CHECKSUM', `${S}/hcparty[1]/id[1]`, '10182803004'],
      ['INSZ_CHECKSUM', `${P}/id[1]`, '85071412331'],
      ['KMEHR_LIFECYCLE', `${I}/lifecycle/cd`, 'refused'],
      ['COVID_LOT_MISSING', `${I}/batch`, undefined],
      ['QUANTITY_NOT_POSITIVE', `${I}/quantity/decimal`, '0'],
    ],
  ],
  [
    'empty transaction type, unknown product and a future date together',
    withTransaction(cnk('1234567', { beginmoment: { date: '2024-04-01' } }), { cds: [cd('CD-TRANSACTION', '')], date: '2024-04-01' }),
    [
      ['KMEHR_TRANSACTION_TYPE_MISSING', `${T}/cd[1]`, ''],
      ['PRODUCT_UNKNOWN', `${I}/content[1]/medicinalproduct/intendedcd[1]`, '1234567'],
      ['DATE_IN_FUTURE', `${I}/beginmoment/date`, '2024-04-01'],
    ],
  ],
];

describe('message rules: mutation corpus', () => {
  it('starts from a valid message', () => {
    expect(checkMessage(base, ctx)).toEqual([]);
  });

  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('%s', (_name, message, expected) => {
    const got = checkMessage(message, ctx).map((f) => [f.code, f.location, f.value]);
    expect(got).toEqual(expected.map((e) => [...e]));
  });
});

describe('message rules: details', () => {
  it('names the dates a date was compared with', () => {
    const [after] = checkMessage(item({ beginmoment: { date: '2024-03-05' } }), ctx);
    expect(after?.params?.date).toBe('2024-03-01');
    expect(after?.message).toBe(`The administration date 2024-03-05 at ${I}/beginmoment/date is after the transaction date 2024-03-01.`);
    const [bis] = checkMessage(
      withPatient(item({ beginmoment: { date: '1972-02-29' } }), { birthdate: undefined, ids: [{ s: 'ID-PATIENT', value: '72230000123' }] }),
      ctx,
    );
    expect(bis?.params?.date).toBe('1972-03');
  });

  it('says which code list and which product field failed', () => {
    const [unknown] = checkMessage(coded([cd('CD-ATC', 'J07ZZ99')]), ctx);
    expect(unknown?.params?.field).toBe('ATC');
    const [list] = checkMessage(item({ contents: [{ kind: 'cd', cds: [cd('CD-VACCINEINDICATION', 'flu')] }] }), ctx);
    expect(list).toMatchObject({ code: 'KMEHR_CODE_UNKNOWN', params: { field: 'CD-VACCINEINDICATION' } });
  });

  it('reports the unknown-product warning as a warning', () => {
    const [f] = checkMessage(
      item({
        contents: [
          { kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', '9999999')] },
          { kind: 'cd', cds: [cd('CD-VACCINEINDICATION', 'covid19')] },
        ],
      }),
      ctx,
    );
    expect(f?.severity).toBe('warning');
  });

  it('gives INSZ details without the number', () => {
    const [f] = checkMessage(patientId(insz('850231123')), ctx);
    expect(f?.params?.detail).toBe('day 31 does not exist in 1985-02');
  });
});

describe('checkTransaction on batch-shaped messages', () => {
  const batch = buildBatchMessage(2, 2);
  const broken = withItem(batch, { batch: undefined, quantity: { decimal: '0' } }, 1, 1);

  it('locates problems in folder 2, transaction 2', () => {
    expect(checkMessage(batch, ctx)).toEqual([]);
    expect(checkMessage(broken, ctx).map((f) => [f.code, f.location])).toEqual([
      ['COVID_LOT_MISSING', '/kmehrmessage/folder[2]/transaction[2]/item[1]/batch'],
      ['QUANTITY_NOT_POSITIVE', '/kmehrmessage/folder[2]/transaction[2]/item[1]/quantity/decimal'],
    ]);
  });

  it('gives each transaction its own result, including header and patient problems', () => {
    expect(checkTransaction(broken, 0, 0, ctx)).toEqual([]);
    expect(checkTransaction(broken, 1, 0, ctx)).toEqual([]);
    expect(checkTransaction(broken, 1, 1, ctx).map((f) => f.code)).toEqual(['COVID_LOT_MISSING', 'QUANTITY_NOT_POSITIVE']);
    const badPatient = withPatient(broken, { ids: [{ s: 'ID-PATIENT', value: '90010100101' }] }, 0);
    expect(checkTransaction(badPatient, 0, 1, ctx).map((f) => [f.code, f.location])).toEqual([['INSZ_CHECKSUM', '/kmehrmessage/folder[1]/patient/id[1]']]);
    const badSender = withHeader(broken, { senders: [buildHcParty({ ids: [{ s: 'ID-HCPARTY', value: '10182803004' }] })] });
    expect(checkTransaction(badSender, 0, 0, ctx).map((f) => f.code)).toEqual(['NIHII_CHECKSUM']);
    // checkMessage reports header and patient problems once, not per transaction
    expect(checkMessage(badPatient, ctx).filter((f) => f.code === 'INSZ_CHECKSUM')).toHaveLength(1);
  });
});
