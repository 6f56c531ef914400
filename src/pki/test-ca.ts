import { randomBytes, X509Certificate as NodeX509 } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type SubjectSpec, ehealthSubject, formatSubject, toJsonName } from './ehealth-subject.js';
import { createP12 } from './pkcs12.js';
import { type WebCryptoKeyPair, generateRsaKeyPem, importRsaKeyPair } from './rsa-keys.js';
import { normaliseSerial } from './serial.js';
import { RSA_SHA256, x509 } from './x509-provider.js';

export const CA_KEY_FILE = 'ca.key.pem';
export const CA_CERT_FILE = 'ca.cert.pem';
export const CRL_FILE = 'crl.pem';
export const INDEX_FILE = 'index.json';

const DAY_MS = 86_400_000;

export interface IndexEntry {
  /** Upper-case hex without leading zeros (as `normaliseSerial`). */
  readonly serial: string;
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly p12?: string;
  readonly revokedAt?: string;
  /** CRL reason code (RFC 5280 §5.3.1). */
  readonly reason?: number;
}

interface IndexFile {
  readonly crlNumber: number;
  readonly certificates: readonly IndexEntry[];
}

export interface CreateCaOptions {
  /** CN of the CA; default "Vaccinnet Test CA". */
  readonly name?: string;
  /** Reuse an existing PEM key (tests: RSA keygen is slow on 2 cores). */
  readonly keyPem?: string;
  readonly modulusLength?: 2048 | 3072;
  readonly days?: number;
  readonly now?: Date;
}

export interface ValidityOptions {
  /** Default now. */
  readonly notBefore?: Date;
  /** Default notBefore + days. */
  readonly notAfter?: Date;
  /** Default 730. */
  readonly days?: number;
}

export interface IssueOptions extends ValidityOptions {
  readonly subject: SubjectSpec;
  /** Reuse an existing PEM key instead of generating one. */
  readonly keyPem?: string;
  /** Write the .p12 here (default `<caDir>/issued`); `false` writes no file. */
  readonly outDir?: string | false;
  readonly password?: string;
  readonly p12Algorithm?: 'aes256' | '3des';
}

export interface IssuedCertificate {
  readonly serial: string;
  readonly subject: string;
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  readonly certificateDer: Buffer;
  /** SHA-256 fingerprint, upper-case hex without colons. */
  readonly fingerprint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly p12Path?: string;
  readonly p12Password: string;
}

export interface ServerCertificateOptions extends ValidityOptions {
  readonly hostnames?: readonly string[];
  readonly ips?: readonly string[];
  readonly keyPem?: string;
}

export interface ServerCertificate {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

// ECMAScript has no private constructor: only this module holds the token, so only the factories below construct.
const CONSTRUCT: unique symbol = Symbol('TestCa');

/**
 * A local test certificate authority in a directory (`ca.key.pem`, `ca.cert.pem`, `crl.pem`, `index.json`)
 * that issues eHealth-shaped certificates as .p12 keystores and keeps a CRL: the acceptance environment's
 * stand-in for the eHealth CA (identity.md §2). Not for production keys: the CA key is stored unencrypted.
 */
export class TestCa {
  readonly #keys: WebCryptoKeyPair;
  readonly #caCert: x509.X509Certificate;

  /** Use `TestCa.create` or `TestCa.open`: the token that lets the constructor run is not exported. */
  constructor(
    token: typeof CONSTRUCT,
    readonly dir: string,
    keys: WebCryptoKeyPair,
    caCert: x509.X509Certificate,
  ) {
    if (token !== CONSTRUCT) throw new TypeError('use TestCa.create or TestCa.open');
    this.#keys = keys;
    this.#caCert = caCert;
  }

  /** Creates a new CA in `dir` (created if needed); refuses to overwrite an existing one. */
  static async create(dir: string, options: CreateCaOptions = {}): Promise<TestCa> {
    if (existsSync(path.join(dir, CA_CERT_FILE))) throw new Error(`a CA already exists in ${dir}`);
    mkdirSync(dir, { recursive: true });
    const keyPem = options.keyPem ?? (await generateRsaKeyPem(options.modulusLength ?? 2048));
    const keys = await importRsaKeyPair(keyPem);
    const now = options.now ?? new Date();
    const name = toJsonName([
      { type: 'C', value: 'BE' },
      { type: 'O', value: 'Vaccinnet test' },
      { type: 'CN', value: options.name ?? 'Vaccinnet Test CA' },
    ]);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: newSerial(),
      subject: name,
      issuer: name,
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter: new Date(now.getTime() + (options.days ?? 3650) * DAY_MS),
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: RSA_SHA256,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    writeAtomic(path.join(dir, CA_KEY_FILE), keyPem, 0o600);
    writeAtomic(path.join(dir, CA_CERT_FILE), cert.toString('pem'));
    writeAtomic(path.join(dir, INDEX_FILE), JSON.stringify({ crlNumber: 0, certificates: [] }, null, 2));
    const ca = new TestCa(CONSTRUCT, dir, keys, cert);
    await ca.writeCrl(now);
    return ca;
  }

  /** Opens the CA stored in `dir`. */
  static async open(dir: string): Promise<TestCa> {
    const certFile = path.join(dir, CA_CERT_FILE);
    if (!existsSync(certFile)) throw new Error(`no CA in ${dir} (run \`vaccinnet pki init\`)`);
    const keys = await importRsaKeyPair(readFileSync(path.join(dir, CA_KEY_FILE), 'utf8'));
    return new TestCa(CONSTRUCT, dir, keys, new x509.X509Certificate(readFileSync(certFile, 'utf8')));
  }

  get certificatePem(): string {
    return this.#caCert.toString('pem');
  }

  get crlPath(): string {
    return path.join(this.dir, CRL_FILE);
  }

  get certificatePath(): string {
    return path.join(this.dir, CA_CERT_FILE);
  }

  /** Issued certificates as recorded in `index.json`. */
  list(): readonly IndexEntry[] {
    return this.#readIndex().certificates;
  }

  /**
   * Issues an eHealth-shaped client certificate (digitalSignature + keyEncipherment, clientAuth) and, unless
   * `outDir: false`, writes it as `<TYPE>=<id> <yyyyMMddHHmmss>.acc-p12` with alias `authentication`.
   */
  async issue(options: IssueOptions): Promise<IssuedCertificate> {
    const keyPem = options.keyPem ?? (await generateRsaKeyPem());
    const keys = await importRsaKeyPair(keyPem);
    const attrs = ehealthSubject(options.subject);
    const { notBefore, notAfter } = validity(options);
    const cert = await this.#sign(keys.publicKey, toJsonName(attrs), notBefore, notAfter, [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ]);
    const certificatePem = cert.toString('pem');
    const password = options.password ?? randomBytes(9).toString('base64url');
    let p12Path: string | undefined;
    if (options.outDir !== false) {
      // Absolute, so `pki revoke FILE` finds it in the index from any working directory.
      const outDir = path.resolve(options.outDir ?? path.join(this.dir, 'issued'));
      mkdirSync(outDir, { recursive: true });
      p12Path = uniqueP12Path(outDir, p12BaseName(options.subject), new Date());
      const p12 = createP12({
        privateKeyPem: keyPem,
        certificatePem,
        chainPem: [this.certificatePem],
        password,
        ...(options.p12Algorithm !== undefined && { algorithm: options.p12Algorithm }),
      });
      writeAtomic(p12Path, p12, 0o600);
    }
    const serial = normaliseSerial(cert.serialNumber);
    const subject = formatSubject(attrs);
    this.#record({
      serial,
      subject,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      ...(p12Path !== undefined && { p12: p12Path }),
    });
    const node = new NodeX509(certificatePem);
    return {
      serial,
      subject,
      privateKeyPem: keyPem,
      certificatePem,
      certificateDer: Buffer.from(node.raw),
      fingerprint: node.fingerprint256.replaceAll(':', ''),
      notBefore,
      notAfter,
      ...(p12Path !== undefined && { p12Path }),
      p12Password: password,
    };
  }

  /** A TLS server certificate (serverAuth) with subjectAltName DNS/IP entries, default localhost + 127.0.0.1. */
  async issueServer(options: ServerCertificateOptions = {}): Promise<ServerCertificate> {
    const hostnames = options.hostnames ?? ['localhost'];
    const ips = options.ips ?? ['127.0.0.1'];
    const keyPem = options.keyPem ?? (await generateRsaKeyPem());
    const keys = await importRsaKeyPair(keyPem);
    const { notBefore, notAfter } = validity(options);
    const attrs = [
      { type: 'C', value: 'BE' },
      { type: 'O', value: 'Vaccinnet test' },
      { type: 'CN', value: hostnames[0] ?? ips[0] ?? 'localhost' },
    ];
    const cert = await this.#sign(keys.publicKey, toJsonName(attrs), notBefore, notAfter, [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...hostnames.map((value) => ({ type: 'dns' as const, value })),
        ...ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
    ]);
    this.#record({
      serial: normaliseSerial(cert.serialNumber),
      subject: formatSubject(attrs),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
    });
    return { privateKeyPem: keyPem, certificatePem: cert.toString('pem') };
  }

  /**
   * Revokes a serial (any hex spelling) and re-signs the CRL. Returns false when the serial is unknown.
   * Always records a reason: @peculiar/x509 2.2 writes an empty (invalid, OpenSSL refuses it) entry-extension
   * list for entries without one.
   */
  async revoke(serial: string, now: Date = new Date(), reason: x509.X509CrlReason = x509.X509CrlReason.cessationOfOperation): Promise<boolean> {
    const wanted = normaliseSerial(serial);
    const index = this.#readIndex();
    const found = index.certificates.find((c) => c.serial === wanted);
    if (!found) return false;
    if (!found.revokedAt) {
      this.#writeIndex({
        ...index,
        certificates: index.certificates.map((c) => (c.serial === wanted ? { ...c, revokedAt: now.toISOString(), reason } : c)),
      });
    }
    await this.writeCrl(now);
    return true;
  }

  /** Re-signs `crl.pem` from the index (thisUpdate now, nextUpdate now + days) and returns it as PEM. */
  async writeCrl(now: Date = new Date(), nextUpdateDays = 7): Promise<string> {
    const index = this.#readIndex();
    const crlNumber = index.crlNumber + 1;
    const crl = await x509.X509CrlGenerator.create({
      issuer: this.#caCert.subjectName,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + nextUpdateDays * DAY_MS),
      signingAlgorithm: RSA_SHA256,
      signingKey: this.#keys.privateKey,
      entries: index.certificates
        .filter((c) => c.revokedAt !== undefined)
        .map((c) => ({
          serialNumber: c.serial,
          revocationDate: new Date(c.revokedAt as string),
          reason: c.reason || x509.X509CrlReason.cessationOfOperation,
        })),
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(this.#keys.publicKey), new x509.Extension('2.5.29.20', false, derInteger(crlNumber))],
    });
    // @peculiar/x509 labels it "CRL"; OpenSSL and Node TLS only read "X509 CRL".
    const pem = x509.PemConverter.encode(crl.rawData, 'X509 CRL');
    this.#writeIndex({ ...index, crlNumber });
    // Atomic rename: a verifier re-reading the CRL on an mtime change never sees half a file.
    writeAtomic(this.crlPath, pem);
    return pem;
  }

  async #sign(
    publicKey: WebCryptoKeyPair['publicKey'],
    subject: ReturnType<typeof toJsonName>,
    notBefore: Date,
    notAfter: Date,
    extensions: x509.Extension[],
  ): Promise<x509.X509Certificate> {
    return x509.X509CertificateGenerator.create({
      serialNumber: newSerial(),
      subject,
      issuer: this.#caCert.subjectName,
      notBefore,
      notAfter,
      publicKey,
      signingKey: this.#keys.privateKey,
      signingAlgorithm: RSA_SHA256,
      extensions: [
        ...extensions,
        await x509.SubjectKeyIdentifierExtension.create(publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.#keys.publicKey),
      ],
    });
  }

  #record(entry: IndexEntry): void {
    const index = this.#readIndex();
    this.#writeIndex({ ...index, certificates: [...index.certificates, entry] });
  }

  #readIndex(): IndexFile {
    return JSON.parse(readFileSync(path.join(this.dir, INDEX_FILE), 'utf8')) as IndexFile;
  }

  #writeIndex(index: IndexFile): void {
    writeAtomic(path.join(this.dir, INDEX_FILE), JSON.stringify(index, null, 2));
  }
}

/** `<TYPE>=<id>` as in the real keystore names. */
export function p12BaseName(subject: SubjectSpec): string {
  return subject.kind === 'person' ? `SSIN=${subject.ssin}` : `${subject.idType}=${subject.id}`;
}

function uniqueP12Path(dir: string, base: string, at: Date): string {
  // Real names carry a second-resolution timestamp; step a second on a clash (tests issue several per second).
  for (let t = at.getTime(); ; t += 1000) {
    const file = path.join(dir, `${base} ${timestamp(new Date(t))}.acc-p12`);
    if (!existsSync(file)) return file;
  }
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function validity(options: ValidityOptions): { notBefore: Date; notAfter: Date } {
  const notBefore = options.notBefore ?? new Date();
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + (options.days ?? 730) * DAY_MS);
  return { notBefore, notAfter };
}

function newSerial(): string {
  const bytes = randomBytes(16);
  // Positive and without a leading zero byte, so every tool prints the same hex.
  bytes[0] = 0x10 | ((bytes[0] ?? 0) & 0x6f);
  return bytes.toString('hex');
}

function derInteger(n: number): ArrayBuffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const body = Buffer.from(hex, 'hex');
  const der = Buffer.concat([Buffer.from([0x02, body.length]), body]);
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.length);
}

function writeAtomic(file: string, data: string | Buffer, mode?: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, file);
}
