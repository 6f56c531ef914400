import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CertificateVerifier } from './certificate-verifier.js';
import { type TestPki, createTestPki } from './testing/test-pki.js';
import { CrlFileError, TrustStore, type TrustEvent } from './trust-store.js';

const DAY = 86_400_000;
let pki: TestPki;
let events: TrustEvent[];

beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true });
});
beforeEach(async () => {
  events = [];
  await pki.ca.writeCrl();
});

function store(graceMs = 0): TrustStore {
  return TrustStore.fromCaDirectory(pki.ca.dir, 0, { crlGraceMs: graceMs, onEvent: (e) => events.push(e) });
}

const code = (r: ReturnType<CertificateVerifier['verifyCertificate']>): string => (r.ok ? 'OK' : r.finding.code);

describe('revocation fails closed', () => {
  it('refuses certificates of a CA whose CRL is past nextUpdate (AUTH_CRL_EXPIRED), reported once per CA', () => {
    // The CRL was signed now with nextUpdate in 7 days.
    const v = new CertificateVerifier(store());
    const doctor = pki.identities.doctor.certificateDer;
    expect(code(v.verifyCertificate(doctor, new Date(Date.now() + 6 * DAY)))).toBe('OK');
    const late = v.verifyCertificate(doctor, new Date(Date.now() + 8 * DAY));
    expect(late).toMatchObject({ ok: false, finding: { code: 'AUTH_CRL_EXPIRED' } });
    expect(late.ok ? '' : late.finding.message).toMatch(/was due to be renewed on \d{4}-\d\d-\d\dT/);
    expect(code(v.verifyCertificate(pki.identities.haio.certificateDer, new Date(Date.now() + 9 * DAY)))).toBe('AUTH_CRL_EXPIRED');
    // A revoked certificate stays "revoked", the more precise answer.
    expect(code(v.verifyCertificate(pki.identities.revoked.certificateDer, new Date(Date.now() + 8 * DAY)))).toBe('AUTH_CERT_REVOKED');
    expect(events.filter((e) => e.kind === 'crl-expired')).toHaveLength(1);
  });

  it('accepts them within the configured grace after nextUpdate, and refuses after it', () => {
    const v = new CertificateVerifier(store(2 * DAY));
    const doctor = pki.identities.doctor.certificateDer;
    expect(code(v.verifyCertificate(doctor, new Date(Date.now() + 8 * DAY)))).toBe('OK');
    expect(code(v.verifyCertificate(doctor, new Date(Date.now() + 9.5 * DAY)))).toBe('AUTH_CRL_EXPIRED');
  });

  it('a current CRL installed while running lifts the refusal', async () => {
    const trust = store();
    const v = new CertificateVerifier(trust);
    const later = new Date(Date.now() + 8 * DAY);
    expect(code(v.verifyCertificate(pki.identities.doctor.certificateDer, later))).toBe('AUTH_CRL_EXPIRED');
    await pki.ca.writeCrl(later);
    expect(code(v.verifyCertificate(pki.identities.doctor.certificateDer, later))).toBe('OK');
  });

  it('never replaces a CRL by an older one (lower CRL number, or earlier thisUpdate): the revocation in between stays', async () => {
    const older = readFileSync(pki.ca.crlPath);
    const trust = store();
    const v = new CertificateVerifier(trust);
    const victim = pki.identities.stagemeester;
    expect(code(v.verifyCertificate(victim.certificateDer))).toBe('OK');
    await pki.ca.revoke(victim.serial);
    expect(code(v.verifyCertificate(victim.certificateDer))).toBe('AUTH_CERT_REVOKED');
    // A validly signed older CRL (same second, so only its CRL number is lower) copied over the newer one.
    writeFileSync(pki.ca.crlPath, older);
    expect(code(v.verifyCertificate(victim.certificateDer))).toBe('AUTH_CERT_REVOKED');
    expect(events).toContainEqual(expect.objectContaining({ kind: 'crl-older-refused', file: pki.ca.crlPath }));
    // A higher CRL number but an earlier thisUpdate is older too.
    await pki.ca.writeCrl(new Date(Date.now() - DAY));
    expect(code(v.verifyCertificate(victim.certificateDer))).toBe('AUTH_CERT_REVOKED');
    expect(events.filter((e) => e.kind === 'crl-older-refused')).toHaveLength(2);
  });

  it('a CRL file that disappears or turns to garbage keeps the last good list, reported once per bad state', async () => {
    const trust = store();
    const v = new CertificateVerifier(trust);
    const revoked = pki.identities.revoked.certificateDer;
    const saved = path.join(pki.dir, 'saved.crl');
    copyFileSync(pki.ca.crlPath, saved);
    rmSync(pki.ca.crlPath);
    expect(code(v.verifyCertificate(revoked))).toBe('AUTH_CERT_REVOKED');
    expect(code(v.verifyCertificate(revoked))).toBe('AUTH_CERT_REVOKED');
    writeFileSync(pki.ca.crlPath, 'garbage');
    expect(code(v.verifyCertificate(revoked))).toBe('AUTH_CERT_REVOKED');
    expect(events.filter((e) => e.kind === 'crl-reload-failed')).toEqual([
      { kind: 'crl-reload-failed', file: pki.ca.crlPath, detail: 'the file does not exist' },
      { kind: 'crl-reload-failed', file: pki.ca.crlPath, detail: 'not a readable CRL' },
    ]);
    copyFileSync(saved, pki.ca.crlPath);
    trust.refresh(true);
    expect(events.at(-1)).toMatchObject({ kind: 'crl-reloaded' });
  });

  it('a CRL missing at start is a CrlFileError naming the file', () => {
    const missing = path.join(pki.dir, 'nowhere.crl');
    expect(() => TrustStore.load({ caFiles: [pki.ca.certificatePath], crlFiles: [missing] })).toThrow(CrlFileError);
    expect(() => TrustStore.load({ caFiles: [pki.ca.certificatePath], crlFiles: [missing] })).toThrow(`${missing}: the file does not exist`);
  });
});
