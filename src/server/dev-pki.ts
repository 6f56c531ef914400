import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RegistryConfig } from '../config/registry-config.js';
import { TestCa } from '../pki/test-ca.js';

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
  const created = !existsSync(path.join(dir, 'ca.cert.pem'));
  const ca = created ? await TestCa.create(dir) : await TestCa.open(dir);
  if (config.server.certFile && config.server.keyFile) {
    return { ca, created, tls: { keyPem: readFileSync(config.server.keyFile, 'utf8'), certPem: readFileSync(config.server.certFile, 'utf8') } };
  }
  const keyFile = path.join(dir, SERVER_KEY);
  const certFile = path.join(dir, SERVER_CERT);
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    const server = await ca.issueServer({ hostnames: ['localhost', config.server.host].filter((h) => !/^[\d.]+$/.test(h)), ips: ['127.0.0.1'] });
    writeFileSync(keyFile, server.privateKeyPem, { mode: 0o600 });
    writeFileSync(certFile, server.certificatePem);
  }
  return { ca, created, tls: { keyPem: readFileSync(keyFile, 'utf8'), certPem: readFileSync(certFile, 'utf8'), caPem: ca.certificatePem } };
}
