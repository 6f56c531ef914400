import { hash } from 'node:crypto';
import { finding, type Finding } from '../status/finding.js';

/** The store side of replay protection (store/signature-replays.ts): insert-if-absent, true when new. */
export interface SignatureClaims {
  claim(signatureHash: string, expiresAt: Date, now: Date): Promise<boolean>;
}

/** A request authenticated by its signature, as the replay check knows it. */
export interface SignedRequest {
  /** SHA-256 (hex) of the ds:SignatureValue bytes. */
  readonly hash: string;
  /** When its Timestamp stops being accepted: a replay after that is refused as stale by the Timestamp check. */
  readonly expiresAt: Date;
}

export interface SignatureWindow {
  readonly maxAgeSeconds: number;
  readonly clockSkewSeconds: number;
}

/**
 * The SignatureValue signs SignedInfo, which holds the digests of the Timestamp and the Body: it names the request.
 * Its window ends where check-timestamp.ts stops accepting it: `Created + maxAge + skew`, or `Expires + skew` when
 * that is earlier.
 */
export function signedRequestOf(
  signature: { readonly signatureValue: string; readonly created: Date; readonly expires?: Date },
  window: SignatureWindow,
): SignedRequest {
  const skew = window.clockSkewSeconds * 1000;
  const byAge = signature.created.getTime() + window.maxAgeSeconds * 1000 + skew;
  const byExpires = signature.expires ? signature.expires.getTime() + skew : Number.POSITIVE_INFINITY;
  return {
    hash: hash('sha256', Buffer.from(signature.signatureValue, 'base64'), 'hex'),
    expiresAt: new Date(Math.min(byAge, byExpires)),
  };
}

/**
 * The same signed bytes are accepted once within their window (issue 11.4), on every operation: a captured signed
 * read must not be replayable. One indexed insert in the shared store; a TLS-only call never gets here (TLS itself
 * stops replays).
 * @returns AUTH_SIGNATURE_REPLAYED for the second and later uses, else undefined
 */
export async function claimSignedRequest(signed: SignedRequest | undefined, claims: SignatureClaims | undefined, now: Date): Promise<Finding | undefined> {
  if (!signed || !claims) return undefined;
  if (await claims.claim(signed.hash, signed.expiresAt, now)) return undefined;
  return finding('AUTH_SIGNATURE_REPLAYED', { params: { detail: `sha256:${signed.hash.slice(0, 16)}` } });
}
