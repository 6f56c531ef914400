import { X509Certificate as NodeX509 } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CrlFileError, type LoadedCrl, olderThan, readCrlFile } from './crl-file.js';
import { normaliseSerial } from './serial.js';
import { x509 } from './x509-provider.js';

export { CrlFileError } from './crl-file.js';

/** What the trust store reports to the operator (the server logs and counts each). */
export type TrustEvent =
  | { readonly kind: 'crl-reload-failed'; readonly file: string; readonly detail: string }
  | { readonly kind: 'crl-older-refused'; readonly file: string; readonly issuer: string; readonly thisUpdate: string; readonly current: string }
  | { readonly kind: 'crl-expired'; readonly issuer: string; readonly nextUpdate: string }
  | { readonly kind: 'crl-reloaded'; readonly file: string };

export interface TrustStoreOptions {
  /** PEM/DER certificate files or directories of them: the trusted CAs. */
  readonly caFiles: readonly string[];
  /** CRL files (PEM `X509 CRL` or DER) or directories; re-read when their mtime/size changes. */
  readonly crlFiles?: readonly string[];
  /** At most one stat() per this many ms (default 1000); 0 checks on every call. */
  readonly crlRecheckMs?: number;
  /** How long past a CRL's nextUpdate its CA's certificates are still accepted, ms (default 0). */
  readonly crlGraceMs?: number;
  /** Told about reload failures, refused older CRLs and CRLs gone stale; never throws into the request path. */
  readonly onEvent?: (event: TrustEvent) => void;
}

export interface TrustedAuthority {
  readonly certificate: NodeX509;
  readonly pem: string;
  /** RFC 2253 subject as @peculiar/x509 prints it, used to match CRL issuers. */
  readonly subject: string;
  readonly notAfter: number;
}

/** What one CRL file contributed last time it loaded well. */
interface FileState {
  readonly stamp: string;
  readonly crls: readonly LoadedCrl<TrustedAuthority>[];
}

interface CrlState {
  readonly revoked: ReadonlyMap<TrustedAuthority, ReadonlySet<string>>;
  /** The latest nextUpdate of the CA's CRLs; a CA without a CRL has no entry (it is not revocation-checked). */
  readonly nextUpdate: ReadonlyMap<TrustedAuthority, number>;
  readonly pems: readonly string[];
}

// ECMAScript has no private constructor: only this module holds the token, so only the factories below construct.
const CONSTRUCT: unique symbol = Symbol('TrustStore');

/**
 * The trusted CA certificates and their CRLs, from configuration files. Revocation data is reloaded when a CRL
 * file changes on disk (a cheap, throttled stat) and `generation` goes up so caches know to drop their results.
 * It fails closed: a CA whose CRL is past nextUpdate (+ grace) is reported stale, a CRL never goes back to an older
 * one, and a file that disappears or turns bad keeps its last good list — each reported through `onEvent`.
 */
export class TrustStore {
  #files: Map<string, FileState>;
  #crl: CrlState;
  #lastCheck = 0;
  #gen = 0;
  /** CAs already reported stale for the current CRLs: one alarm per CA and CRL, not one per call. */
  readonly #reportedStale = new Set<TrustedAuthority>();
  /** Bad file stamps already reported: a file that stays broken is reported once, not at every recheck. */
  readonly #reportedBad = new Map<string, string>();

  readonly #crlFiles: readonly string[];
  readonly #recheckMs: number;
  readonly #graceMs: number;
  readonly #onEvent: (event: TrustEvent) => void;

  /** Use `TrustStore.load` or `TrustStore.fromCaDirectory`: the token that lets the constructor run is not exported. */
  constructor(
    token: typeof CONSTRUCT,
    readonly authorities: readonly TrustedAuthority[],
    crlFiles: readonly string[],
    recheckMs: number,
    graceMs: number,
    onEvent: (event: TrustEvent) => void,
  ) {
    if (token !== CONSTRUCT) throw new TypeError('use TrustStore.load');
    this.#crlFiles = crlFiles;
    this.#recheckMs = recheckMs;
    this.#graceMs = graceMs;
    this.#onEvent = onEvent;
    // At start every CRL must load: a missing or broken one is the operator's to fix (CrlFileError), not a silent gap.
    this.#files = new Map(crlFiles.map((file) => [file, { stamp: stampFile(file), crls: readCrlFile(file, authorities) }]));
    this.#crl = combine(this.#files);
    this.#lastCheck = Date.now();
  }

  /** Loads CAs and CRLs; throws on an unreadable CA file and a CrlFileError on a missing, bad or foreign CRL. */
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
    const crlFiles = (options.crlFiles ?? []).flatMap((entry) => {
      try {
        return expand([entry]);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CrlFileError(entry, code === 'ENOENT' ? 'the file does not exist' : `unreadable: ${code ?? String(error)}`);
      }
    });
    return new TrustStore(CONSTRUCT, authorities, crlFiles, options.crlRecheckMs ?? 1000, options.crlGraceMs ?? 0, safely(options.onEvent));
  }

  /** The CA directory of a `TestCa` (`ca.cert.pem` + `crl.pem`). */
  static fromCaDirectory(dir: string, crlRecheckMs?: number, extra: Pick<TrustStoreOptions, 'crlGraceMs' | 'onEvent'> = {}): TrustStore {
    return TrustStore.load({
      caFiles: [path.join(dir, 'ca.cert.pem')],
      crlFiles: [path.join(dir, 'crl.pem')],
      ...(crlRecheckMs !== undefined && { crlRecheckMs }),
      ...extra,
    });
  }

  /** Goes up every time the CRLs were reloaded. */
  get generation(): number {
    return this.#gen;
  }

  /**
   * Re-reads the CRL files that changed (mtime, size or inode). A file that fails to load keeps its previous
   * revocation data and is reported once per bad state; a CRL older than the one it replaces is refused (reported)
   * and the newer kept — so neither a bad write nor an old copy ever un-revokes anything.
   */
  refresh(force = false): void {
    const now = Date.now();
    if (!force && now - this.#lastCheck < this.#recheckMs) return;
    this.#lastCheck = now;
    let changed = false;
    for (const file of this.#crlFiles) {
      const previous = this.#files.get(file)!;
      const stamp = stampFile(file);
      if (stamp === previous.stamp || this.#reportedBad.get(file) === stamp) continue;
      let crls: LoadedCrl<TrustedAuthority>[];
      try {
        crls = readCrlFile(file, this.authorities);
      } catch (error) {
        this.#reportedBad.set(file, stamp);
        this.#onEvent({ kind: 'crl-reload-failed', file, detail: error instanceof CrlFileError ? error.detail : String(error) });
        continue;
      }
      const older = crls.find((next) => previous.crls.some((current) => current.authority === next.authority && olderThan(next, current)));
      if (older) {
        const current = previous.crls.find((c) => c.authority === older.authority)!;
        this.#reportedBad.set(file, stamp);
        this.#onEvent({
          kind: 'crl-older-refused',
          file,
          issuer: older.authority.subject,
          thisUpdate: new Date(older.thisUpdate).toISOString(),
          current: new Date(current.thisUpdate).toISOString(),
        });
        continue;
      }
      this.#reportedBad.delete(file);
      this.#files.set(file, { stamp, crls });
      this.#onEvent({ kind: 'crl-reloaded', file });
      changed = true;
    }
    if (!changed) return;
    this.#crl = combine(this.#files);
    this.#reportedStale.clear();
    this.#gen++;
  }

  /**
   * When the CRLs of `authority` went stale at `now` (nextUpdate + grace passed), that nextUpdate; otherwise
   * undefined. The first stale answer per CA and CRL is reported as `crl-expired`.
   */
  staleSince(authority: TrustedAuthority, now: number): Date | undefined {
    const next = this.#crl.nextUpdate.get(authority);
    if (next === undefined || now <= next + this.#graceMs) return undefined;
    if (!this.#reportedStale.has(authority)) {
      this.#reportedStale.add(authority);
      this.#onEvent({ kind: 'crl-expired', issuer: authority.subject, nextUpdate: new Date(next).toISOString() });
    }
    return new Date(next);
  }

  /** The trusted CAs no CRL is configured for (their certificates are not revocation-checked). */
  authoritiesWithoutCrl(): TrustedAuthority[] {
    return this.authorities.filter((a) => !this.#crl.nextUpdate.has(a) && !this.#crl.revoked.has(a));
  }

  /** The trusted CA that issued and signed `cert`, if any. */
  issuerOf(cert: NodeX509): TrustedAuthority | undefined {
    return this.authorities.find((ca) => cert.checkIssued(ca.certificate) && cert.verify(ca.certificate.publicKey));
  }

  isRevoked(authority: TrustedAuthority, serial: string): boolean {
    return this.#crl.revoked.get(authority)?.has(normaliseSerial(serial)) ?? false;
  }

  /** For the TLS `ca` option. */
  caPems(): string[] {
    return this.authorities.map((a) => a.pem);
  }

  /** For the TLS `crl` option (Node checks every CA in the chain: give one per CA). */
  crlPems(): string[] {
    return [...this.#crl.pems];
  }
}

/** Revoked serials are the union over a CA's CRLs (revocation only adds); freshness is its newest CRL's. */
function combine(files: ReadonlyMap<string, FileState>): CrlState {
  const revoked = new Map<TrustedAuthority, Set<string>>();
  const nextUpdate = new Map<TrustedAuthority, number>();
  const pems: string[] = [];
  for (const { crls } of files.values()) {
    for (const crl of crls) {
      const set = revoked.get(crl.authority) ?? new Set<string>();
      for (const serial of crl.revoked) set.add(serial);
      revoked.set(crl.authority, set);
      if (crl.nextUpdate !== undefined) nextUpdate.set(crl.authority, Math.max(nextUpdate.get(crl.authority) ?? 0, crl.nextUpdate));
      pems.push(crl.pem);
    }
  }
  return { revoked, nextUpdate, pems };
}

function safely(onEvent: ((event: TrustEvent) => void) | undefined): (event: TrustEvent) => void {
  return (event) => {
    try {
      onEvent?.(event);
    } catch {
      // A failing log sink must not turn a CRL check into a refused call.
    }
  };
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

function stampFile(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}/${s.size}/${s.ino}`;
  } catch {
    return 'missing';
  }
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
