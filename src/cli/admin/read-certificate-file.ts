import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { formatSubject, identityFromSubject, loadP12 } from '../../pki/index.js';
import { readCertificateFacts } from '../../pki/certificate-facts.js';
import type { CallerIdentity } from '../../registry/caller-identity.js';
import { finding } from '../../status/finding.js';
import { UsageError } from '../client-options.js';
import { RefusedError } from './admin-errors.js';

/** What binding needs from a certificate file: read exactly as the server's verifier reads a caller's certificate. */
export interface CertificateFile {
  /** SHA-256 of the DER, upper-case hex without colons (the verifier's `fingerprint`). */
  readonly fingerprint: string;
  readonly subject: string;
  /** ISO-8601 UTC. */
  readonly notAfter: string;
  /** The caller identity the server would derive from it. */
  readonly identity: CallerIdentity;
}

const KEYSTORE = /\.(p12|pfx|acc-p12)$/i;

/**
 * Reads the end-entity certificate of a PKCS#12 keystore (`.p12`, `.pfx`, `.acc-p12`: needs the password) or of a
 * PEM / DER certificate file (anything else: no secret needed, so an operator can bind a certificate a doctor mailed).
 * @throws UsageError for a missing file or password; RefusedError for unreadable content or a non-eHealth subject
 */
export function readCertificateFile(file: string, password: string | undefined): CertificateFile {
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  let certificate: X509Certificate;
  if (KEYSTORE.test(file)) {
    if (password === undefined) throw new UsageError(`${file} is a keystore: give --password (or VACCINNET_P12_PASSWORD), or bind its certificate as a .pem`);
    try {
      certificate = new X509Certificate(loadP12(file, password).certificateDer);
    } catch (error) {
      throw new RefusedError([`cannot open ${file}: ${(error as Error).message} (wrong password?)`]);
    }
  } else {
    try {
      certificate = new X509Certificate(readFileSync(file));
    } catch {
      throw new RefusedError([`${file} is not a PEM or DER certificate (a keystore must end in .p12, .pfx or .acc-p12)`]);
    }
  }
  const fingerprint = certificate.fingerprint256.replaceAll(':', '');
  const attrs = readCertificateFacts(certificate.raw).subject;
  const reading = identityFromSubject(attrs, fingerprint);
  if (!reading.ok) throw RefusedError.of(finding('AUTH_CERT_SUBJECT', { value: `${formatSubject(attrs)} (${reading.detail})` }));
  return {
    fingerprint,
    subject: reading.identity.subject,
    notAfter: new Date(certificate.validTo).toISOString(),
    identity: reading.identity,
  };
}
