import { finding, type Finding } from '../status/finding.js';
import { describeCaller, type CallerIdentity } from './caller-identity.js';
import type { Profile } from './profile.js';

/**
 * A certificate an operator bound to a profile (identity.md §5 "trusted certificates … and revocations"). A
 * certificate belongs to one identity, so to at most one profile: the fingerprint is its key.
 */
export interface CertificateBinding {
  readonly profileKey: string;
  /** SHA-256 of the DER certificate, upper-case hex without colons (as `CallerIdentity.fingerprint`). */
  readonly fingerprint: string;
  /** The certificate subject, RFC 4514-ish text, for the operator's lists. */
  readonly subject: string;
  /** End of the certificate's validity, ISO-8601 UTC. */
  readonly notAfter: string;
  readonly boundAt: string;
  /** Set once the binding is revoked; a revocation is final (binding the certificate again is refused). */
  readonly revokedAt?: string;
  readonly revokedBy?: string;
  readonly reason?: string;
}

/** The part of a binding the authorisation reads: cheap to fetch and to cache per profile. */
export type BindingState = Pick<CertificateBinding, 'fingerprint' | 'revokedAt'>;

/** `sha256:` and the first 16 hex digits: enough to find the certificate in `admin certificates list`, short in logs. */
export function shortFingerprint(fingerprint: string): string {
  return `sha256:${fingerprint.slice(0, 16)}`;
}

/** Upper-case hex without colons or spaces: how fingerprints are stored and compared. */
export function normaliseFingerprint(text: string): string {
  return text.replace(/[\s:]/g, '').toUpperCase();
}

/**
 * The binding rule: a profile without bindings accepts any trusted certificate of its identifier (the development
 * default); once it has bindings — revoked ones included, so revoking the last one does not reopen the profile —
 * the caller's certificate must be one of them and not revoked.
 * @param identity - the verified caller
 * @param profile - the caller's profile
 * @param bindings - every binding of that profile
 * @returns the refusal, or undefined when the certificate may be used
 */
export function checkCertificateBinding(identity: CallerIdentity, profile: Profile, bindings: readonly BindingState[]): Finding | undefined {
  if (bindings.length === 0) return undefined;
  const fingerprint = normaliseFingerprint(identity.fingerprint);
  const value = `${describeCaller(identity)} (${shortFingerprint(fingerprint)})`;
  const binding = bindings.find((b) => b.fingerprint === fingerprint);
  if (!binding) return finding('PROFILE_CERTIFICATE_NOT_BOUND', { value, params: { profile: profile.key } });
  if (binding.revokedAt !== undefined) return finding('AUTH_CERT_REVOKED', { value });
  return undefined;
}
