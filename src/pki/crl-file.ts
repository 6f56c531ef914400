import { verify as verifySignature } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { firstElementOfSequence } from './der.js';
import { normaliseSerial } from './serial.js';
import { x509 } from './x509-provider.js';

/** The parts of a trusted CA a CRL is matched against (a structural subset of `TrustedAuthority`). */
export interface CrlAuthority {
  readonly certificate: { readonly publicKey: import('node:crypto').KeyObject };
  readonly subject: string;
}

/** One verified CRL: whose it is, how fresh, and what it revokes. */
export interface LoadedCrl<A extends CrlAuthority = CrlAuthority> {
  readonly authority: A;
  readonly thisUpdate: number;
  /** Epoch ms; absent when the CRL names no nextUpdate (RFC 5280 requires one; such a CRL never goes stale). */
  readonly nextUpdate?: number;
  /** The cRLNumber extension (2.5.29.20), when present. */
  readonly number?: bigint;
  readonly revoked: ReadonlySet<string>;
  readonly pem: string;
}

/** A CRL file that cannot be used: missing, unreadable, not a CRL, or not signed by a trusted CA. */
export class CrlFileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'CrlFileError';
  }
}

/** Reads and verifies every CRL in `file` (PEM `X509 CRL` blocks or one DER CRL); throws a CrlFileError. */
export function readCrlFile<A extends CrlAuthority>(file: string, authorities: readonly A[]): LoadedCrl<A>[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CrlFileError(file, code === 'ENOENT' ? 'the file does not exist' : `unreadable: ${code ?? (error as Error).message}`);
  }
  const ders = crlsIn(bytes);
  if (ders.length === 0) throw new CrlFileError(file, 'no CRL in the file');
  return ders.map((der) => {
    let crl: x509.X509Crl;
    try {
      crl = new x509.X509Crl(der);
    } catch {
      throw new CrlFileError(file, 'not a readable CRL');
    }
    const authority = authorities.find((a) => a.subject === crl.issuer && crlSignedBy(der, crl, a));
    if (!authority) throw new CrlFileError(file, `CRL not signed by a trusted CA (${crl.issuer})`);
    const number = crlNumber(crl);
    return {
      authority,
      thisUpdate: crl.thisUpdate.getTime(),
      ...(crl.nextUpdate && { nextUpdate: crl.nextUpdate.getTime() }),
      ...(number !== undefined && { number }),
      revoked: new Set(crl.entries.map((entry) => normaliseSerial(entry.serialNumber))),
      pem: x509.PemConverter.encode(der, 'X509 CRL'),
    };
  });
}

/**
 * Whether `next` may replace `current` (same CA): it must not be older — by thisUpdate, and by CRL number when both
 * carry one. our choice: an equal one (the same CRL written again) is accepted.
 */
export function olderThan(next: LoadedCrl, current: LoadedCrl): boolean {
  if (next.thisUpdate < current.thisUpdate) return true;
  return next.number !== undefined && current.number !== undefined && next.number < current.number;
}

function crlNumber(crl: x509.X509Crl): bigint | undefined {
  const ext = crl.extensions.find((e) => e.type === '2.5.29.20');
  if (!ext) return undefined;
  const der = new Uint8Array(ext.value);
  // INTEGER, short-form length (a CRL number is at most 20 octets, RFC 5280 §5.2.3).
  if (der[0] !== 0x02 || der[1] === undefined || der[1] > 0x7f) return undefined;
  let n = 0n;
  for (const b of der.subarray(2, 2 + der[1])) n = n * 256n + BigInt(b);
  return n;
}

function crlSignedBy(der: Buffer, crl: x509.X509Crl, authority: CrlAuthority): boolean {
  const hash = crl.signatureAlgorithm.hash?.name.replace('-', '').toLowerCase() ?? 'sha256';
  try {
    return verifySignature(hash, firstElementOfSequence(der), authority.certificate.publicKey, Buffer.from(crl.signature));
  } catch {
    return false;
  }
}

function crlsIn(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN ')) return bytes.length > 0 ? [bytes] : [];
  const blocks: Buffer[] = [];
  for (const m of text.matchAll(/-----BEGIN ((?:X509 )?CRL)-----([^-]+)-----END \1-----/g)) {
    blocks.push(Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64'));
  }
  return blocks;
}
