import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CA_CERT_FILE, type ServerCertificate, TestCa } from './test-ca.js';

export const SERVER_KEY_FILE = 'server.key.pem';
export const SERVER_CERT_FILE = 'server.cert.pem';

/** Opens the test CA in `dir`, creating it first when there is none (first start of `vaccinnet serve`). */
export async function ensureTestCa(dir: string): Promise<TestCa> {
  return existsSync(path.join(dir, CA_CERT_FILE)) ? TestCa.open(dir) : TestCa.create(dir);
}

/**
 * The TLS server certificate in `dir` (`server.key.pem`, `server.cert.pem`), issued by `ca` for localhost and
 * 127.0.0.1 on first use and reused afterwards, so clients can pin the CA once.
 */
export async function ensureServerCertificate(
  ca: TestCa,
  dir: string = ca.dir,
  options: { hostnames?: readonly string[]; ips?: readonly string[] } = {},
): Promise<ServerCertificate> {
  const keyFile = path.join(dir, SERVER_KEY_FILE);
  const certFile = path.join(dir, SERVER_CERT_FILE);
  if (existsSync(keyFile) && existsSync(certFile)) {
    return { privateKeyPem: readFileSync(keyFile, 'utf8'), certificatePem: readFileSync(certFile, 'utf8') };
  }
  const cert = await ca.issueServer(options);
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, cert.privateKeyPem, { mode: 0o600 });
  writeFileSync(certFile, cert.certificatePem);
  return cert;
}
