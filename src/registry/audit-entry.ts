import type { Channel } from './vaccination.js';

/**
 * What an audit row records (issue 3 §1): every registration, refusal, removal and read; `access`: a change to the
 * person's consent, therapeutic links or exclusions (issue 13).
 */
export const AUDIT_ACTIONS = ['register', 'replay', 'refuse', 'remove', 'read', 'access'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface NewAuditEntry {
  readonly id: string;
  /** ISO-8601 UTC. */
  readonly at: string;
  /** The person concerned; empty when the request was refused before a patient was known. */
  readonly patientInsz: string;
  readonly action: AuditAction;
  /** The status code of the outcome (OK, DUPLICATE_REPLAY, PROFILE_NONE, …). */
  readonly outcome: string;
  readonly vaccinationId?: string;
  /** Profile key, `operator:<name>`, or empty when no profile matched. */
  readonly actor: string;
  /** Certificate subject (or operator name): who, as authenticated. */
  readonly subject: string;
  readonly channel: Channel;
  readonly softwareId?: string;
  readonly detail?: string;
}

export type AuditEntry = NewAuditEntry;
