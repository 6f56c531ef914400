import { isItemType } from '../codelists/item-types.js';
import { locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';

/**
 * Code list CD-ITEM (kmehr-vaccination.md): every item names its type, and the type is one the registry
 * accepts (`vaccine`, `encounterlocation`, `adr`). The XSD accepts any value, so the registry checks.
 */
export function itemCodeRule(s: TransactionScope): Finding[] {
  const out: Finding[] = [];
  const items = s.transaction.items;
  for (let i = 0; i < items.length; i++) {
    const cds = items[i]!.cds;
    let j = 0;
    while (j < cds.length && cds[j]!.s !== 'CD-ITEM' && cds[j]!.s.toUpperCase() !== 'CD-ITEM') j++;
    if (j === cds.length) {
      out.push(finding('KMEHR_FIELD_MISSING', { location: locate.item(s.f, s.t, i), params: { field: 'cd[@S="CD-ITEM"]' } }));
    } else if (!isItemType(cds[j]!.value.trim())) {
      out.push(finding('KMEHR_CODE_UNKNOWN', { location: `${locate.item(s.f, s.t, i)}/cd[${j + 1}]`, value: cds[j]!.value, params: { field: 'CD-ITEM' } }));
    }
  }
  return out;
}
