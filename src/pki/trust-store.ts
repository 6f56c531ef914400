import { X509Certificate as NodeX509, verify as verifySignature } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { firstElementOfSequence } from './der.js';
import { normaliseSerial } from './serial.js';
import { x509 } from './x509-provider.js';

export interface TrustStoreOptions {
  /** PEM/DER certificate files or directories of them: the trusted CAs. */
  readonly caFiles: readonly string[];
  /** CRL files (PEM `X509 CRL` or DER) or directories; re-read when their mtime/size changes. */
  readonly crlFiles?: readonly string[];
  /** At most one stat() per this many ms (default 1000); 0 checks on every call. */
  readonly crlRecheckMs?: number;
}

export interface TrustedAuthority {
  readonly certificate: NodeX509;
  readonly pem: string;
  /** RFC 2253 subject as @peculiar/x509 prints it, used to match CRL issuers. */
  readonly subject: string;
  readonly notAfter: number;
}

interface CrlState {
  readonly revoked: ReadonlyMap<TrustedAuthority, ReadonlySet<string>>;
  readonly pems: readonly string[];
}

/**
 * The trusted CA certificates and their CRLs, from configuration files. Revocation data is reloaded when a CRL
 * file changes on disk (a cheap, throttled stat) and `generation` goes up so caches know to drop their results.
 */
export class TrustStore {
  private crl: CrlState;
  private stamps: string;
  private lastCheck = 0;
  private gen = 0;

  private constructor(
    readonly authorities: readonly TrustedAuthority[],
    private readonly crlFiles: readonly string[],
    private readonly recheckMs: number,
  ) {
    this.stamps = stampFiles(crlFiles);
    this.crl = loadCrls(crlFiles, authorities);
    this.lastCheck = Date.now();
  }

  /** Loads CAs and CRLs; throws on an unreadable file, a CRL from an unknown CA or a bad CRL signature. */
  static load(options: TrustStoreOptions): TrustStore {
    const authorities = expand(options.caFiles)
      .flatMap((file) => certificatesIn(readFileSync(file)))
      .map((der) => {
        const certificate = new NodeX509(der);
        return {
          certificate,
          pem: certificate.toString(),
          subject: new x509.X509Certificate(der).subject,
          notAfter: Date.parse(certificate.validTo),
        };
      });
    if (authorities.length === 0) throw new Error('no trusted CA certificate found');
    return new TrustStore(authorities, expand(options.crlFiles ?? []), options.crlRecheckMs ?? 1000);
  }

  /** The CA directory of a `TestCa` (`ca.cert.pem` + `crl.pem`). */
  static fromCaDirectory(dir: string, crlRecheckMs?: number): TrustStore {
    return TrustStore.load({
      caFiles: [path.join(dir, 'ca.cert.pem')],
      crlFiles: [path.join(dir, 'crl.pem')],
      ...(crlRecheckMs !== undefined && { crlRecheckMs }),
    });
  }

  /** Goes up every time the CRLs were reloaded. */
  get generation(): number {
    return this.gen;
  }

  /**
   * Re-reads the CRLs when a file changed (mtime, size or inode). A CRL that fails to load keeps the previous
   * revocation data and is retried on the next check, so a bad write never un-revokes anything.
   */
  refresh(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastCheck < this.recheckMs) return;
    this.lastCheck = now;
    const stamps = stampFiles(this.crlFiles);
    if (stamps === this.stamps) return;
    try {
      this.crl = loadCrls(this.crlFiles, this.authorities);
    } catch {
      return;
    }
    this.stamps = stamps;
    this.gen++;
  }

  /** The trusted CA that issued and signed `cert`, if any. */
  issuerOf(cert: NodeX509): TrustedAuthority | undefined {
    return this.authorities.find((ca) => cert.checkIssued(ca.certificate) && cert.verify(ca.certificate.publicKey));
  }

  isRevoked(authority: TrustedAuthority, serial: string): boolean {
    return this.crl.revoked.get(authority)?.has(normaliseSerial(serial)) ?? false;
  }

  /** For the TLS `ca` option. */
  caPems(): string[] {
    return this.authorities.map((a) => a.pem);
  }

  /** For the TLS `crl` option (Node checks every CA in the chain: give one per CA). */
  crlPems(): string[] {
    return [...this.crl.pems];
  }
}

function loadCrls(files: readonly string[], authorities: readonly TrustedAuthority[]): CrlState {
  const revoked = new Map<TrustedAuthority, Set<string>>();
  const pems: string[] = [];
  for (const file of files) {
    for (const der of crlsIn(readFileSync(file))) {
      const crl = new x509.X509Crl(der);
      const authority = authorities.find((a) => a.subject === crl.issuer && crlSignedBy(der, crl, a));
      if (!authority) throw new Error(`${file}: CRL not signed by a trusted CA (${crl.issuer})`);
      const set = revoked.get(authority) ?? new Set<string>();
      for (const entry of crl.entries) set.add(normaliseSerial(entry.serialNumber));
      revoked.set(authority, set);
      pems.push(x509.PemConverter.encode(der, 'X509 CRL'));
    }
  }
  return { revoked, pems };
}

function crlSignedBy(der: Buffer, crl: x509.X509Crl, authority: TrustedAuthority): boolean {
  const hash = crl.signatureAlgorithm.hash?.name.replace('-', '').toLowerCase() ?? 'sha256';
  return verifySignature(hash, firstElementOfSequence(der), authority.certificate.publicKey, Buffer.from(crl.signature));
}

function expand(entries: readonly string[]): string[] {
  return entries.flatMap((entry) =>
    statSync(entry).isDirectory()
      ? readdirSync(entry)
          .filter((f) => /\.(pem|crt|cer|der|crl)$/i.test(f))
          .sort()
          .map((f) => path.join(entry, f))
      : [entry],
  );
}

function stampFiles(files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        const s = statSync(f);
        return `${s.mtimeMs}/${s.size}/${s.ino}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}

function pemBlocks(bytes: Buffer, labels: RegExp): Buffer[] | undefined {
  const text = bytes.toString('latin1');
  if (!text.includes('-----BEGIN ')) return undefined;
  const blocks: Buffer[] = [];
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \1-----/g)) {
    if (labels.test(m[1] ?? '')) blocks.push(Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64'));
  }
  return blocks;
}

function certificatesIn(bytes: Buffer): Buffer[] {
  // Files with a private key next to the certificate (a CA directory) just contribute their certificates.
  return pemBlocks(bytes, /^(TRUSTED |X509 )?CERTIFICATE$/) ?? [bytes];
}

function crlsIn(bytes: Buffer): Buffer[] {
  return pemBlocks(bytes, /^(X509 )?CRL$/) ?? [bytes];
}
