import { ADMINISTRATED } from '../codelists/item-types.js';
import { locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';
import { vaccineItems } from './vaccine-items.js';

/**
 * CD-LIFECYCLE (our choice): a registration records an administered dose, so a `vaccine` item's lifecycle is
 * "administrated" or absent; planned, refused, cancelled, … are refused.
 */
export function lifecycleRule(s: TransactionScope): Finding[] {
  const out: Finding[] = [];
  for (const { item, i } of vaccineItems(s.transaction)) {
    if (item.lifecycle === undefined) continue;
    const value = item.lifecycle.value;
    if (value === ADMINISTRATED || value.trim().toLowerCase() === ADMINISTRATED) continue;
    out.push(finding('KMEHR_LIFECYCLE', { location: `${locate.item(s.f, s.t, i)}/lifecycle/cd`, value }));
  }
  return out;
}
