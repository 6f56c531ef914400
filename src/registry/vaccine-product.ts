import type { VaccineReference } from '../kmehr/codelists/index.js';
import { codeOf, type Code, type Item } from '../kmehr/model.js';
import type { VaccineProduct } from './vaccination.js';

/**
 * Resolves the product of a vaccine item against the reference table and derives its antigen group, the key of
 * the probable-duplicate rule (14): the reference group, else the group part of the Vaccinnet code
 * (`<GROUP>/<MANUFACTURER><NNN>`), else the ATC code, else the sorted indications.
 */
export function vaccineProduct(item: Item, reference: VaccineReference): VaccineProduct {
  const key = productKey(item);
  let memo = memos.get(reference);
  if (!memo) {
    memo = new Map();
    memos.set(reference, memo);
  }
  const known = memo.get(key);
  if (known) return known;
  const product = resolve(item, reference);
  // Bounded: a registry sees a few hundred products, an attacker could send endless made-up codes.
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, product);
  return product;
}

/**
 * Registrations name the same few products over and over, and resolving one against the table (every code, every
 * scheme, the indications) was ~9 % of a registration's CPU time: the answer is kept per reference table, keyed by
 * exactly the fields `resolve` reads (the content codes with their schemes, and the intended names).
 */
const memos = new WeakMap<VaccineReference, Map<string, VaccineProduct>>();
const MEMO_LIMIT = 4096;

function productKey(item: Item): string {
  let key = '';
  for (const c of item.contents) {
    if (c.kind === 'cd') {
      key += '|cd';
      for (const code of c.cds) key += `\u0001${code.s}\u0002${code.sl ?? ''}\u0002${code.value}`;
    } else if (c.kind === 'medicinalproduct' || c.kind === 'substanceproduct') {
      key += `|${c.kind}\u0003${c.intendedname ?? ''}`;
      for (const code of c.intendedcds) key += `\u0001${code.s}\u0002${code.sl ?? ''}\u0002${code.value}`;
    }
  }
  return key;
}

function resolve(item: Item, reference: VaccineReference): VaccineProduct {
  const info = reference.describe(item);
  const cnk = info.cnk ?? codeOf(medicinalCodes(item), 'CD-DRUG-CNK')?.value;
  const vaccinnetCode = info.vaccinnetCode ?? codeOf(contentCodes(item), 'LOCAL', 'VACCINNETCODE')?.value;
  const atc = info.atc ?? codeOf(contentCodes(item), 'CD-ATC')?.value;
  const indications =
    info.indications.length > 0
      ? [...info.indications]
      : contentCodes(item)
          .filter((c) => c.s.toUpperCase() === 'CD-VACCINEINDICATION')
          .map((c) => c.value.toLowerCase());
  const group = (info.group ?? vaccinnetCode?.split('/')[0] ?? atc ?? ([...indications].sort().join('+') || 'UNKNOWN')).toUpperCase();
  return Object.freeze({
    ...(cnk !== undefined && { cnk }),
    ...(info.name !== undefined && { name: info.name }),
    ...(vaccinnetCode !== undefined && { vaccinnetCode }),
    ...(atc !== undefined && { atc }),
    indications: Object.freeze(indications),
    group,
  });
}

function contentCodes(item: Item): readonly Code[] {
  return item.contents.flatMap((c) => (c.kind === 'cd' ? c.cds : []));
}

function medicinalCodes(item: Item): readonly Code[] {
  return item.contents.flatMap((c) => (c.kind === 'medicinalproduct' ? c.intendedcds : []));
}
