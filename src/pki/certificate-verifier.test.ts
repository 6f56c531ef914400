import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateVerifier } from './certificate-verifier.js';
import { type TestPki, createTestPki } from './testing/test-pki.js';
import { TrustStore } from './trust-store.js';
import { importRsaKeyPair } from './rsa-keys.js';
import { RSA_SHA256, x509 } from './x509-provider.js';

let pki: TestPki;
let verifier: CertificateVerifier;

afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true });
});

beforeAll(async () => {
  pki = await createTestPki();
  verifier = new CertificateVerifier(pki.trustStore());
});

describe('verifyCertificate', () => {
  it('maps a doctor certificate to a person identity, from DER, PEM or X509Certificate', () => {
    const d = pki.identities.doctor;
    const expected = {
      kind: 'person',
      ssin: '85071412330',
      name: 'An Peeters',
      subject: 'CN="SSIN=85071412330", OU=eHealth-platform Belgium, OU=An Peeters, OU="SSIN=85071412330", O=Federal Government, C=BE',
      fingerprint: d.fingerprint,
    };
    expect(d.fingerprint).toMatch(/^[0-9A-F]{64}$/);
    expect(verifier.verifyCertificate(d.certificateDer, new Date())).toEqual({ ok: true, identity: expected });
    expect(verifier.verifyCertificate(d.certificatePem, new Date())).toEqual({ ok: true, identity: expected });
    expect(verifier.verifyCertificate(new X509Certificate(d.certificatePem), new Date())).toEqual({
      ok: true,
      identity: expected,
    });
  });

  it('maps HAIO, stagemeester, group practice and hospital certificates', () => {
    const { haio, stagemeester, group, hospital } = pki.identities;
    expect(verifier.verifyCertificate(haio.certificateDer)).toMatchObject({
      ok: true,
      identity: { kind: 'person', ssin: '90031500204', name: 'Sara Janssens' },
    });
    expect(verifier.verifyCertificate(stagemeester.certificateDer)).toMatchObject({
      ok: true,
      identity: { kind: 'person', ssin: '78010103132', name: 'Jan Maes' },
    });
    const groupResult = verifier.verifyCertificate(group.certificateDer);
    expect(groupResult).toMatchObject({
      ok: true,
      identity: { kind: 'organisation', idType: 'NIHII-GROUP_DOCTORS', id: '10012378', name: 'Groepspraktijk De Linde' },
    });
    expect(groupResult.ok && groupResult.identity.kind === 'organisation' && groupResult.identity.application).toBe(undefined);
    expect(verifier.verifyCertificate(hospital.certificateDer)).toEqual({
      ok: true,
      identity: {
        kind: 'organisation',
        idType: 'NIHII-HOSPITAL',
        id: '71000436',
        application: 'VACCINNET',
        name: 'AZ Testziekenhuis',
        subject:
          'CN="NIHII-HOSPITAL=71000436, VACCINNET", OU=eHealth-platform Belgium, OU=AZ Testziekenhuis, OU="NIHII-HOSPITAL=71000436", OU=VACCINNET, O=Federal Government, C=BE',
        fingerprint: hospital.fingerprint,
      },
    });
  });

  it('refuses an expired certificate with its end date, and a not-yet-valid one with its start date', () => {
    const { expired, notYetValid } = pki.identities;
    const e = verifier.verifyCertificate(expired.certificateDer, new Date());
    expect(e.ok).toBe(false);
    if (e.ok) return;
    expect(e.finding.code).toBe('AUTH_CERT_EXPIRED');
    expect(e.finding.params?.date).toBe(expired.notAfter.toISOString().replace(/\.\d{3}Z$/, '.000Z'));
    expect(e.finding.value).toBe('SSIN=820620*****');
    expect(e.finding.message).not.toContain('82062004552');

    const n = verifier.verifyCertificate(notYetValid.certificateDer, new Date());
    expect(n.ok ? undefined : n.finding.code).toBe('AUTH_CERT_NOT_YET_VALID');
    expect(n.ok ? undefined : n.finding.params?.date).toBe(notYetValid.notBefore.toISOString().replace(/\.\d{3}Z$/, '.000Z'));
  });

  it('judges the validity period at the given time, also for a cached certificate', () => {
    const { doctor, expired } = pki.identities;
    expect(verifier.verifyCertificate(doctor.certificateDer).ok).toBe(true);
    const later = new Date(doctor.notAfter.getTime() + 1000);
    expect(verifier.verifyCertificate(doctor.certificateDer, later)).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_EXPIRED' },
    });
    const back = new Date(expired.notBefore.getTime() + 86_400_000);
    expect(verifier.verifyCertificate(expired.certificateDer, back)).toMatchObject({
      ok: true,
      identity: { ssin: '82062004552' },
    });
  });

  it('refuses a revoked certificate', () => {
    expect(verifier.verifyCertificate(pki.identities.revoked.certificateDer)).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_REVOKED', value: 'SSIN=880202*****' },
    });
  });

  it('refuses a certificate from a foreign CA, even with a known subject', () => {
    expect(verifier.verifyCertificate(pki.identities.foreign.certificateDer)).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_UNTRUSTED', value: 'SSIN=850714*****' },
    });
  });

  it('refuses bytes that are not a certificate', () => {
    expect(verifier.verifyCertificate(Buffer.from('not a certificate'))).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_UNTRUSTED', params: { detail: 'unreadable certificate' } },
    });
  });

  it('refuses a server-only certificate (no clientAuth) and a CA certificate as caller', () => {
    expect(verifier.verifyCertificate(pki.server.certificatePem)).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_USAGE', params: { detail: 'extended key usage lacks clientAuth' } },
    });
    expect(verifier.verifyCertificate(pki.ca.certificatePem)).toMatchObject({ ok: false });
  });

  it('refuses a trusted certificate without an eHealth identifier OU, and masks 11-digit numbers in it', async () => {
    const leafKey = await importRsaKeyPair(pki.identities.doctor.privateKeyPem);
    const caKey = await importRsaKeyPair(readFileSync(path.join(pki.ca.dir, 'ca.key.pem'), 'utf8'));
    const caCert = new x509.X509Certificate(pki.ca.certificatePem);
    const make = (name: string, usage = x509.KeyUsageFlags.digitalSignature): Promise<x509.X509Certificate> =>
      x509.X509CertificateGenerator.create({
        subject: name,
        issuer: caCert.subjectName,
        publicKey: leafKey.publicKey,
        signingKey: caKey.privateKey,
        signingAlgorithm: RSA_SHA256,
        extensions: [new x509.KeyUsagesExtension(usage, true)],
      });
    const plain = await make('CN=Somebody 85071412330, OU=eHealth-platform Belgium, O=Federal Government, C=BE');
    const r = verifier.verifyCertificate(Buffer.from(plain.rawData));
    expect(r).toMatchObject({ ok: false, finding: { code: 'AUTH_CERT_SUBJECT', params: { detail: 'no identifier OU' } } });
    expect(r.ok ? '' : r.finding.message).toContain('850714*****');
    expect(r.ok ? '' : r.finding.message).not.toContain('85071412330');

    const shortSsin = await make('CN=SSIN\\=123, OU=SSIN\\=123, OU=X, OU=eHealth-platform Belgium, C=BE');
    expect(verifier.verifyCertificate(Buffer.from(shortSsin.rawData))).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_SUBJECT', params: { detail: 'SSIN must have 11 digits' } },
    });

    const encipherOnly = await make('CN=SSIN\\=85071412330, OU=SSIN\\=85071412330, OU=An Peeters, C=BE', x509.KeyUsageFlags.keyEncipherment);
    expect(verifier.verifyCertificate(Buffer.from(encipherOnly.rawData))).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_USAGE', params: { detail: 'key usage lacks digitalSignature' } },
    });
  });

  it('re-reads the CRL after a revoke and drops cached results', async () => {
    const fresh = new CertificateVerifier(pki.trustStore());
    const doctor = pki.identities.haio;
    expect(fresh.verifyCertificate(doctor.certificateDer).ok).toBe(true);
    await pki.ca.revoke(doctor.serial);
    expect(fresh.verifyCertificate(doctor.certificateDer)).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_REVOKED' },
    });
  });

  it('keeps the previous revocations when the CRL file is damaged', () => {
    const trust = pki.trustStore();
    const fresh = new CertificateVerifier(trust);
    const revoked = pki.identities.revoked;
    expect(fresh.verifyCertificate(revoked.certificateDer).ok).toBe(false);
    const good = (trust.crlPems()[0] ?? '').toString();
    writeFileSync(pki.ca.crlPath, '-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n');
    try {
      expect(fresh.verifyCertificate(revoked.certificateDer)).toMatchObject({
        ok: false,
        finding: { code: 'AUTH_CERT_REVOKED' },
      });
    } finally {
      writeFileSync(pki.ca.crlPath, good);
    }
  });

  it('costs microseconds for a cached certificate', () => {
    const der = pki.identities.doctor.certificateDer;
    const x = new X509Certificate(der);
    const trust = TrustStore.fromCaDirectory(pki.ca.dir); // default: stat the CRL at most once a second
    const fast = new CertificateVerifier(trust);
    const now = new Date();
    fast.verifyCertificate(der, now);
    const n = 20_000;
    let t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fast.verifyCertificate(der, now);
    const derMicros = Number(process.hrtime.bigint() - t) / 1000 / n;
    t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fast.verifyCertificate(x, now);
    const x509Micros = Number(process.hrtime.bigint() - t) / 1000 / n;
    // Generous bound for a loaded 2-core machine; measured values are in the report.
    expect(derMicros).toBeLessThan(100);
    expect(x509Micros).toBeLessThan(100);
    console.log(`cached verify: DER ${derMicros.toFixed(2)} µs, X509Certificate ${x509Micros.toFixed(2)} µs`);
  });
});
