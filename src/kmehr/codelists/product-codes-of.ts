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

// Items are readonly (model.ts), so their codes never change: the rules ask for them several times per item (COVID test,
// code lists, product rule) while checking one transaction, so the last few answers are kept. A small ring, not
// a WeakMap: millions of WeakMap entries made garbage collection a sixth of a batch's CPU time (measured).
const CACHED = 8;
const cachedItems: (Item | undefined)[] = new Array<Item | undefined>(CACHED).fill(undefined);
const cachedCodes: (readonly ProductCode[])[] = new Array<readonly ProductCode[]>(CACHED).fill([]);
let cacheNext = 0;

// The relative paths of the first few positions, made once: every item of a batch asks for three or four of them.
const PATHS = 8;
const cnkPaths = pathTable((k, j) => `content[${k + 1}]/medicinalproduct/intendedcd[${j + 1}]`);
const cdPaths = pathTable((k, j) => `content[${k + 1}]/cd[${j + 1}]`);

function pathTable(path: (k: number, j: number) => string): string[][] {
  return Array.from({ length: PATHS }, (_, k) => Array.from({ length: PATHS }, (_, j) => path(k, j)));
}

function cnkPath(k: number, j: number): string {
  return k < PATHS && j < PATHS ? cnkPaths[k]![j]! : `content[${k + 1}]/medicinalproduct/intendedcd[${j + 1}]`;
}

function cdPath(k: number, j: number): string {
  return k < PATHS && j < PATHS ? cdPaths[k]![j]! : `content[${k + 1}]/cd[${j + 1}]`;
}

/**
 * Case-insensitive scheme comparison without allocating when the scheme is already upper case (the usual case).
 * The length test is exact for the constants used here: none contains a sequence (SS, FF, FI, FL, ST, …) that a
 * single lower-case character upper-cases to.
 */
function isScheme(s: string, upper: string): boolean {
  return s === upper || (s.length === upper.length && s.toUpperCase() === upper);
}

/**
 * Every product code in an item's `content` elements, in document order: CNKs (`medicinalproduct/intendedcd`
 * S=CD-DRUG-CNK), Vaccinnet codes (`cd` S=LOCAL SL=VACCINNETCODE), ATC codes (`cd` S=CD-ATC) and
 * CD-VACCINEINDICATION codes. Scheme names are compared case-insensitively. The result is frozen (and the last few are cached).
 */
export function productCodesOf(item: Item): readonly ProductCode[] {
  for (let k = 0; k < CACHED; k++) if (cachedItems[k] === item) return cachedCodes[k]!;
  const out: ProductCode[] = [];
  const contents = item.contents;
  for (let k = 0; k < contents.length; k++) {
    const content = contents[k]!;
    if (content.kind === 'medicinalproduct') {
      const cds = content.intendedcds;
      for (let j = 0; j < cds.length; j++) {
        const cd = cds[j]!;
        if (isScheme(cd.s, CNK_SCHEME)) {
          out.push(Object.freeze({ kind: 'cnk', value: cd.value.trim(), path: cnkPath(k, j) }));
        }
      }
    } else if (content.kind === 'cd') {
      const cds = content.cds;
      for (let j = 0; j < cds.length; j++) {
        const cd = cds[j]!;
        const s = cd.s;
        const kind: ProductCodeKind | undefined = isScheme(s, ATC_SCHEME)
          ? 'atc'
          : isScheme(s, INDICATION_SCHEME)
            ? 'indication'
            : isScheme(s, 'LOCAL') && cd.sl !== undefined && isScheme(cd.sl, VACCINNET_SL)
              ? 'vaccinnetCode'
              : undefined;
        if (kind) out.push(Object.freeze({ kind, value: cd.value.trim(), path: cdPath(k, j) }));
      }
    }
  }
  const frozen = Object.freeze(out);
  cachedItems[cacheNext] = item;
  cachedCodes[cacheNext] = frozen;
  cacheNext = (cacheNext + 1) % CACHED;
  return frozen;
}
