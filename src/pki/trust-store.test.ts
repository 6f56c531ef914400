import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateVerifier } from './certificate-verifier.js';
import { type TestPki, createTestPki } from './testing/test-pki.js';
import { TrustStore } from './trust-store.js';

let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
});

afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true });
});

describe('TrustStore', () => {
  it('loads CAs and CRLs from directories (skipping key files) and trusts every CA listed', () => {
    const trustDir = path.join(pki.dir, 'trust');
    mkdirSync(trustDir, { recursive: true });
    copyFileSync(pki.ca.certificatePath, path.join(trustDir, 'ehealth.pem'));
    copyFileSync(pki.foreignCa.certificatePath, path.join(trustDir, 'other.crt'));
    copyFileSync(path.join(pki.ca.dir, 'ca.key.pem'), path.join(trustDir, 'ca.key.pem'));
    const crlDir = path.join(pki.dir, 'crls');
    mkdirSync(crlDir, { recursive: true });
    copyFileSync(pki.ca.crlPath, path.join(crlDir, 'ehealth.crl'));
    copyFileSync(pki.foreignCa.crlPath, path.join(crlDir, 'other.pem'));
    const trust = TrustStore.load({ caFiles: [trustDir], crlFiles: [crlDir] });
    expect(trust.authorities).toHaveLength(2);
    expect(trust.crlPems()).toHaveLength(2);
    const v = new CertificateVerifier(trust);
    expect(v.verifyCertificate(pki.identities.foreign.certificateDer).ok).toBe(true);
    expect(v.verifyCertificate(pki.identities.revoked.certificateDer)).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_REVOKED' },
    });
  });

  it('loads DER CA and CRL files too', () => {
    const derCa = path.join(pki.dir, 'ca.der');
    writeFileSync(derCa, new X509Certificate(pki.ca.certificatePem).raw);
    const pem = readFileSync(pki.ca.crlPath, 'utf8');
    const derCrl = path.join(pki.dir, 'crl.der');
    writeFileSync(derCrl, Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
    const v = new CertificateVerifier(TrustStore.load({ caFiles: [derCa], crlFiles: [derCrl] }));
    expect(v.verifyCertificate(pki.identities.revoked.certificateDer)).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_REVOKED' },
    });
  });

  it('refuses a CRL of a CA it does not trust and a CRL with a broken signature', () => {
    expect(() => TrustStore.load({ caFiles: [pki.ca.certificatePath], crlFiles: [pki.foreignCa.crlPath] })).toThrow(/not signed by a trusted CA/);
    const der = Buffer.from(
      readFileSync(pki.ca.crlPath, 'utf8')
        .replace(/-----[^-]+-----/g, '')
        .replace(/\s+/g, ''),
      'base64',
    );
    const last = der.length - 1;
    der[last] = (der[last] ?? 0) ^ 0xff;
    const broken = path.join(pki.dir, 'broken.crl');
    writeFileSync(broken, der);
    expect(() => TrustStore.load({ caFiles: [pki.ca.certificatePath], crlFiles: [broken] })).toThrow(/not signed by a trusted CA/);
  });

  it('refuses a configuration without any CA certificate', () => {
    expect(() => TrustStore.load({ caFiles: [path.join(pki.ca.dir, 'ca.key.pem')] })).toThrow(/no trusted CA/);
  });

  it('bumps its generation only when a CRL file really changed', async () => {
    const trust = pki.trustStore();
    trust.refresh();
    const before = trust.generation;
    trust.refresh();
    expect(trust.generation).toBe(before);
    await pki.ca.writeCrl();
    trust.refresh();
    expect(trust.generation).toBe(before + 1);
  });

  it('throttles the stat to once per crlRecheckMs', async () => {
    const trust = TrustStore.fromCaDirectory(pki.ca.dir, 60_000);
    const before = trust.generation;
    await pki.ca.writeCrl();
    trust.refresh();
    expect(trust.generation).toBe(before);
    trust.refresh(true);
    expect(trust.generation).toBe(before + 1);
  });
});
