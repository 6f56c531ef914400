import { describe, expect, it } from 'vitest';
import { defaultVaccineReference, TableVaccineReference } from '../kmehr/codelists/index.js';
import { buildCodedVaccineItem, cd, COMIRNATY_CNK } from '../kmehr/testing/message-builder.js';
import { vaccineProduct } from './vaccine-product.js';

describe('vaccineProduct (memoised per reference table)', () => {
  const reference = defaultVaccineReference();
  const cnkItem = (cnk: string) =>
    buildCodedVaccineItem([], { contents: [{ kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', cnk)], intendedname: 'As submitted' }] });

  it('answers the same product for items with the same codes, and another one as soon as a code differs', () => {
    const first = vaccineProduct(cnkItem(COMIRNATY_CNK), reference);
    expect(first.atc).toBe('J07BX03');
    expect(first.group).toBe('COVID-19');
    expect(vaccineProduct(cnkItem(COMIRNATY_CNK), reference)).toBe(first);
    const unknown = vaccineProduct(cnkItem('9999999'), reference);
    expect(unknown).not.toBe(first);
    expect(unknown.cnk).toBe('9999999');
    expect(unknown.atc).toBeUndefined();
  });

  it('keys on the code scheme and the intended name, not only the values', () => {
    const byAtc = vaccineProduct(buildCodedVaccineItem([cd('CD-ATC', 'J07BX03')]), reference);
    const byIndication = vaccineProduct(buildCodedVaccineItem([cd('CD-VACCINEINDICATION', 'J07BX03')]), reference);
    expect(byAtc.atc).toBe('J07BX03');
    expect(byIndication.atc).toBeUndefined();
    const named = (name: string) =>
      buildCodedVaccineItem([], { contents: [{ kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', COMIRNATY_CNK)], intendedname: name }] });
    expect(vaccineProduct(named('Name A'), reference).name).toBe('Name A');
    expect(vaccineProduct(named('Name B'), reference).name).toBe('Name B');
  });

  it('keeps the answers of one reference table apart from another table', () => {
    const item = cnkItem(COMIRNATY_CNK);
    const other = new TableVaccineReference([{ cnk: COMIRNATY_CNK, name: 'Operator name', vaccinnetCode: 'OTHER/X001', indications: [] }]);
    expect(vaccineProduct(item, reference).group).toBe('COVID-19');
    expect(vaccineProduct(item, other).group).toBe('OTHER');
  });
});
