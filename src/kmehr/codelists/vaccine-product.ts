import type { VaccineIndication } from './vaccine-indications.js';

/** One row of the vaccine reference table: a product (CNK) or a generic vaccine (Vaccinnet group / ATC only). */
export interface VaccineProduct {
  /** CNK, 7 digits (normalised: spaces/dashes removed, left-padded with zeros). */
  readonly cnk?: string;
  /** Package name (MPPNM). */
  readonly name?: string;
  readonly manufacturer?: string;
  /** As written in the source ("Covid-19/PFBNT001"); compared case-insensitively. */
  readonly vaccinnetCode?: string;
  /** Vaccinnet's description ("Covid-19 - Comirnaty") or, for ATC-only rows, the ATC wording. */
  readonly description?: string;
  readonly indications: readonly VaccineIndication[];
  readonly atc?: string;
  /** From the source's "old codes" sheet: kept so old CNKs still resolve (our choice: still accepted). */
  readonly retired?: boolean;
}

/** What `VaccineReference.describe` resolves for a vaccine item: the item's own codes completed from the table. */
export interface ProductInfo {
  readonly cnk?: string;
  readonly name?: string;
  readonly manufacturer?: string;
  readonly vaccinnetCode?: string;
  readonly atc?: string;
  /** Union of the item's CD-VACCINEINDICATION codes and the table row's. */
  readonly indications: readonly VaccineIndication[];
  /** Vaccinnet group, upper case (the part before `/`, e.g. "COVID-19"); used for duplicate detection (rule 14). */
  readonly group?: string;
  /** The table row the item resolved to, when any. */
  readonly product?: VaccineProduct;
}

function sevenDigits(value: string): boolean {
  if (value.length !== 7) return false;
  for (let i = 0; i < 7; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Normalises a CNK as found in the source and in messages: "2374 429" → "2374429", "69914" → "0069914". */
export function normaliseCnk(value: string): string | undefined {
  if (sevenDigits(value)) return value; // the usual form: no regular expressions, no copy
  const digits = value.replace(/[\s.-]/g, '');
  return /^\d{1,7}$/.test(digits) ? digits.padStart(7, '0') : undefined;
}

/** The Vaccinnet group of a code, upper case: "Covid-19/PFBNT001" → "COVID-19", "DTPA" → "DTPA". */
export function vaccinnetGroup(code: string): string {
  const slash = code.indexOf('/');
  return (slash < 0 ? code : code.slice(0, slash)).trim().toUpperCase();
}
