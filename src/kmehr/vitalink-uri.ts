/**
 * The Vitalink address of one vaccination (wire-contracts.md §4): `/subject/<SSIN>/vaccination/<32-hex id>/<version>`,
 * carried as `transaction/id[@S='LOCAL'][@SL='vitalinkuri']` in every Vitalink vaccination read-back.
 */
export const VITALINK_URI_SL = 'vitalinkuri';

export interface VitalinkAddress {
  readonly ssin: string;
  /** 32 upper-case hex characters: the registry's VaccinationId. */
  readonly vaccinationId: string;
  /** 1 for a dose as first registered; each correction raises it (docs/kmehr-read.md). */
  readonly version: number;
}

const URI = /^\/subject\/(\d{11})\/vaccination\/([0-9A-F]{32})\/([1-9]\d{0,8})$/;

export function formatVitalinkUri(a: VitalinkAddress): string {
  return `/subject/${a.ssin}/vaccination/${a.vaccinationId}/${a.version}`;
}

/** The parts of a vitalinkuri, or undefined when it is not one (strict: 11 digits, 32 upper-case hex, version ≥ 1). */
export function parseVitalinkUri(uri: string): VitalinkAddress | undefined {
  const m = URI.exec(uri);
  return m ? { ssin: m[1]!, vaccinationId: m[2]!, version: Number(m[3]) } : undefined;
}
