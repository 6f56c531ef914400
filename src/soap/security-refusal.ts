import type { CallerIdentity } from '../registry/caller-identity.js';
import type { Finding } from '../status/finding.js';

/**
 * A refused authentication (certificate, signature, Timestamp, identity mismatch, replay, wrong service), as a
 * handler hands it to the HTTP adapter, which writes it to the security-event log with what only it knows (remote
 * address, TLS certificate) and counts it (server/security-log.ts).
 */
export interface SecurityRefusal {
  readonly finding: Finding;
  /** Who the credential names, when a certificate was verified before the refusal. */
  readonly identity?: CallerIdentity;
}
