import { describe, expect, it } from 'vitest';
import { indicationsOfGroup } from './group-indications.js';
import { HCPARTY_TYPES, HCPARTY_TYPES_USED, isHcpartyType } from './hcparty-types.js';
import { isItemType } from './item-types.js';
import { isVaccineIndication, VACCINE_INDICATIONS } from './vaccine-indications.js';

describe('code lists', () => {
  it('CD-VACCINEINDICATION has the 33 KMEHR 1.43 codes, compared exactly', () => {
    expect(new Set(VACCINE_INDICATIONS).size).toBe(33);
    expect(isVaccineIndication('covid19')).toBe(true);
    expect(isVaccineIndication('diphteria')).toBe(true);
    expect(isVaccineIndication('ixchiq')).toBe(true);
    expect(isVaccineIndication('diphtheria')).toBe(false);
    expect(isVaccineIndication('COVID19')).toBe(false);
  });
  it('CD-HCPARTY has the full table and is compared case-insensitively', () => {
    expect(HCPARTY_TYPES.length).toBe(139);
    for (const v of HCPARTY_TYPES_USED) expect(isHcpartyType(v)).toBe(true);
    expect(isHcpartyType('APPLICATION')).toBe(true);
    expect(isHcpartyType('PersPhysician')).toBe(true);
    expect(isHcpartyType('perspharmacist')).toBe(true);
    expect(isHcpartyType('doctor')).toBe(false);
  });
  it('CD-ITEM accepts vaccine, encounterlocation and adr only', () => {
    expect(['vaccine', 'VACCINE', 'encounterlocation', 'adr'].map(isItemType)).toEqual([true, true, true, true]);
    expect(isItemType('medication')).toBe(false);
  });
  it('derives indications from Vaccinnet groups, combined ones included', () => {
    expect(indicationsOfGroup('COVID-19')).toEqual(['covid19']);
    expect(indicationsOfGroup('DTPA-IPV-HIB-HBV')).toEqual(['diphteria', 'tetanus', 'pertussis', 'poliomyelitis', 'hib', 'hepatitisb']);
    expect(indicationsOfGroup('MBR-VZV')).toEqual(['measles', 'mumps', 'rubella', 'varicella']);
    expect(indicationsOfGroup('VZV-Z')).toEqual(['herpeszoster']);
    expect(indicationsOfGroup('PNC13')).toEqual([]);
    expect(indicationsOfGroup('XYZ')).toBeUndefined();
  });
});
