import { afterEach, describe, expect, it } from 'vitest';
import { SqlCertificateRepository } from '../store/certificate-repository.js';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { authoriseCaller } from './authorise-caller.js';
import type { CallerIdentity } from './caller-identity.js';
import { checkCertificateBinding, normaliseFingerprint } from './certificate-binding.js';
import { doctorKey, organisationKey } from './profile.js';
import { registerVaccinations } from './register-vaccinations.js';
import { DOCTORS, IDENTITIES, ORGANISATIONS, PATIENTS, SOFTWARE_IDS, fixedClock, personaMessage, seedPersonas, sequentialIds } from './testing/index.js';

const FP_A = 'A1'.repeat(32);
const FP_B = 'B2'.repeat(32);
const FP_C = 'C3'.repeat(32);
const peetersWith = (fingerprint: string): CallerIdentity => ({ ...IDENTITIES.peeters, fingerprint });
const PEETERS = doctorKey(DOCTORS.peeters.nihii);
/** How the finding shows the SSIN: six digits, the rest masked (personal data). */
const MASKED = `SSIN=${DOCTORS.peeters.ssin.slice(0, 6)}*****`;
const AZ = organisationKey(ORGANISATIONS.azGroeninge.idType, ORGANISATIONS.azGroeninge.id);

describe('checkCertificateBinding (the rule, without storage)', () => {
  const profile = { key: PEETERS } as Parameters<typeof checkCertificateBinding>[1];
  it('accepts any certificate of an unbound profile, and a bound one; refuses an unknown or revoked one', () => {
    expect(checkCertificateBinding(peetersWith(FP_A), profile, [])).toBeUndefined();
    expect(checkCertificateBinding(peetersWith(FP_A), profile, [{ fingerprint: FP_A }])).toBeUndefined();
    // Colon-separated lower case (as `openssl x509 -fingerprint` prints it) is the same certificate.
    expect(checkCertificateBinding(peetersWith(FP_A.toLowerCase().replace(/(..)(?!$)/g, '$1:')), profile, [{ fingerprint: FP_A }])).toBeUndefined();
    expect(checkCertificateBinding(peetersWith(FP_B), profile, [{ fingerprint: FP_A }])).toMatchObject({
      code: 'PROFILE_CERTIFICATE_NOT_BOUND',
      value: `${MASKED} (sha256:B2B2B2B2B2B2B2B2)`,
      message: `The certificate ${MASKED} (sha256:B2B2B2B2B2B2B2B2) is not one of the certificates bound to the Vaccinnet profile ${PEETERS}.`,
    });
    expect(checkCertificateBinding(peetersWith(FP_A), profile, [{ fingerprint: FP_A, revokedAt: '2024-03-01T00:00:00.000Z' }])).toMatchObject({
      code: 'AUTH_CERT_REVOKED',
      value: `${MASKED} (sha256:A1A1A1A1A1A1A1A1)`,
    });
    // Revoking the only binding does not reopen the profile to any certificate.
    expect(checkCertificateBinding(peetersWith(FP_B), profile, [{ fingerprint: FP_A, revokedAt: '2024-03-01T00:00:00.000Z' }])).toMatchObject({
      code: 'PROFILE_CERTIFICATE_NOT_BOUND',
    });
    expect(normaliseFingerprint(' ab:cd ')).toBe('ABCD');
  });
});

describe.each(testEngines())('certificates bound to a profile on $name', (engine) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function setup(): Promise<{ store: Store; certificates: SqlCertificateRepository }> {
    store = await engine.open();
    await seedPersonas(store);
    return { store, certificates: new SqlCertificateRepository(store.db) };
  }
  const bind = (certificates: SqlCertificateRepository, profileKey: string, fingerprint: string): ReturnType<SqlCertificateRepository['bind']> =>
    certificates.bind({
      profileKey,
      fingerprint,
      subject: `subject of ${fingerprint.slice(0, 4)}`,
      notAfter: '2027-01-01T00:00:00.000Z',
      boundAt: '2024-03-01T08:00:00.000Z',
    });

  it('an unbound profile accepts any trusted certificate of its identifier (development default)', async () => {
    const { store } = await setup();
    expect(await store.profiles.findCertificateBindings(PEETERS)).toEqual([]);
    expect(await authoriseCaller(peetersWith(FP_A), SOFTWARE_IDS.peeters, store.profiles)).toMatchObject({ ok: true, profile: { key: PEETERS } });
    expect(await authoriseCaller(peetersWith(FP_B), SOFTWARE_IDS.peeters, store.profiles)).toMatchObject({ ok: true });
  });

  it('bound: that certificate is accepted, another one of the same SSIN refused; other profiles are untouched', async () => {
    const { store, certificates } = await setup();
    expect(await bind(certificates, PEETERS, FP_A)).toMatchObject({ status: 'bound', binding: { profileKey: PEETERS, fingerprint: FP_A } });
    expect(await bind(certificates, PEETERS, FP_B)).toMatchObject({ status: 'bound' });
    expect(await authoriseCaller(peetersWith(FP_A), SOFTWARE_IDS.peeters, store.profiles)).toMatchObject({ ok: true, profile: { key: PEETERS } });
    expect(await authoriseCaller(peetersWith(FP_B), SOFTWARE_IDS.peeters, store.profiles)).toMatchObject({ ok: true });
    expect(await authoriseCaller(peetersWith(FP_C), SOFTWARE_IDS.peeters, store.profiles)).toMatchObject({
      ok: false,
      profile: { key: PEETERS },
      finding: { code: 'PROFILE_CERTIFICATE_NOT_BOUND', value: `${MASKED} (sha256:C3C3C3C3C3C3C3C3)`, params: { profile: PEETERS } },
    });
    // Dr. Maes has no binding: still the development default.
    expect(await authoriseCaller(IDENTITIES.maes, SOFTWARE_IDS.maes, store.profiles)).toMatchObject({ ok: true });
  });

  it('an organisation with a bound certificate refuses its other certificates', async () => {
    const { store, certificates } = await setup();
    await bind(certificates, AZ, FP_A);
    const az = (fingerprint: string): CallerIdentity => ({ ...IDENTITIES.azGroeninge, fingerprint });
    expect(await authoriseCaller(az(FP_A), SOFTWARE_IDS.azGroeninge, store.profiles)).toMatchObject({ ok: true, profile: { key: AZ } });
    expect(await authoriseCaller(az(FP_B), SOFTWARE_IDS.azGroeninge, store.profiles)).toMatchObject({
      ok: false,
      finding: { code: 'PROFILE_CERTIFICATE_NOT_BOUND', value: `NIHII-HOSPITAL=${ORGANISATIONS.azGroeninge.id}, VACCINNET (sha256:B2B2B2B2B2B2B2B2)` },
    });
  });

  it('revoked binding: refused with AUTH_CERT_REVOKED; the revocation is final and reported once', async () => {
    const { store, certificates } = await setup();
    await bind(certificates, PEETERS, FP_A);
    await bind(certificates, PEETERS, FP_B);
    expect(await certificates.revoke(FP_A, '2024-03-05T10:00:00.000Z', 'operator tester', 'laptop stolen')).toMatchObject({
      status: 'revoked',
      binding: { fingerprint: FP_A, revokedAt: '2024-03-05T10:00:00.000Z', revokedBy: 'operator tester', reason: 'laptop stolen' },
    });
    expect(await store.profiles.findCertificateBindings(PEETERS)).toEqual(
      expect.arrayContaining([{ fingerprint: FP_A, revokedAt: '2024-03-05T10:00:00.000Z' }, { fingerprint: FP_B }]),
    );
    expect(await authoriseCaller(peetersWith(FP_A), SOFTWARE_IDS.peeters, store.profiles)).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_REVOKED', value: `${MASKED} (sha256:A1A1A1A1A1A1A1A1)` },
    });
    expect(await authoriseCaller(peetersWith(FP_B), SOFTWARE_IDS.peeters, store.profiles)).toMatchObject({ ok: true });
    // Second revoke: nothing changes, the first revocation stays.
    expect(await certificates.revoke(FP_A, '2024-03-06T10:00:00.000Z', 'operator other')).toMatchObject({
      status: 'already-revoked',
      binding: { revokedAt: '2024-03-05T10:00:00.000Z', revokedBy: 'operator tester', reason: 'laptop stolen' },
    });
    expect(await certificates.revoke(FP_C, '2024-03-06T10:00:00.000Z', 'operator other')).toEqual({ status: 'unknown' });
    // Binding a revoked certificate again does not revive it; it cannot move to another profile either.
    expect(await bind(certificates, PEETERS, FP_A)).toMatchObject({ status: 'revoked', binding: { revokedAt: '2024-03-05T10:00:00.000Z' } });
    expect(await bind(certificates, AZ, FP_B)).toMatchObject({ status: 'other-profile', binding: { profileKey: PEETERS } });
    expect(await bind(certificates, PEETERS, FP_B)).toMatchObject({ status: 'unchanged' });
    expect((await certificates.list()).map((b) => [b.profileKey, b.fingerprint, b.revokedAt ?? null])).toEqual([
      [PEETERS, FP_A, '2024-03-05T10:00:00.000Z'],
      [PEETERS, FP_B, null],
    ]);
  });

  it('a registration with a refused certificate stores nothing and audits the refusal', async () => {
    const { store, certificates } = await setup();
    await bind(certificates, PEETERS, FP_A);
    const ports = registryPortsOf(store, { clock: fixedClock('2024-03-10T09:00:00Z'), ids: sequentialIds() });
    const message = personaMessage({ sender: DOCTORS.peeters, date: '2024-03-01' });
    const refused = await registerVaccinations(
      { caller: peetersWith(FP_B), softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [message] },
      ports,
    );
    expect(refused).toMatchObject({ ok: false, findings: [{ code: 'PROFILE_CERTIFICATE_NOT_BOUND' }] });
    expect(await store.vaccinations.history(PATIENTS.jan.insz)).toEqual([]);
    expect((await store.audit.forPerson(PATIENTS.jan.insz)).map((a) => [a.action, a.outcome])).toEqual([['refuse', 'PROFILE_CERTIFICATE_NOT_BOUND']]);

    const accepted = await registerVaccinations(
      { caller: peetersWith(FP_A), softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [message] },
      ports,
    );
    expect(accepted).toMatchObject({ ok: true, messages: [{ transactions: [{ vaccinationId: '00000000000000000000000000000001' }] }] });
    expect(await store.vaccinations.history(PATIENTS.jan.insz)).toHaveLength(1);
  });
});
