import type { Item } from '../model.js';
import { ATC_SCHEME, CNK_SCHEME, INDICATION_SCHEME, VACCINNET_SL } from './id-schemes.js';

/** Which product code a vaccine item carries. */
export type ProductCodeKind = 'cnk' | 'vaccinnetCode' | 'atc' | 'indication';

/** One product code of an item with its XPath relative to the item (e.g. `content[1]/medicinalproduct/intendedcd[1]`). */
export interface ProductCode {
  readonly kind: ProductCodeKind;
  /** Trimmed, as submitted. */
  readonly value: string;
  readonly path: string;
}

/**
 * Every product code in an item's `content` elements, in document order: CNKs (`medicinalproduct/intendedcd`
 * S=CD-DRUG-CNK), Vaccinnet codes (`cd` S=LOCAL SL=VACCINNETCODE), ATC codes (`cd` S=CD-ATC) and
 * CD-VACCINEINDICATION codes. Scheme names are compared case-insensitively.
 */
export function productCodesOf(item: Item): readonly ProductCode[] {
  const out: ProductCode[] = [];
  item.contents.forEach((content, k) => {
    const base = `content[${k + 1}]`;
    if (content.kind === 'medicinalproduct') {
      content.intendedcds.forEach((cd, j) => {
        if (cd.s.toUpperCase() === CNK_SCHEME) {
          out.push({ kind: 'cnk', value: cd.value.trim(), path: `${base}/medicinalproduct/intendedcd[${j + 1}]` });
        }
      });
    } else if (content.kind === 'cd') {
      content.cds.forEach((cd, j) => {
        const s = cd.s.toUpperCase();
        const kind: ProductCodeKind | undefined =
          s === ATC_SCHEME ? 'atc'
          : s === INDICATION_SCHEME ? 'indication'
          : s === 'LOCAL' && (cd.sl ?? '').toUpperCase() === VACCINNET_SL ? 'vaccinnetCode'
          : undefined;
        if (kind) out.push({ kind, value: cd.value.trim(), path: `${base}/cd[${j + 1}]` });
      });
    }
  });
  return out;
}
