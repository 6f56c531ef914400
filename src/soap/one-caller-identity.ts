import type { X509Certificate } from 'node:crypto';
import type { IdentityRule } from '../config/registry-config.js';
import type { CertificateVerifier } from '../pki/certificate-verifier.js';
import { describeCaller, type CallerIdentity } from '../registry/caller-identity.js';
import { finding, type Finding } from '../status/finding.js';

/**
 * One caller identity per call (issue 11.3). A call that brings both a TLS client certificate and a WS-Security
 * signature is refused unless both name the same caller — otherwise doctor A's connection could run as doctor B.
 * The TLS certificate is then checked like any credential (trust, dates, revocation): a credential that is presented
 * is never silently ignored.
 *
 * our choice (`security.identityRule`): `same-subject` (default) — the same SSIN for a person, the same identifier
 * type and number (NIHII, CBE, …) for an organisation; the application OU may differ, a person's eID carries one
 * certificate for authentication and another for signing. `same-certificate` — the very same certificate
 * (SHA-256 fingerprint).
 * @param signer - the verified identity of the signature's certificate
 * @param peer - the TLS client certificate of the connection
 * @returns the refusal, or undefined when both are one caller
 */
export function checkOneCallerIdentity(
  signer: CallerIdentity,
  peer: X509Certificate,
  now: Date,
  certificates: CertificateVerifier,
  rule: IdentityRule = 'same-subject',
): Finding | undefined {
  const tls = certificates.verifyCertificate(peer, now);
  if (!tls.ok) return tls.finding;
  const same = rule === 'same-certificate' ? tls.identity.fingerprint === signer.fingerprint : subjectKey(tls.identity) === subjectKey(signer);
  if (same) return undefined;
  return finding('AUTH_IDENTITY_MISMATCH', {
    value: describeCaller(signer),
    params: { detail: describeCaller(tls.identity), fingerprint: signer.fingerprint, tlsFingerprint: tls.identity.fingerprint, rule },
  });
}

function subjectKey(identity: CallerIdentity): string {
  return identity.kind === 'person' ? `person SSIN=${identity.ssin}` : `organisation ${identity.idType}=${identity.id}`;
}
