import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { claimSignedRequest, signedRequestOf } from './signed-request-replay.js';

const created = new Date('2026-12-07T10:00:00Z');
const window = { maxAgeSeconds: 300, clockSkewSeconds: 60 };
const signatureValue = Buffer.from('a signature value').toString('base64');

describe('signed request replay window', () => {
  it('is named by the SHA-256 of the SignatureValue bytes and lasts Created + max age + skew', () => {
    const signed = signedRequestOf({ signatureValue, created }, window);
    expect(signed.hash).toBe(hash('sha256', Buffer.from('a signature value'), 'hex'));
    expect(signed.expiresAt.toISOString()).toBe('2026-12-07T10:06:00.000Z');
  });

  it('ends at Expires + skew when that comes first, never later than the age limit', () => {
    const soon = signedRequestOf({ signatureValue, created, expires: new Date('2026-12-07T10:01:00Z') }, window);
    expect(soon.expiresAt.toISOString()).toBe('2026-12-07T10:02:00.000Z');
    const late = signedRequestOf({ signatureValue, created, expires: new Date('2026-12-07T11:00:00Z') }, window);
    expect(late.expiresAt.toISOString()).toBe('2026-12-07T10:06:00.000Z');
  });

  it('a second claim is refused AUTH_SIGNATURE_REPLAYED; no signature (TLS only) claims nothing', async () => {
    const seen = new Set<string>();
    const claims = { claim: async (h: string): Promise<boolean> => !seen.has(h) && Boolean(seen.add(h)) };
    const signed = signedRequestOf({ signatureValue, created }, window);
    expect(await claimSignedRequest(signed, claims, created)).toBeUndefined();
    expect((await claimSignedRequest(signed, claims, created))?.code).toBe('AUTH_SIGNATURE_REPLAYED');
    expect(await claimSignedRequest(undefined, claims, created)).toBeUndefined();
    expect(seen.size).toBe(1);
  });
});
