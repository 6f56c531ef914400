import { productCodesOf } from '../codelists/product-codes-of.js';
import { isVaccineIndication } from '../codelists/vaccine-indications.js';
import { locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';

/** Code list CD-VACCINEINDICATION (KMEHR 1.43, 33 codes): every indication in an item's content is known. */
export function indicationCodeRule(s: TransactionScope): Finding[] {
  const out: Finding[] = [];
  const items = s.transaction.items;
  for (let i = 0; i < items.length; i++) {
    for (const c of productCodesOf(items[i]!)) {
      if (c.kind !== 'indication' || isVaccineIndication(c.value)) continue;
      out.push(finding('KMEHR_CODE_UNKNOWN', { location: `${locate.item(s.f, s.t, i)}/${c.path}`, value: c.value, params: { field: 'CD-VACCINEINDICATION' } }));
    }
  }
  return out;
}
