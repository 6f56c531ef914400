import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RegistryConfig } from '../config/registry-config.js';
import { TestCa } from '../pki/test-ca.js';
import { ConfigurationError } from '../config/configuration-error.js';
import { envKey } from '../config/load-config.js';
import { CrlFileError, TrustStore, type TrustEvent } from '../pki/trust-store.js';
import { formatMessage } from '../status/catalogue.js';
import { withPkiFolderLock } from './pki-folder-lock.js';

export interface ServerTls {
  readonly keyPem: string;
  readonly certPem: string;
  /** The development CA certificate (clients trust it to reach this server). */
  readonly caPem?: string;
}

const SERVER_KEY = 'server.key.pem';
const SERVER_CERT = 'server.cert.pem';

/**
 * The development CA (created on first start) and the server's TLS certificate: from configured files when given,
 * otherwise issued by the development CA for localhost/127.0.0.1 and kept in the PKI folder.
 */
export async function ensureDevPki(config: RegistryConfig): Promise<{ ca: TestCa; created: boolean; tls: ServerTls }> {
  const dir = config.pki.dir;
  const caFile = path.join(dir, 'ca.cert.pem');
  const keyFile = path.join(dir, SERVER_KEY);
  const certFile = path.join(dir, SERVER_CERT);
  const ownServerCert = Boolean(config.server.certFile && config.server.keyFile);
  // Under the folder's lock: nodes starting together on one shared folder must not each create a CA or a server
  // key, nor re-sign the CRL (its number is read, incremented and written) at the same moment.
  const { ca, created } = await withPkiFolderLock(dir, async () => {
    const isNew = !existsSync(caFile);
    const folderCa = isNew ? await TestCa.create(dir) : await TestCa.open(dir);
    // Revocation fails closed on a CRL past nextUpdate (7 days after signing): the development CA's own CRL is
    // re-signed at every start (and daily while running, see start-registry) so a demo left for a week still works.
    if (!isNew) await folderCa.writeCrl();
    if (!ownServerCert && (!existsSync(certFile) || !existsSync(keyFile))) {
      const server = await folderCa.issueServer({ hostnames: ['localhost', config.server.host].filter((h) => !/^[\d.]+$/.test(h)), ips: ['127.0.0.1'] });
      writeFileAtomic(keyFile, server.privateKeyPem, 0o600);
      writeFileAtomic(certFile, server.certificatePem);
    }
    return { ca: folderCa, created: isNew };
  });
  if (ownServerCert) {
    return { ca, created, tls: { keyPem: readFileSync(config.server.keyFile!, 'utf8'), certPem: readFileSync(config.server.certFile!, 'utf8') } };
  }
  return { ca, created, tls: { keyPem: readFileSync(keyFile, 'utf8'), certPem: readFileSync(certFile, 'utf8'), caPem: ca.certificatePem } };
}

/** Written beside, then renamed: a reader sees the old file or the whole new one, never half of it. */
function writeFileAtomic(file: string, data: string, mode?: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, mode === undefined ? {} : { mode });
  renameSync(tmp, file);
}

/**
 * Whether callers' certificates from the development CA are accepted. Its key sits unprotected in the data folder
 * and anyone with `vaccinnet pki issue` can mint "eHealth" certificates with it, so in production (the operator
 * lists its own CAs) it is not trusted unless `pki.trustDevCa` is `always`. The demo (`npm start`) and a plain
 * development start without CAs of its own keep trusting it.
 */
export function trustsDevCa(config: RegistryConfig, demo: boolean): boolean {
  if (config.pki.trustDevCa === 'always') return true;
  if (config.pki.trustDevCa === 'never') return false;
  return demo || config.pki.trustedCaFiles.length === 0;
}

/**
 * The trust anchors and CRLs callers are checked against: the configured ones, plus the development CA when trusted.
 * A CRL that cannot be used at start stops the server with one sentence naming the option that lists it.
 */
export function loadTrustStore(
  config: RegistryConfig,
  devCa: TestCa,
  demo: boolean,
  onEvent?: (event: TrustEvent) => void,
): { readonly trust: TrustStore; readonly devCaTrusted: boolean } {
  const devCaTrusted = trustsDevCa(config, demo);
  try {
    const trust = TrustStore.load({
      caFiles: [...(devCaTrusted ? [devCa.certificatePath] : []), ...config.pki.trustedCaFiles],
      crlFiles: [...(devCaTrusted ? [devCa.crlPath] : []), ...config.pki.crlFiles],
      crlGraceMs: config.pki.crlGraceSeconds * 1000,
      ...(onEvent && { onEvent }),
    });
    return { trust, devCaTrusted };
  } catch (error) {
    if (!(error instanceof CrlFileError)) throw error;
    const option = error.file === devCa.crlPath ? 'pki.dir' : 'pki.crlFiles';
    const hint = option === 'pki.dir' ? "the development CA's crl.pem (`vaccinnet pki init`) under" : '';
    throw new ConfigurationError(
      formatMessage('CONFIG_CRL_UNUSABLE', { value: error.file, detail: error.detail, location: `${hint ? `${hint} ` : ''}${option} (${envKey(option)})` }),
      'CONFIG_CRL_UNUSABLE',
    );
  }
}
