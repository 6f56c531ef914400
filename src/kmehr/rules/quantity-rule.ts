import { locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';

/** Rule 13 (ours): `quantity/decimal`, when present, is a number greater than 0 (on every item). */
export function quantityRule(s: TransactionScope): Finding[] {
  return s.transaction.items.flatMap((item, i) => {
    if (item.quantity === undefined) return [];
    const text = item.quantity.decimal.trim();
    const n = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
    return n > 0 ? [] : [finding('QUANTITY_NOT_POSITIVE', { location: `${locate.item(s.f, s.t, i)}/quantity/decimal`, value: item.quantity.decimal })];
  });
}
