import { X509Certificate, type KeyObject } from 'node:crypto';

export interface TokenCertificate {
  readonly der: Buffer;
  readonly key: KeyObject;
}

// A client signs every call with the same certificate: parsing it once per process saves an X.509 decode per call.
const CACHE = new Map<string, TokenCertificate>();
const CACHE_SIZE = 64;

/** The certificate of a BinarySecurityToken (base64 DER, white space removed); undefined when it is not one. */
export function tokenCertificate(base64: string): TokenCertificate | undefined {
  const hit = CACHE.get(base64);
  if (hit !== undefined) return hit;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  try {
    const der = Buffer.from(base64, 'base64');
    const entry = { der, key: new X509Certificate(der).publicKey };
    if (CACHE.size >= CACHE_SIZE) CACHE.delete(CACHE.keys().next().value as string);
    CACHE.set(base64, entry);
    return entry;
  } catch {
    return undefined;
  }
}
