import { describe, expect, it } from 'vitest';
import { buildCodedVaccineItem, buildVaccineItem, cd } from '../testing/message-builder.js';
import { DEFAULT_VACCINE_TABLE } from './default-vaccine-table.js';
import { defaultVaccineReference, TableVaccineReference } from './vaccine-reference.js';

const ref = defaultVaccineReference();
const cnkItem = (cnk: string) => buildVaccineItem({ contents: [{ kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', cnk)] }] });

describe('default vaccine reference table', () => {
  it('Comirnaty: CNK 4293254 → Covid-19/PFBNT001 → J07BX03', () => {
    expect(ref.byCnk('4293254')).toMatchObject({
      name: 'Comirnaty (1 dosis)',
      manufacturer: 'Pfizer / BioNTech',
      vaccinnetCode: 'Covid-19/PFBNT001',
      atc: 'J07BX03',
      indications: ['covid19'],
    });
  });
  it('Moderna: CNK 4301081 → COVID-19/MDRNA001', () => {
    expect(ref.byCnk('4301081')).toMatchObject({ vaccinnetCode: 'COVID-19/MDRNA001', atc: 'J07BX03', manufacturer: 'Moderna' });
  });
  it('Infanrix Hexa: CNK 1665363 → DTPA-IPV-HIB-HBV/GL001 → J07CA09, six diseases', () => {
    expect(ref.byCnk('1665363')).toMatchObject({
      vaccinnetCode: 'DTPA-IPV-HIB-HBV/GL001',
      atc: 'J07CA09',
      indications: ['diphteria', 'tetanus', 'pertussis', 'poliomyelitis', 'hib', 'hepatitisb'],
    });
  });
  it('Boostrix: CNK 1734094 → DTPA/GL001 → J07AJ52', () => {
    expect(ref.byCnk('1734094')).toMatchObject({ vaccinnetCode: 'DTPA/GL001', atc: 'J07AJ52', indications: ['diphteria', 'tetanus', 'pertussis'] });
  });
  it('normalises CNKs with spaces, dashes and lost leading zeros', () => {
    expect(ref.byCnk('2374 429')?.name).toBe('BOOSTRIX POLIO');
    expect(ref.byCnk('2374429')?.name).toBe('BOOSTRIX POLIO');
    expect(ref.byCnk('69914')?.vaccinnetCode).toBe('TYF/QL001');
    expect(ref.byCnk('0069914')?.vaccinnetCode).toBe('TYF/QL001');
    expect(ref.byCnk('geen CNK')).toBeUndefined();
    expect(ref.byCnk('9999999')).toBeUndefined();
    for (const p of DEFAULT_VACCINE_TABLE) if (p.cnk !== undefined) expect(p.cnk).toMatch(/^\d{7}$/);
  });
  it('looks Vaccinnet codes up case-insensitively', () => {
    expect(ref.byVaccinnetCode('covid-19/pfbnt001')?.cnk).toBe('4293254');
    expect(ref.byVaccinnetCode('COVID-19/PFBNT001')?.cnk).toBe('4293254');
    expect(ref.byVaccinnetCode('pnc13/pf001')?.name).toBe('PREVENAR 13 SER PRE REMPL 1X0,5ML');
    expect(ref.byVaccinnetCode('HBV/AV003')?.cnk).toBe('1657907');
    expect(ref.byVaccinnetCode('covid-19')?.cnk).toBeUndefined();
  });
  it('looks ATC codes up, preferring the generic row', () => {
    expect(ref.byAtc('j07bx03')).toMatchObject({ vaccinnetCode: 'Covid-19' });
    expect(ref.byAtc('J07CA09')).toMatchObject({ vaccinnetCode: 'DTPA-IPV-HIB-HBV' });
    expect(ref.byAtc('J07AK01')?.description).toBe('yersinia pestis, geinactiveerd, hele cel');
    expect(ref.byAtc('J07ZZ99')).toBeUndefined();
  });
  it('keeps the old-codes sheet as retired rows that still resolve', () => {
    expect(ref.byCnk('2394914')).toMatchObject({ vaccinnetCode: 'FLU/AV001', retired: true });
    expect(ref.byCnk('2933-802')).toMatchObject({ vaccinnetCode: 'FLU/AB001', retired: true });
    // an active row wins over a retired one for the same CNK
    expect(ref.byCnk('2950996')?.retired).toBeUndefined();
  });
  it('has only known indications and ATC codes of the J07 group', () => {
    expect(DEFAULT_VACCINE_TABLE.length).toBeGreaterThan(200);
    for (const p of DEFAULT_VACCINE_TABLE) if (p.atc !== undefined) expect(p.atc).toMatch(/^J07[A-Z]{0,2}\d{0,2}$/);
  });
});

describe('COVID-19 detection (kmehr-vaccination.md)', () => {
  it('by indication covid19', () => {
    expect(ref.isCovid19Item(buildCodedVaccineItem([cd('CD-VACCINEINDICATION', 'covid19')]))).toBe(true);
  });
  it('by ATC J07BX03, in any case', () => {
    expect(ref.isCovid19Item(buildCodedVaccineItem([cd('CD-ATC', 'J07BX03')]))).toBe(true);
    expect(ref.isCovid19Item(buildCodedVaccineItem([cd('CD-ATC', 'j07bx03')]))).toBe(true);
  });
  it('by a Vaccinnet code whose group is COVID-19, in any case, even when not in the table', () => {
    expect(ref.isCovid19Item(buildCodedVaccineItem([cd('LOCAL', 'Covid-19/PFBNT001', { sl: 'VACCINNETCODE' })]))).toBe(true);
    expect(ref.isCovid19Item(buildCodedVaccineItem([cd('LOCAL', 'covid-19', { sl: 'vaccinnetcode' })]))).toBe(true);
    expect(ref.isCovid19Item(buildCodedVaccineItem([cd('LOCAL', 'COVID-19/NEW001', { sl: 'VACCINNETCODE' })]))).toBe(true);
    // a LOCAL code with another SL is not a Vaccinnet code
    expect(ref.isCovid19Item(buildCodedVaccineItem([cd('LOCAL', 'COVID-19', { sl: 'OTHER' })]))).toBe(false);
  });
  it('by a CNK mapped to a COVID-19 product', () => {
    expect(ref.isCovid19Item(cnkItem('4293254'))).toBe(true);
    expect(ref.isCovid19Item(cnkItem('4301081'))).toBe(true);
  });
  it('not for other vaccines, unknown CNKs or mere text', () => {
    expect(ref.isCovid19Item(cnkItem('1734094'))).toBe(false);
    expect(ref.isCovid19Item(cnkItem('9999999'))).toBe(false);
    expect(
      ref.isCovid19Item(buildCodedVaccineItem([cd('LOCAL', 'HBV/AV003', { sl: 'VACCINNETCODE' })], { texts: [{ l: 'nl', value: 'Covid-19 vaccines' }] })),
    ).toBe(false);
    expect(ref.isCovid19Item(buildCodedVaccineItem([cd('CD-ATC', 'J07BN01')]))).toBe(false);
  });
  it('by an operator-added COVID ATC code, and a CNK mapped to it', () => {
    const extended = new TableVaccineReference([...DEFAULT_VACCINE_TABLE, { cnk: '5000001', name: 'New COVID vaccine', indications: [], atc: 'J07BN01' }], {
      covidAtcCodes: ['j07bn01'],
    });
    expect(extended.isCovid19Item(buildCodedVaccineItem([cd('CD-ATC', 'J07BN01')]))).toBe(true);
    expect(extended.isCovid19Item(cnkItem('5000001'))).toBe(true);
    expect(extended.isCovidAtc('J07BX03')).toBe(true);
  });
});

describe('describe(item)', () => {
  it('completes a CNK with the table', () => {
    expect(ref.describe(cnkItem('4293254'))).toEqual({
      cnk: '4293254',
      name: 'Comirnaty (1 dosis)',
      manufacturer: 'Pfizer / BioNTech',
      vaccinnetCode: 'Covid-19/PFBNT001',
      group: 'COVID-19',
      atc: 'J07BX03',
      indications: ['covid19'],
      product: ref.byCnk('4293254'),
    });
  });
  it("keeps the item's own codes and names, adds the table's indications", () => {
    const item = buildVaccineItem({
      contents: [
        { kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', '1665 363')], intendedname: 'INFANRIX HEXA' },
        { kind: 'cd', cds: [cd('CD-VACCINEINDICATION', 'hepatitisb')] },
      ],
    });
    expect(ref.describe(item)).toMatchObject({
      cnk: '1665363',
      name: 'INFANRIX HEXA',
      vaccinnetCode: 'DTPA-IPV-HIB-HBV/GL001',
      group: 'DTPA-IPV-HIB-HBV',
      atc: 'J07CA09',
      indications: ['hepatitisb', 'diphteria', 'tetanus', 'pertussis', 'poliomyelitis', 'hib'],
    });
  });
  it('resolves a Vaccinnet code and gives its upper-case group', () => {
    expect(ref.describe(buildCodedVaccineItem([cd('LOCAL', 'hbv/av003', { sl: 'VACCINNETCODE' })]))).toMatchObject({
      cnk: '1657907',
      vaccinnetCode: 'hbv/av003',
      group: 'HBV',
      atc: 'J07BC01',
      indications: ['hepatitisb'],
    });
  });
  it('describes an indication-only item without a product', () => {
    expect(ref.describe(buildCodedVaccineItem([cd('CD-VACCINEINDICATION', 'measles'), cd('CD-VACCINEINDICATION', 'nonsense')]))).toEqual({
      indications: ['measles'],
    });
  });
});
