import { locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';
import { vaccineItems } from './vaccine-items.js';

/** Rule 2 (sourced): a COVID-19 `vaccine` item has a `batch` (lot number) that is not blank. */
export function covidLotRule(s: TransactionScope): Finding[] {
  const out: Finding[] = [];
  if (!s.covid) return out; // s.covid: some vaccine item is COVID-19, the same test as below
  for (const { item, i } of vaccineItems(s.transaction)) {
    if ((item.batch ?? '').trim() !== '' || !s.ctx.reference.isCovid19Item(item)) continue;
    out.push(finding('COVID_LOT_MISSING', { location: `${locate.item(s.f, s.t, i)}/batch`, ...(item.batch !== undefined && { value: item.batch }) }));
  }
  return out;
}
