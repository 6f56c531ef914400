import { productCodesOf, type ProductCodeKind } from '../codelists/product-codes-of.js';
import { isVaccineIndication } from '../codelists/vaccine-indications.js';
import { locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';
import { vaccineItems } from './vaccine-items.js';

const FIELD: Readonly<Record<Exclude<ProductCodeKind, 'indication'>, string>> = {
  cnk: 'CNK',
  vaccinnetCode: 'Vaccinnet code',
  atc: 'ATC',
};

/**
 * Rule 8 (ours): the `vaccine` item names its product, and what it names is known.
 * - No CNK, Vaccinnet code, ATC or known CD-VACCINEINDICATION → PRODUCT_NOT_IDENTIFIED.
 * - A CNK / Vaccinnet code / ATC that is present but not in the reference table → PRODUCT_UNKNOWN (error), each one
 *   (a known CNK beside an unknown ATC is an inconsistent message, so refused too) — unless the item carries at
 *   least one known CD-VACCINEINDICATION: then the vaccination is still identified (by disease) and each unknown
 *   code is a PRODUCT_UNLISTED warning. Our choice: the shipped table dates from ~2021, and refusing a real dose
 *   of a newer product whose disease is given would lose a registration the operator can still correct.
 * Unknown CD-VACCINEINDICATION codes are reported by the code-list rule (KMEHR_CODE_UNKNOWN).
 */
export function productRule(s: TransactionScope): Finding[] {
  const ref = s.ctx.reference;
  const out: Finding[] = [];
  for (const { item, i } of vaccineItems(s.transaction)) {
    const codes = productCodesOf(item);
    let indicated = false;
    let products = 0;
    for (const c of codes) {
      if (c.kind !== 'indication') products++;
      else if (!indicated && isVaccineIndication(c.value)) indicated = true;
    }
    if (products === 0 && !indicated) {
      out.push(finding('PRODUCT_NOT_IDENTIFIED', { location: locate.item(s.f, s.t, i) }));
      continue;
    }
    for (const c of codes) {
      if (c.kind === 'indication') continue;
      const known = c.kind === 'cnk' ? ref.byCnk(c.value) : c.kind === 'vaccinnetCode' ? ref.byVaccinnetCode(c.value) : ref.byAtc(c.value);
      if (known !== undefined) continue;
      const input = { location: `${locate.item(s.f, s.t, i)}/${c.path}`, value: c.value, params: { field: FIELD[c.kind] } };
      out.push(finding(indicated ? 'PRODUCT_UNLISTED' : 'PRODUCT_UNKNOWN', input));
    }
  }
  return out;
}
