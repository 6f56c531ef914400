/**
 * The access model of issue 13 (consent-and-links.md): informed consent, therapeutic links and exclusions, stored as
 * data per person. Every row names the person's INSZ first: the key a scaled-out database is distributed by.
 * Instants are ISO-8601 UTC strings, ordered as text, like every instant in the registry.
 */

/** Through what a consent or link change reached the registry (our choice: the channels that can record one). */
export const ACCESS_CHANNELS = ['cli', 'web', 'registratie'] as const;
export type AccessChannel = (typeof ACCESS_CHANNELS)[number];

export const CONSENT_STATES = ['active', 'revoked'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

/** One consent event. Consent history is kept: a revocation is a new row, never an update (consent-and-links.md §1). */
export interface ConsentEvent {
  readonly patientInsz: string;
  readonly id: string;
  readonly state: ConsentState;
  /** When this state took effect. */
  readonly since: string;
  /** Operator name or profile key of who recorded it (on the person's request). */
  readonly recordedBy: string;
  readonly channel: AccessChannel;
}

/** How a link was evidenced (consent-and-links.md §2); the default validity depends on it (access-settings.ts). */
export const LINK_PROOFS = ['eid-chip', 'eid-card-number', 'gmd', 'declared-by-person', 'operator'] as const;
export type LinkProof = (typeof LINK_PROOFS)[number];

/** The relation a link stands for (our choice of names, after the published validity classes). */
export const LINK_TYPES = ['gp', 'pharmacist', 'occasional', 'emergency', 'organisation', 'other'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/**
 * A therapeutic link between a person and a party (a doctor's or an organisation's profile key: `doctor:<NIHII>`,
 * `org:<TYPE>:<id>`). Links are not updatable (eHealth cookbook): ending one sets `revokedAt`; a change is a new link.
 */
export interface TherapeuticLink {
  readonly patientInsz: string;
  readonly id: string;
  readonly party: string;
  readonly type: LinkType;
  readonly proof: LinkProof;
  readonly start: string;
  /** Exclusive end of validity. */
  readonly end: string;
  readonly declaredBy: string;
  readonly revokedAt?: string;
  readonly revokedBy?: string;
}

/** The person forbids a party any access (consent-and-links.md §3) until it is lifted. */
export interface Exclusion {
  readonly patientInsz: string;
  readonly id: string;
  readonly party: string;
  readonly since: string;
  readonly recordedBy: string;
  readonly liftedAt?: string;
  readonly liftedBy?: string;
}

/** What the read rule needs about one person and the parties a caller reads through: one store call. */
export interface AccessFacts {
  /** The latest consent event at or before the moment asked (absent: never recorded). */
  readonly consent?: ConsentEvent;
  /** Every link of the person held by one of the parties asked about, expired and revoked ones included. */
  readonly links: readonly TherapeuticLink[];
  /** Every exclusion of the person naming one of the parties asked about, lifted ones included. */
  readonly exclusions: readonly Exclusion[];
}

/** A link counts when `at` lies in [start, end) and it was not revoked at or before `at`. */
export function linkValidAt(link: TherapeuticLink, at: string): boolean {
  return link.start <= at && at < link.end && (link.revokedAt === undefined || link.revokedAt > at);
}

/** An exclusion stands from `since` until it is lifted. */
export function exclusionStandsAt(e: Exclusion, at: string): boolean {
  return e.since <= at && (e.liftedAt === undefined || e.liftedAt > at);
}
