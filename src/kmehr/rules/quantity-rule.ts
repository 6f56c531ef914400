import { locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Rule 13 (ours): `quantity/decimal`, when present, is a number greater than 0 (on every item). */
export function quantityRule(s: TransactionScope): Finding[] {
  const out: Finding[] = [];
  const items = s.transaction.items;
  for (let i = 0; i < items.length; i++) {
    const quantity = items[i]!.quantity;
    if (quantity === undefined) continue;
    const text = quantity.decimal.trim();
    const n = DECIMAL.test(text) ? Number(text) : Number.NaN;
    if (!(n > 0)) out.push(finding('QUANTITY_NOT_POSITIVE', { location: `${locate.item(s.f, s.t, i)}/quantity/decimal`, value: quantity.decimal }));
  }
  return out;
}
