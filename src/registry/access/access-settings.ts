import type { LinkProof } from './access-model.js';

/** How the read rule is tuned (config `access.*`, docs/access.md). */
export interface AccessSettings {
  /** Default validity of a link declared without an end, in months, when its proof is an eID reading or card number. */
  readonly eidLinkMonths: number;
  /** Default validity, in months, for every other proof. */
  readonly otherLinkMonths: number;
  /** Break-the-glass reads (reason required, audited, flagged): our choice, off unless configured. */
  readonly breakTheGlass: boolean;
}

export const DEFAULT_ACCESS_SETTINGS: AccessSettings = Object.freeze({ eidLinkMonths: 15, otherLinkMonths: 3, breakTheGlass: false });

const EID_PROOFS: readonly LinkProof[] = ['eid-chip', 'eid-card-number'];

/**
 * The end of a link declared without one (consent-and-links.md §2: 15 months after an eID reading, 3 otherwise).
 * Calendar months in UTC; a day that does not exist in the target month rolls back to its last day (31 Jan + 1 month
 * = 28/29 Feb), so a link never lasts longer than the months it was given.
 * @param start - ISO-8601 UTC
 */
export function defaultLinkEnd(proof: LinkProof, start: string, settings: AccessSettings): string {
  const months = EID_PROOFS.includes(proof) ? settings.eidLinkMonths : settings.otherLinkMonths;
  const d = new Date(start);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString();
}
