import { doctorKey, type Profile } from '../profile.js';
import type { Vaccination } from '../vaccination.js';
import { exclusionStandsAt, linkValidAt, type AccessFacts } from './access-model.js';

/*
 * The read rule for a person's vaccinations (issue 13, consent-and-links.md §4), written once for every channel.
 * This module is pure: it decides over what the store returned (authorise-read.ts loads it, get-history.ts applies it).
 */

/** Why a read of everything was refused: the condition that failed (no other information leaves the registry). */
export type AccessRefusalCode = 'ACCESS_EXCLUDED' | 'ACCESS_NO_CONSENT' | 'ACCESS_NO_LINK' | 'ACCESS_REASON_REQUIRED' | 'ACCESS_BREAK_GLASS_DISABLED';

/** On what ground a read was allowed; stored in the audit row of the read. */
export type AccessBasis = 'consent-and-link' | 'own-registrations' | 'operator' | 'break-the-glass';

/** The parties a caller reads through: its own profile, and those whose links it shares (see {@link readerParties}). */
export interface ReaderParties {
  /** The caller's own profile key: what an exclusion names. */
  readonly own: string;
  /** Profile keys whose links also count for this caller (its group practices; a HAIO's stagemeesters). */
  readonly shared: readonly string[];
}

export type Reader =
  | { readonly kind: 'operator'; readonly reason?: string }
  | { readonly kind: 'party'; readonly parties: ReaderParties; readonly breakTheGlass?: { readonly reason?: string } };

export interface ReadAccessInput {
  readonly reader: Reader;
  readonly facts: AccessFacts;
  /** ISO-8601 UTC: the moment of the read. */
  readonly at: string;
  /** Whether break-the-glass reads are enabled (config `access.breakTheGlass`). */
  readonly breakTheGlassEnabled: boolean;
}

export type AccessDecision =
  | { readonly scope: 'all'; readonly basis: 'consent-and-link'; readonly linkId: string; readonly via: string }
  | { readonly scope: 'all'; readonly basis: 'operator'; readonly reason: string }
  /** `overrides`: what the read would have been refused with. */
  | { readonly scope: 'all'; readonly basis: 'break-the-glass'; readonly reason: string; readonly overrides: AccessRefusalCode }
  /** Only what the caller registered itself (rule 1); `refusal` says why not everything. Empty → refused with it. */
  | { readonly scope: 'own'; readonly refusal: AccessRefusalCode }
  /** Refused outright (an operator without a reason; break-the-glass asked wrongly). */
  | { readonly scope: 'none'; readonly refusal: AccessRefusalCode };

/**
 * The rule, in order:
 * 1. an operator reads with a stated reason (flagged in the audit), and is refused without one;
 * 2. a care provider reads everything when it is not excluded, consent is active and one of its parties holds a link
 *    valid now; an exclusion beats every link, and a link held by an excluded shared party does not count;
 * 3. else, with break-the-glass asked, enabled and a reason given, everything (flagged) — except when excluded;
 * 4. else only what it registered itself, with the code of the first failed condition: excluded, no consent, no link.
 */
export function decideReadAccess(input: ReadAccessInput): AccessDecision {
  const { reader, facts, at } = input;
  if (reader.kind === 'operator') {
    const reason = reader.reason?.trim();
    return reason ? { scope: 'all', basis: 'operator', reason } : { scope: 'none', refusal: 'ACCESS_REASON_REQUIRED' };
  }
  const excluded = new Set(facts.exclusions.filter((e) => exclusionStandsAt(e, at)).map((e) => e.party));
  const refusal = ((): AccessRefusalCode | { linkId: string; via: string } => {
    if (excluded.has(reader.parties.own)) return 'ACCESS_EXCLUDED';
    if (facts.consent?.state !== 'active' || facts.consent.since > at) return 'ACCESS_NO_CONSENT';
    const parties = new Set([reader.parties.own, ...reader.parties.shared.filter((p) => !excluded.has(p))]);
    const link = facts.links.find((l) => parties.has(l.party) && linkValidAt(l, at));
    return link ? { linkId: link.id, via: link.party } : 'ACCESS_NO_LINK';
  })();
  if (typeof refusal !== 'string') return { scope: 'all', basis: 'consent-and-link', ...refusal };
  const glass = reader.breakTheGlass;
  if (glass === undefined || refusal === 'ACCESS_EXCLUDED') return { scope: 'own', refusal };
  if (!input.breakTheGlassEnabled) return { scope: 'none', refusal: 'ACCESS_BREAK_GLASS_DISABLED' };
  const reason = glass.reason?.trim();
  return reason ? { scope: 'all', basis: 'break-the-glass', reason, overrides: refusal } : { scope: 'none', refusal: 'ACCESS_REASON_REQUIRED' };
}

/**
 * The parties whose links a caller reads through (our choice, docs/access.md): a doctor its own links, those of the
 * group practices it is a member of (they share one patient file), and — for a HAIO — those of its stagemeesters
 * (it works under their supervision, in their practice). Links are not shared the other way: a group practice's
 * certificate reads through the practice's links only; a stagemeester does not read through its HAIO's.
 */
export function readerParties(profile: Profile): ReaderParties {
  if (profile.kind === 'organisation') return { own: profile.key, shared: [] };
  const stagemeesters = profile.roles.includes('haio') ? profile.stagemeesters.map(doctorKey) : [];
  return { own: profile.key, shared: [...profile.groupPractices, ...stagemeesters] };
}

/**
 * Rule 1: what a caller registered itself — as registrant, as the responsible doctor (a stagemeester for its HAIO's
 * doses: it is the KMEHR author), or, for a group practice, what its member doctors registered (as for removals).
 */
export function registeredBy(profile: Profile, v: Vaccination): boolean {
  if (v.registrantKey === profile.key) return true;
  if (profile.kind === 'doctor') return v.responsibleNihii === profile.nihii;
  return profile.type === 'group-practice' && profile.members.some((nihii) => doctorKey(nihii) === v.registrantKey);
}
