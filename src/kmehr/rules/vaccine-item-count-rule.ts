import { locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';
import { vaccineItems } from './vaccine-items.js';

/** Rule 7 (ours): exactly one `vaccine` item per transaction (one transaction = one administered dose). */
export function vaccineItemCountRule(s: TransactionScope): Finding[] {
  const count = vaccineItems(s.transaction).length;
  return count === 1 ? [] : [finding('KMEHR_VACCINE_ITEM_COUNT', { location: locate.transaction(s.f, s.t), value: String(count) })];
}
