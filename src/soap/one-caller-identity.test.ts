import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateVerifier, type CertificateVerifier } from '../pki/certificate-verifier.js';
import { createTestPki, type TestPki } from '../pki/testing/test-pki.js';
import type { IssuedCertificate } from '../pki/test-ca.js';
import type { CallerIdentity } from '../registry/caller-identity.js';
import { checkOneCallerIdentity } from './one-caller-identity.js';

describe('one caller identity (TLS certificate vs signature)', () => {
  let pki: TestPki;
  let certificates: CertificateVerifier;
  /** Dr. Peeters again: same SSIN, another certificate (as an eID's authentication and signing certificates). */
  let peetersSecond: IssuedCertificate;
  /** The hospital again, with another application OU. */
  let hospitalOtherApp: IssuedCertificate;
  let now: Date;

  beforeAll(async () => {
    pki = await createTestPki();
    certificates = createCertificateVerifier(pki.trustStore());
    const doctor = pki.identities.doctor;
    peetersSecond = await pki.ca.issue({ subject: { kind: 'person', ssin: doctor.ssin!, name: doctor.name }, keyPem: doctor.privateKeyPem, outDir: false });
    const h = pki.identities.hospital;
    hospitalOtherApp = await pki.ca.issue({
      subject: { kind: 'organisation', idType: h.idType!, id: h.id!, name: h.name, application: 'OTHERAPP' },
      keyPem: h.privateKeyPem,
      outDir: false,
    });
    // After the issuance (certificate dates have whole seconds).
    now = new Date(Date.now() + 1000);
  }, 60_000);

  afterAll(() => {
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });

  const signer = (cert: { certificateDer: Buffer }): CallerIdentity => {
    const r = certificates.verifyCertificate(cert.certificateDer, now);
    if (!r.ok) throw new Error(r.finding.message);
    return r.identity;
  };
  const tls = (cert: { certificateDer: Buffer }): X509Certificate => new X509Certificate(cert.certificateDer);

  it('the same certificate on both is one caller under either rule', () => {
    const doctor = pki.identities.doctor;
    expect(checkOneCallerIdentity(signer(doctor), tls(doctor), now, certificates, 'same-subject')).toBeUndefined();
    expect(checkOneCallerIdentity(signer(doctor), tls(doctor), now, certificates, 'same-certificate')).toBeUndefined();
  });

  it('another doctor is refused AUTH_IDENTITY_MISMATCH naming both, masked, with both fingerprints', () => {
    const f = checkOneCallerIdentity(signer(pki.identities.stagemeester), tls(pki.identities.doctor), now, certificates);
    expect(f?.code).toBe('AUTH_IDENTITY_MISMATCH');
    expect(f?.params).toMatchObject({
      value: 'SSIN=780101*****',
      detail: 'SSIN=850714*****',
      fingerprint: pki.identities.stagemeester.fingerprint,
      tlsFingerprint: pki.identities.doctor.fingerprint,
    });
    expect(f?.message).not.toMatch(/\d{11}/);
  });

  it('same-subject: another certificate of the same SSIN is one caller; same-certificate refuses it', () => {
    expect(checkOneCallerIdentity(signer(peetersSecond), tls(pki.identities.doctor), now, certificates, 'same-subject')).toBeUndefined();
    expect(checkOneCallerIdentity(signer(peetersSecond), tls(pki.identities.doctor), now, certificates, 'same-certificate')?.code).toBe(
      'AUTH_IDENTITY_MISMATCH',
    );
  });

  it('same-subject for organisations: the identifier type and number decide, not the application', () => {
    const hospital = pki.identities.hospital;
    expect(checkOneCallerIdentity(signer(hospitalOtherApp), tls(hospital), now, certificates)).toBeUndefined();
    expect(checkOneCallerIdentity(signer(pki.identities.group), tls(hospital), now, certificates)?.code).toBe('AUTH_IDENTITY_MISMATCH');
  });

  it('a TLS certificate that is itself not acceptable is refused with its own code, even when the signer matches', () => {
    const doctor = pki.identities.doctor;
    expect(checkOneCallerIdentity(signer(doctor), tls(pki.identities.foreign), now, certificates)?.code).toBe('AUTH_CERT_UNTRUSTED');
    expect(checkOneCallerIdentity(signer(doctor), tls(pki.identities.revoked), now, certificates)?.code).toBe('AUTH_CERT_REVOKED');
  });
});
