import type { X509Certificate } from 'node:crypto';
import type { IdentityRule } from '../config/registry-config.js';
import type { CertificateVerifier } from '../pki/certificate-verifier.js';
import type { CallerIdentity } from '../registry/caller-identity.js';
import { finding, type Finding } from '../status/finding.js';
import { checkOneCallerIdentity } from './one-caller-identity.js';
import { signedRequestOf, type SignatureClaims, type SignedRequest } from './signed-request-replay.js';
import { verifyWsSecurity, type WsSecurityResult, type WsSecurityVerifyOptions } from '../wssec/verify-ws-security.js';

export interface AuthenticationDeps {
  readonly certificates: CertificateVerifier;
  readonly maxAgeSeconds: number;
  readonly clockSkewSeconds: number;
  /** TLS certificate + signature: what makes them one caller (config `security.identityRule`; default same-subject). */
  readonly identityRule?: IdentityRule;
  /** Signed requests accepted once per Timestamp window (the store's `signatureReplays`); absent: not checked. */
  readonly signatureReplays?: SignatureClaims;
}

export type Authentication =
  | {
      readonly ok: true;
      readonly identity: CallerIdentity;
      readonly method: 'ws-security' | 'tls';
      /** The signed request, to be claimed once (`claimSignedRequest`) — only when the signature authenticated. */
      readonly signed?: SignedRequest;
    }
  | { readonly ok: false; readonly finding: Finding; readonly identity?: CallerIdentity };

/**
 * Who is calling (identity.md §1, our choice): a WS-Security X.509 signature over Body and Timestamp when the
 * request carries one, otherwise the TLS client certificate. A request whose signature is present but bad is
 * refused even when a valid TLS certificate came along: a broken signature is never silently ignored. A valid
 * signature over a mutual-TLS connection must name the caller the TLS certificate names (one-caller-identity.ts).
 * @param envelope - the raw request bytes, exactly as received
 * @param peerCertificate - the TLS client certificate, when mutual TLS presented one
 * @param verified - `verifyWsSecurity` of this envelope with {@link signatureCheckOptions}, when the caller already
 *   ran it (RegistratieService does, in the same scan as reading the request); else it runs here when needed
 */
export function authenticateCaller(
  envelope: Buffer,
  peerCertificate: X509Certificate | undefined,
  now: Date,
  deps: AuthenticationDeps,
  verified?: WsSecurityResult,
): Authentication {
  if (!needsSignatureCheck(envelope, peerCertificate)) return fromTls(peerCertificate as X509Certificate, now, deps);
  const signature = verified ?? verifyWsSecurity(envelope, signatureCheckOptions(now, deps));
  if (signature.ok) {
    const cert = deps.certificates.verifyCertificate(signature.certificateDer, now);
    if (!cert.ok) return cert;
    const mismatch = peerCertificate && checkOneCallerIdentity(cert.identity, peerCertificate, now, deps.certificates, deps.identityRule);
    if (mismatch) return { ok: false, finding: mismatch, identity: cert.identity };
    return { ok: true, identity: cert.identity, method: 'ws-security', signed: signedRequestOf(signature, deps) };
  }
  if (signature.finding.code !== 'AUTH_NOT_AUTHENTICATED' || !peerCertificate) return signature;
  return fromTls(peerCertificate, now, deps);
}

/** Whether {@link authenticateCaller} checks a WS-Security signature for this request (else the TLS certificate decides). */
export function needsSignatureCheck(envelope: Buffer, peerCertificate: X509Certificate | undefined): boolean {
  return !peerCertificate || mentionsSecurityHeader(envelope);
}

/** The options the signature of a request is checked with at `now`. */
export function signatureCheckOptions(now: Date, deps: AuthenticationDeps): WsSecurityVerifyOptions {
  return { now, maxAgeSeconds: deps.maxAgeSeconds, maxClockSkewSeconds: deps.clockSkewSeconds };
}

/**
 * A request without a SOAP envelope (the KMEHR read over HTTPS, docs/kmehr-read.md): the TLS client certificate is
 * the only credential, checked exactly as a SOAP call's (trust, dates, revocation, eHealth subject).
 */
export function authenticateTlsCaller(peerCertificate: X509Certificate | undefined, now: Date, deps: AuthenticationDeps): Authentication {
  return peerCertificate ? fromTls(peerCertificate, now, deps) : { ok: false, finding: finding('AUTH_NOT_AUTHENTICATED') };
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
