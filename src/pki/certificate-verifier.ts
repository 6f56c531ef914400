import { hash, X509Certificate as NodeX509 } from 'node:crypto';
import { type CallerIdentity, describeCaller } from '../registry/caller-identity.js';
import type { StatusCode } from '../status/catalogue.js';
import { type Finding, finding } from '../status/finding.js';
import { type CertificateFacts, readCertificateFacts } from './certificate-facts.js';
import { formatSubject, identityFromSubject } from './ehealth-subject.js';
import type { TrustStore, TrustedAuthority } from './trust-store.js';

export type VerifyResult = { readonly ok: true; readonly identity: CallerIdentity } | { readonly ok: false; readonly finding: Finding };

export interface CertificateVerifierOptions {
  /** Most certificates remembered (default 10 000); the oldest is dropped first. */
  readonly cacheSize?: number;
}

/** What does not depend on the time of the call: computed once per certificate and CRL generation. */
interface Evaluation {
  readonly value: string;
  readonly fingerprint: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly authority?: TrustedAuthority;
  /** The outcome once the validity period is fine: untrusted, revoked, usage, subject, or the identity. */
  readonly outcome: VerifyResult;
  /** Untrusted certificates fail before their dates are looked at. */
  readonly untrusted: boolean;
}

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';

/**
 * Checks a caller's certificate against the trust store and maps it to a `CallerIdentity` (identity.md §1-2):
 * chain to a trusted CA (signature), validity period, key usage, revocation, eHealth subject shape.
 * Results are cached by SHA-256 fingerprint, so a known certificate costs a hash and a map lookup; the cache
 * is dropped when the CRLs change.
 */
export class CertificateVerifier {
  readonly #cache = new Map<string, Evaluation>();
  // A TLS socket hands out the same X509Certificate object for every request on the connection.
  readonly #fingerprints = new WeakMap<NodeX509, string>();
  #generation: number;
  readonly #cacheSize: number;
  readonly #trust: TrustStore;

  constructor(trust: TrustStore, options: CertificateVerifierOptions = {}) {
    this.#trust = trust;
    this.#generation = trust.generation;
    this.#cacheSize = options.cacheSize ?? 10_000;
  }

  /**
   * Verifies `cert` (Node X509Certificate, DER bytes or PEM text) at time `now`.
   * Never throws: unreadable input is reported as AUTH_CERT_UNTRUSTED.
   */
  verifyCertificate(cert: NodeX509 | Buffer | Uint8Array | string, now: Date = new Date()): VerifyResult {
    this.#trust.refresh();
    if (this.#trust.generation !== this.#generation) {
      this.#cache.clear();
      this.#generation = this.#trust.generation;
    }
    let der: Buffer | undefined;
    let fingerprint: string;
    if (cert instanceof NodeX509) {
      fingerprint = this.#fingerprints.get(cert) ?? cert.fingerprint256.replaceAll(':', '');
      this.#fingerprints.set(cert, fingerprint);
    } else {
      der = typeof cert === 'string' ? pemToDer(cert) : Buffer.isBuffer(cert) ? cert : Buffer.from(cert);
      // crypto.hash (one call, no Hash object) is about twice as fast as createHash for a 1-2 KB certificate.
      fingerprint = hash('sha256', der, 'hex').toUpperCase();
    }
    let evaluation = this.#cache.get(fingerprint);
    if (!evaluation) {
      evaluation = this.#evaluate(cert instanceof NodeX509 ? cert : (der as Buffer), fingerprint);
      if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(fingerprint, evaluation);
    }
    return this.#atTime(evaluation, now.getTime());
  }

  #atTime(e: Evaluation, now: number): VerifyResult {
    const dated = atTime(e, now);
    if (!dated.ok && dated !== e.outcome) return dated;
    if (!e.authority || (!e.outcome.ok && e.outcome.finding.code === 'AUTH_CERT_REVOKED')) return dated;
    // our choice: revocation fails closed — a CA whose CRL is past nextUpdate (+ pki.crlGraceSeconds) cannot vouch
    // that its certificates are still good. Checked per call: the cached evaluation does not know the time.
    const stale = this.#trust.staleSince(e.authority, now);
    if (stale) return fail('AUTH_CRL_EXPIRED', e.value, e.fingerprint, { date: stale.toISOString() });
    return dated;
  }

  /** Forgets every cached result (e.g. after changing trust configuration in tests). */
  clearCache(): void {
    this.#cache.clear();
  }

  #evaluate(input: NodeX509 | Buffer, fingerprint: string): Evaluation {
    const shortValue = `sha256:${fingerprint.slice(0, 16)}`;
    let node: NodeX509;
    try {
      node = input instanceof NodeX509 ? input : new NodeX509(input);
    } catch {
      const outcome = fail('AUTH_CERT_UNTRUSTED', shortValue, fingerprint, { detail: 'unreadable certificate' });
      return { value: shortValue, fingerprint, notBefore: 0, notAfter: 0, outcome, untrusted: true };
    }
    const dates = { fingerprint, notBefore: Date.parse(node.validFrom), notAfter: Date.parse(node.validTo) };
    // The chain first: anybody can send certificates, only a trusted CA's are worth a full parse.
    const authority = this.#trust.issuerOf(node);
    if (!authority) {
      const value = untrustedValue(node.subject) ?? shortValue;
      return { ...dates, value, outcome: fail('AUTH_CERT_UNTRUSTED', value, fingerprint), untrusted: true };
    }
    let facts: CertificateFacts;
    try {
      facts = readCertificateFacts(node.raw);
    } catch {
      const outcome = fail('AUTH_CERT_SUBJECT', shortValue, fingerprint, { detail: 'unreadable certificate' });
      return { ...dates, value: shortValue, authority, outcome, untrusted: false };
    }
    const reading = identityFromSubject(facts.subject, fingerprint);
    // Findings carry a masked description, never a full SSIN.
    const value = reading.ok ? describeCaller(reading.identity) : shortValue;
    const outcome = ((): VerifyResult => {
      if (this.#trust.isRevoked(authority, node.serialNumber)) return fail('AUTH_CERT_REVOKED', value, fingerprint);
      const usage = usageProblem(facts);
      if (usage) return fail('AUTH_CERT_USAGE', value, fingerprint, { detail: usage });
      if (!reading.ok) {
        return fail('AUTH_CERT_SUBJECT', maskSsins(formatSubject(facts.subject)), fingerprint, { detail: reading.detail });
      }
      return { ok: true, identity: reading.identity };
    })();
    return { ...dates, value, authority, outcome, untrusted: false };
  }
}

/** Convenience factory. */
export function createCertificateVerifier(trust: TrustStore, options?: CertificateVerifierOptions): CertificateVerifier {
  return new CertificateVerifier(trust, options);
}

function atTime(e: Evaluation, now: number): VerifyResult {
  if (e.untrusted) return e.outcome;
  if (now < e.notBefore) {
    return fail('AUTH_CERT_NOT_YET_VALID', e.value, e.fingerprint, { date: new Date(e.notBefore).toISOString() });
  }
  if (now > e.notAfter) {
    return fail('AUTH_CERT_EXPIRED', e.value, e.fingerprint, { date: new Date(e.notAfter).toISOString() });
  }
  if (e.authority && now > e.authority.notAfter) {
    return fail('AUTH_CERT_UNTRUSTED', e.value, e.fingerprint, { detail: 'the issuing CA certificate has expired' });
  }
  return e.outcome;
}

/** Key usage for signing/client authentication: digitalSignature when KU is present, clientAuth when EKU is. */
function usageProblem(facts: CertificateFacts): string | undefined {
  if (facts.isCa) return 'a CA certificate is not a caller certificate';
  if (facts.digitalSignature === false) return 'key usage lacks digitalSignature';
  const eku = facts.extendedKeyUsage;
  if (eku && !eku.some((u) => u === CLIENT_AUTH || u === ANY_EKU)) return 'extended key usage lacks clientAuth';
  return undefined;
}

/** A masked caller description from Node's one-attribute-per-line subject, without a full parse. */
function untrustedValue(subject: string): string | undefined {
  const ou = subject
    .split('\n')
    .map((line) => /^OU=([A-Z][A-Z0-9_-]*)=(\d+)$/.exec(line))
    .find((m) => m !== null);
  if (!ou) return undefined;
  return ou[1] === 'SSIN' ? `SSIN=${(ou[2] ?? '').slice(0, 6)}*****` : `${ou[1]}=${ou[2]}`;
}

function fail(code: StatusCode, value: string, fingerprint: string, params: Record<string, string> = {}): VerifyResult {
  return { ok: false, finding: finding(code, { value, params: { fingerprint, ...params } }) };
}

/** 11-digit runs may be SSINs: keep the birth-date part only. */
function maskSsins(text: string): string {
  return text.replace(/(?<!\d)(\d{6})\d{5}(?!\d)/g, '$1*****');
}

function pemToDer(pem: string): Buffer {
  const m = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/.exec(pem);
  return Buffer.from((m?.[1] ?? pem).replace(/\s+/g, ''), 'base64');
}
