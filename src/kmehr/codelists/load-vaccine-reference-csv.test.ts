import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCodedVaccineItem, cd } from '../testing/message-builder.js';
import { loadVaccineReferenceCsv } from './load-vaccine-reference-csv.js';
import { defaultVaccineReference } from './vaccine-reference.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sharedCodelists = path.resolve(repoRoot, '../shared/kmehr/codelists');

describe('loadVaccineReferenceCsv', () => {
  it('reads our documented columns (semicolons, quotes, BOM) and replaces the table', () => {
    const csv =
      '\uFEFFcnk;name;manufacturer;vaccinnet_code;indications;atc;description;retired;covid\r\n' +
      '5000001;"NEWVAX; 0,5 ML";Acme;COVID-19/AC001;;J07BN01;"Newvax - ""Covid""";;yes\r\n' +
      '5000002;Flu 2030;Acme;FLU/AC002;seasonalinfluenza|pandemics;J07BB02;;true;\r\n';
    const ref = loadVaccineReferenceCsv(csv);
    expect(ref.products).toHaveLength(2);
    expect(ref.byCnk('5000001')).toEqual({
      cnk: '5000001',
      name: 'NEWVAX; 0,5 ML',
      manufacturer: 'Acme',
      vaccinnetCode: 'COVID-19/AC001',
      description: 'Newvax - "Covid"',
      indications: ['covid19'],
      atc: 'J07BN01',
    });
    expect(ref.byCnk('5000002')).toMatchObject({ indications: ['seasonalinfluenza', 'pandemics'], retired: true });
    expect(ref.byCnk('4293254')).toBeUndefined();
    expect(ref.isCovidAtc('J07BN01')).toBe(true);
    expect(ref.isCovid19Item(buildCodedVaccineItem([cd('CD-ATC', 'J07BN01')]))).toBe(true);
  });

  it('extends a base table; CSV rows win for the same CNK or code; extra COVID ATC codes', () => {
    const csv = 'cnk,name,vaccinnet_code,atc\n4293254,Comirnaty (new pack),Covid-19/PFBNT001,J07BN01\n,,,J07BN02\n';
    const ref = loadVaccineReferenceCsv(csv, { base: defaultVaccineReference(), covidAtcCodes: ['J07BN01', 'J07BN02'] });
    expect(ref.byCnk('4293254')?.name).toBe('Comirnaty (new pack)');
    expect(ref.byCnk('1734094')?.vaccinnetCode).toBe('DTPA/GL001');
    expect(ref.products.length).toBe(defaultVaccineReference().products.length + 1);
    expect(ref.isCovidAtc('j07bn02')).toBe(true);
    expect(ref.isCovidAtc('J07BX03')).toBe(true);
  });

  it("loads Vaccinnet's own code table export as it is (shared/kmehr/codelists)", () => {
    const text = readFileSync(path.join(sharedCodelists, 'vaccincodes.cnk-atc-vaccinnet.derived.csv'), 'utf8');
    const ref = loadVaccineReferenceCsv(text);
    expect(ref.byCnk('4293254')).toMatchObject({ vaccinnetCode: 'Covid-19/PFBNT001', atc: 'J07BX03', indications: ['covid19'] });
    expect(ref.byCnk('2374 429')?.name).toBe('BOOSTRIX POLIO');
    expect(ref.byVaccinnetCode('dtpa-ipv-hib-hbv/gl001')?.atc).toBe('J07CA09');
    // the sheet's note rows ("aanpassen", "toevoegen") are skipped
    expect(ref.products.every((p) => p.cnk !== undefined || p.vaccinnetCode !== undefined || p.atc !== undefined)).toBe(true);
  });

  it('fails loudly on configuration errors, naming the line', () => {
    expect(() => loadVaccineReferenceCsv('')).toThrow('empty file');
    expect(() => loadVaccineReferenceCsv('foo;bar\n1;2\n')).toThrow('names none of the columns');
    expect(() => loadVaccineReferenceCsv('cnk;indications\n5000001;covid-19\n')).toThrow('line 2: "covid-19" is not a CD-VACCINEINDICATION code');
    expect(() => loadVaccineReferenceCsv('cnk,vaccinnet_code\n5000001,XYZ/AC001\n')).toThrow('line 2: give the indications of the unknown Vaccinnet group XYZ');
    expect(() => loadVaccineReferenceCsv('cnk;name\n5000001;"unclosed\n')).toThrow('vaccine reference CSV line 2');
  });
});
