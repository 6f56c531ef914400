import type { X509Certificate } from 'node:crypto';
import type { CertificateVerifier } from '../pki/certificate-verifier.js';
import type { CallerIdentity } from '../registry/caller-identity.js';
import type { Finding } from '../status/finding.js';
import { verifyWsSecurity } from './wssec/verify-ws-security.js';

export interface AuthenticationDeps {
  readonly certificates: CertificateVerifier;
  readonly maxAgeSeconds: number;
  readonly clockSkewSeconds: number;
}

export type Authentication =
  | { readonly ok: true; readonly identity: CallerIdentity; readonly method: 'ws-security' | 'tls' }
  | { readonly ok: false; readonly finding: Finding };

/**
 * Who is calling (identity.md §1, our choice): a WS-Security X.509 signature over Body and Timestamp when the
 * request carries one, otherwise the TLS client certificate. A request whose signature is present but bad is
 * refused even when a valid TLS certificate came along: a broken signature is never silently ignored.
 * @param envelope - the raw request bytes, exactly as received
 * @param peerCertificate - the TLS client certificate, when mutual TLS presented one
 */
export function authenticateCaller(
  envelope: Buffer,
  peerCertificate: X509Certificate | undefined,
  now: Date,
  deps: AuthenticationDeps,
): Authentication {
  if (peerCertificate && !mentionsSecurityHeader(envelope)) return fromTls(peerCertificate, now, deps);
  const signature = verifyWsSecurity(envelope, { now, maxAgeSeconds: deps.maxAgeSeconds, maxClockSkewSeconds: deps.clockSkewSeconds });
  if (signature.ok) {
    const cert = deps.certificates.verifyCertificate(signature.certificateDer, now);
    return cert.ok ? { ok: true, identity: cert.identity, method: 'ws-security' } : cert;
  }
  if (signature.finding.code !== 'AUTH_NOT_AUTHENTICATED' || !peerCertificate) return signature;
  return fromTls(peerCertificate, now, deps);
}

function fromTls(peerCertificate: X509Certificate, now: Date, deps: AuthenticationDeps): Authentication {
  const cert = deps.certificates.verifyCertificate(peerCertificate, now);
  return cert.ok ? { ok: true, identity: cert.identity, method: 'tls' } : cert;
}

/**
 * Mutual-TLS calls without a WS-Security header skip the signature parser: no `Security` bytes anywhere means no
 * header. (Not "before the first `Body`": that text can come earlier, in a namespace URI or a comment, and a signed
 * request would then silently skip its signature check.) A Body that merely mentions it costs one parse.
 */
function mentionsSecurityHeader(envelope: Buffer): boolean {
  return envelope.includes('Security');
}
