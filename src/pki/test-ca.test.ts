import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createSecureContext, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateVerifier } from './certificate-verifier.js';
import { loadP12 } from './pkcs12.js';
import { TEST_P12_PASSWORD, type TestPki, createTestPki } from './testing/test-pki.js';
import { TestCa } from './test-ca.js';

let pki: TestPki;

afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true });
});

beforeAll(async () => {
  pki = await createTestPki();
});

function openssl(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('TestCa', () => {
  it('stores the CA, CRL and index in its directory, key readable by the owner only', () => {
    for (const f of ['ca.key.pem', 'ca.cert.pem', 'crl.pem', 'index.json']) {
      expect(existsSync(path.join(pki.ca.dir, f))).toBe(true);
    }
    expect(statSync(path.join(pki.ca.dir, 'ca.key.pem')).mode & 0o077).toBe(0);
    const ca = new X509Certificate(pki.ca.certificatePem);
    expect(ca.ca).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    const text = openssl(['x509', '-in', pki.ca.certificatePath, '-noout', '-text']).out;
    expect(text).toContain('Certificate Sign, CRL Sign');
    expect(text).toContain('sha256WithRSAEncryption');
    expect(pki.ca.list().map((e) => e.serial)).toContain(pki.identities.doctor.serial);
  });

  it('names keystores like the real ones and writes an eHealth subject with clientAuth', () => {
    const d = pki.identities.doctor;
    expect(path.basename(d.p12Path)).toMatch(/^SSIN=85071412330 \d{14}\.acc-p12$/);
    expect(path.basename(pki.identities.hospital.p12Path)).toMatch(/^NIHII-HOSPITAL=71000436 \d{14}\.acc-p12$/);
    const r = spawnSync('openssl', ['x509', '-noout', '-text', '-nameopt', 'RFC2253'], {
      input: d.certificatePem,
      encoding: 'utf8',
    });
    expect(r.stdout).toContain('Subject: CN=SSIN=85071412330,OU=eHealth-platform Belgium,OU=An Peeters,OU=SSIN=85071412330,O=Federal Government,C=BE');
    expect(r.stdout).toContain('Digital Signature, Key Encipherment');
    expect(r.stdout).toContain('TLS Web Client Authentication');
  });

  it('writes .p12 files that openssl reads with the password (AES-256 and 3DES) and refuses without it', async () => {
    const info = openssl(['pkcs12', '-info', '-in', pki.identities.doctor.p12Path, '-passin', `pass:${TEST_P12_PASSWORD}`, '-nokeys']);
    expect(info.status).toBe(0);
    expect(info.out).toContain('friendlyName: authentication');
    expect(info.out).toContain('AES-256-CBC');
    expect(info.out).toContain(
      'subject=C = BE, O = Federal Government, OU = SSIN=85071412330, OU = An Peeters, OU = eHealth-platform Belgium, CN = SSIN=85071412330',
    );
    const wrong = openssl(['pkcs12', '-info', '-in', pki.identities.doctor.p12Path, '-passin', 'pass:wrong', '-nokeys']);
    expect(wrong.status).not.toBe(0);

    const des = await pki.ca.issue({
      subject: { kind: 'organisation', idType: 'EHP', id: '1990001916', name: 'VLAAMS AGENTSCHAP ZORG EN GEZONDHEID', application: 'VITALINKGATEWAY' },
      keyPem: pki.identities.doctor.privateKeyPem,
      password: 'secret',
      p12Algorithm: '3des',
    });
    const desInfo = openssl(['pkcs12', '-info', '-in', des.p12Path as string, '-passin', 'pass:secret', '-nokeys']);
    expect(desInfo.status).toBe(0);
    expect(desInfo.out).toContain('pbeWithSHA1And3-KeyTripleDES-CBC');
    // Node TLS reads both variants as `pfx`.
    expect(() => createSecureContext({ pfx: readFileSync(des.p12Path as string), passphrase: 'secret' })).not.toThrow();
    expect(() => createSecureContext({ pfx: readFileSync(pki.identities.doctor.p12Path), passphrase: TEST_P12_PASSWORD })).not.toThrow();
    expect(des.subject).toBe(
      'CN="EHP=1990001916, VITALINKGATEWAY", OU=eHealth-platform Belgium, OU=VLAAMS AGENTSCHAP ZORG EN GEZONDHEID, OU="EHP=1990001916", OU=VITALINKGATEWAY, O=Federal Government, C=BE',
    );
  });

  it('loadP12 returns key, own certificate and chain; refuses a wrong password', () => {
    const d = pki.identities.doctor;
    const p12 = loadP12(d.p12Path, TEST_P12_PASSWORD);
    expect(p12.alias).toBe('authentication');
    expect(p12.certificateDer.equals(d.certificateDer)).toBe(true);
    expect(new X509Certificate(p12.certificatePem).fingerprint256).toBe(new X509Certificate(d.certificatePem).fingerprint256);
    expect(p12.chainPem).toHaveLength(1);
    expect(new X509Certificate(p12.chainPem[0] as string).subject).toContain('CN=Vaccinnet Test CA');
    expect(p12.privateKeyPem).toContain('BEGIN RSA PRIVATE KEY');
    expect(() => loadP12(readFileSync(d.p12Path), 'wrong')).toThrow();
  });

  it('keeps a CRL that openssl verifies against the CA and that lists revoked serials', async () => {
    const r = openssl(['crl', '-in', pki.ca.crlPath, '-noout', '-text', '-CAfile', pki.ca.certificatePath]);
    expect(r.status).toBe(0);
    expect(r.out).toContain('verify OK');
    expect(r.out).toContain(`Serial Number: ${pki.identities.revoked.serial}`);
    expect(r.out).toMatch(/Next Update: /);
    expect(await pki.ca.revoke('DEADBEEF')).toBe(false);
  });

  it('refuses to overwrite an existing CA and reopens it', async () => {
    await expect(TestCa.create(pki.ca.dir)).rejects.toThrow(/already exists/);
    const reopened = await TestCa.open(pki.ca.dir);
    expect(reopened.certificatePem).toBe(pki.ca.certificatePem);
  });
});

describe('TLS client certificates', () => {
  let server: https.Server;
  let port: number;
  const verifier = (): CertificateVerifier => new CertificateVerifier(pki.trustStore());
  let v: CertificateVerifier;

  beforeAll(async () => {
    v = verifier();
    server = https.createServer(
      {
        key: pki.server.privateKeyPem,
        cert: pki.server.certificatePem,
        ca: [pki.ca.certificatePem],
        requestCert: true,
        // Refusals are answered in the application (a SOAP fault), not as a TLS alert.
        rejectUnauthorized: false,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerX509Certificate();
        const result = peer ? v.verifyCertificate(peer, new Date()) : undefined;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(result ?? { ok: false, none: true }));
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.close();
  });

  async function call(p12Path: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: 'localhost',
          port,
          path: '/',
          pfx: readFileSync(p12Path),
          passphrase: TEST_P12_PASSWORD,
          ca: [pki.ca.certificatePem],
          agent: false,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve(JSON.parse(body)));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('maps the peer certificate of a doctor and a hospital to their identities', async () => {
    expect(await call(pki.identities.doctor.p12Path)).toMatchObject({
      ok: true,
      identity: { kind: 'person', ssin: '85071412330', name: 'An Peeters', fingerprint: pki.identities.doctor.fingerprint },
    });
    expect(await call(pki.identities.hospital.p12Path)).toMatchObject({
      ok: true,
      identity: { kind: 'organisation', idType: 'NIHII-HOSPITAL', id: '71000436', application: 'VACCINNET' },
    });
  });

  it('lets a foreign-CA client connect but refuses it in the application', async () => {
    expect(await call(pki.identities.foreign.p12Path)).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_UNTRUSTED' },
    });
  });

  it('also works with Node TLS doing the checks itself (rejectUnauthorized + crl): revoked and foreign fail', async () => {
    const trust = pki.trustStore();
    const strict = https.createServer(
      {
        key: pki.server.privateKeyPem,
        cert: pki.server.certificatePem,
        ca: trust.caPems(),
        crl: trust.crlPems(),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (_req, res) => res.end('ok'),
    );
    strict.listen(0, '127.0.0.1');
    await once(strict, 'listening');
    const strictPort = (strict.address() as AddressInfo).port;
    const get = (p12Path: string): Promise<string> =>
      new Promise((resolve) => {
        const req = https.request(
          { host: 'localhost', port: strictPort, pfx: readFileSync(p12Path), passphrase: TEST_P12_PASSWORD, ca: [pki.ca.certificatePem], agent: false },
          (res) => {
            res.resume();
            res.on('end', () => resolve(`HTTP ${res.statusCode}`));
          },
        );
        req.on('error', () => resolve('refused'));
        req.end();
      });
    try {
      expect(await get(pki.identities.doctor.p12Path)).toBe('HTTP 200');
      expect(await get(pki.identities.revoked.p12Path)).toBe('refused');
      expect(await get(pki.identities.foreign.p12Path)).toBe('refused');
    } finally {
      strict.close();
    }
  });
});
