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
  s.transaction.items.forEach((item, i) => {
    const base = locate.item(s.f, s.t, i);
    const j = item.cds.findIndex((c) => c.s.toUpperCase() === 'CD-ITEM');
    if (j < 0) {
      out.push(finding('KMEHR_FIELD_MISSING', { location: base, params: { field: 'cd[@S="CD-ITEM"]' } }));
    } else if (!isItemType(item.cds[j]!.value.trim())) {
      out.push(finding('KMEHR_CODE_UNKNOWN', { location: `${base}/cd[${j + 1}]`, value: item.cds[j]!.value, params: { field: 'CD-ITEM' } }));
    }
  });
  return out;
}
