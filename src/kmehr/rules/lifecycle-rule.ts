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
  return vaccineItems(s.transaction).flatMap(({ item, i }) =>
    item.lifecycle === undefined || item.lifecycle.value.trim().toLowerCase() === ADMINISTRATED
      ? []
      : [finding('KMEHR_LIFECYCLE', { location: `${locate.item(s.f, s.t, i)}/lifecycle/cd`, value: item.lifecycle.value })],
  );
}
