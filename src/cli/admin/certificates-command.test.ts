import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateVerifier } from '../../pki/certificate-verifier.js';
import { TEST_P12_PASSWORD, createTestPki, type TestIdentity, type TestPki } from '../../pki/testing/test-pki.js';
import { authoriseCaller, type Authorisation } from '../../registry/authorise-caller.js';
import { doctorKey, organisationKey } from '../../registry/profile.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { testEngines } from '../../store/testing/test-engines.js';
import { registerAdminCommands } from '../admin-command.js';
import { runCli, type CliRun } from '../testing/run-cli.js';

// The test PKI's personas (src/pki/testing/test-pki.ts): their profiles are created here with the same identifiers.
const PEETERS = { nihii: '14700250004', ssin: '85071412330' };
const MAES = { nihii: '20045643004', ssin: '78010103132' };
const HOSPITAL = { idType: 'NIHII-HOSPITAL', id: '71000436' };
const PEETERS_KEY = doctorKey(PEETERS.nihii);
const HOSPITAL_KEY = organisationKey(HOSPITAL.idType, HOSPITAL.id);

let pki: TestPki;
/** A second certificate for An Peeters (same SSIN, same key, new serial): what a renewed or second card gives. */
let peetersSecond: TestIdentity;
let verifier: CertificateVerifier;
beforeAll(async () => {
  pki = await createTestPki();
  const issued = await pki.ca.issue({
    subject: { kind: 'person', ssin: PEETERS.ssin, name: 'An Peeters' },
    keyPem: pki.identities.doctor.privateKeyPem,
    password: TEST_P12_PASSWORD,
    outDir: path.join(pki.dir, 'second'),
  });
  peetersSecond = { ...pki.identities.doctor, ...issued, p12Path: issued.p12Path! };
  verifier = new CertificateVerifier(pki.trustStore());
}, 60_000);
afterAll(() => rmSync(pki.dir, { recursive: true, force: true }));

/** What the server decides for a caller presenting this certificate: trust store → identity → authorisation. */
async function authorise(store: Store, who: TestIdentity, softwareId: string): Promise<Authorisation> {
  const verified = verifier.verifyCertificate(who.certificateDer);
  if (!verified.ok) throw new Error(`test certificate not trusted: ${verified.finding.message}`);
  return authoriseCaller(verified.identity, softwareId, store.profiles);
}

describe.each(testEngines())('vaccinnet admin certificates on $name', (engine) => {
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  async function fresh(): Promise<{ admin: (...args: string[]) => Promise<CliRun>; store: Store }> {
    await (await engine.open()).close();
    const url = engine.lastUrl();
    const store = await openStore(url);
    stores.push(store);
    for (const [d, name] of [
      [PEETERS, 'Peeters'],
      [MAES, 'Maes'],
    ] as const) {
      await store.profiles.saveDoctor({ nihii: d.nihii, ssin: d.ssin, firstname: 'Dr', familyname: name, roles: ['doctor'], active: true });
    }
    await store.profiles.registerSoftwareId('medispring_peeters', PEETERS_KEY);
    await store.profiles.registerSoftwareId('corilus_maes', doctorKey(MAES.nihii));
    await store.profiles.saveOrganisation({ type: 'hospital', ...HOSPITAL, name: 'AZ Testziekenhuis', userCode: 'AZTEST01', active: true });
    return { store, admin: (...args: string[]) => runCli(registerAdminCommands, ['admin', ...args, '--database', url, '--operator', 'tester']) };
  }

  it('bound → accepted; another certificate of the same SSIN → refused; revoked → refused; unbound profile → accepted', async () => {
    const { admin, store } = await fresh();
    const { doctor, stagemeester } = pki.identities;
    // Before any binding: both of Peeters' certificates are accepted (the development default).
    expect(await authorise(store, peetersSecond, 'medispring_peeters')).toMatchObject({ ok: true });

    const bound = await admin('certificates', 'bind', '--doctor', PEETERS.nihii, doctor.p12Path, '--password', TEST_P12_PASSWORD);
    expect(bound).toMatchObject({ code: 0, stderr: '' });
    expect(bound.stdout).toBe(
      `certificate sha256:${doctor.fingerprint.slice(0, 16)} bound to ${PEETERS_KEY} (valid until ${doctor.notAfter.toISOString().slice(0, 10)}); only bound certificates are accepted for this profile now\n`,
    );
    expect(await authorise(store, doctor, 'medispring_peeters')).toMatchObject({ ok: true, profile: { key: PEETERS_KEY } });
    expect(await authorise(store, peetersSecond, 'medispring_peeters')).toMatchObject({
      ok: false,
      finding: {
        code: 'PROFILE_CERTIFICATE_NOT_BOUND',
        value: `SSIN=850714***** (sha256:${peetersSecond.fingerprint.slice(0, 16)})`,
        params: { profile: PEETERS_KEY },
      },
    });
    // Dr. Maes has no bound certificate: any trusted certificate with his SSIN still works.
    expect(await authorise(store, stagemeester, 'corilus_maes')).toMatchObject({ ok: true, profile: { key: doctorKey(MAES.nihii) } });

    // Binding the same keystore again changes nothing.
    expect(await admin('certificates', 'bind', '--doctor', PEETERS.nihii, doctor.p12Path, '--password', TEST_P12_PASSWORD)).toMatchObject({
      code: 0,
      stdout: `certificate sha256:${doctor.fingerprint.slice(0, 16)} was already bound to ${PEETERS_KEY}\n`,
    });

    const revoked = await admin('certificates', 'revoke', doctor.fingerprint.toLowerCase().replace(/(..)(?!$)/g, '$1:'), '--reason', 'card lost', '--json');
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({
      status: 'revoked',
      profileKey: PEETERS_KEY,
      fingerprint: doctor.fingerprint,
      revokedBy: 'tester',
      reason: 'card lost',
    });
    expect(await authorise(store, doctor, 'medispring_peeters')).toMatchObject({
      ok: false,
      finding: { code: 'AUTH_CERT_REVOKED', value: `SSIN=850714***** (sha256:${doctor.fingerprint.slice(0, 16)})` },
    });
    // Revoking the only binding does not reopen the profile to every certificate.
    expect(await authorise(store, peetersSecond, 'medispring_peeters')).toMatchObject({ ok: false, finding: { code: 'PROFILE_CERTIFICATE_NOT_BOUND' } });

    // The renewed certificate, bound from its PEM (no password needed), is accepted.
    const pem = path.join(pki.dir, 'peeters-second.pem');
    writeFileSync(pem, peetersSecond.certificatePem);
    expect(await admin('certificates', 'bind', '--doctor', PEETERS.nihii, pem)).toMatchObject({ code: 0 });
    expect(await authorise(store, peetersSecond, 'medispring_peeters')).toMatchObject({ ok: true });

    const second = await admin('certificates', 'revoke', doctor.fingerprint);
    expect(second).toMatchObject({ code: 0 });
    expect(second.stdout).toMatch(
      new RegExp(
        `^certificate sha256:${doctor.fingerprint.slice(0, 16)} of doctor:14700250004 was already revoked on \\d{4}-\\d{2}-\\d{2} by tester: card lost\\n$`,
      ),
    );
    const rebind = await admin('certificates', 'bind', '--doctor', PEETERS.nihii, doctor.p12Path, '--password', TEST_P12_PASSWORD);
    expect(rebind.code).toBe(1);
    expect(rebind.stderr).toContain(
      `refused: AUTH_CERT_REVOKED: The certificate sha256:${doctor.fingerprint.slice(0, 16)} has been revoked. A revoked binding stays revoked`,
    );
  });

  it('lists bindings as a table and as JSON, per profile', async () => {
    const { admin } = await fresh();
    const { doctor, hospital } = pki.identities;
    expect(await admin('certificates', 'list')).toMatchObject({ code: 0, stdout: 'no bound certificates\n' });
    await admin('certificates', 'bind', '--doctor', PEETERS.nihii, doctor.p12Path, '--password', TEST_P12_PASSWORD);
    expect(await admin('certificates', 'bind', '--organisation', 'NIHII-HOSPITAL=71000436', hospital.p12Path, '--password', TEST_P12_PASSWORD)).toMatchObject({
      code: 0,
    });
    await admin('certificates', 'revoke', hospital.fingerprint, '--reason', 'server replaced');

    const table = await admin('certificates', 'list');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PROFILE\s+FINGERPRINT \(SHA-256\)\s+VALID UNTIL\s+BOUND\s+STATUS$/);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(
      new RegExp(`^${PEETERS_KEY}\\s+${doctor.fingerprint}\\s+${doctor.notAfter.toISOString().slice(0, 10)}\\s+\\d{4}-\\d{2}-\\d{2}\\s+active$`),
    );
    expect(lines[3]).toMatch(new RegExp(`^${HOSPITAL_KEY}\\s+${hospital.fingerprint}\\s+.*revoked on \\d{4}-\\d{2}-\\d{2} by tester: server replaced$`));

    const json = await admin('certificates', 'list', '--organisation', HOSPITAL_KEY, '--json');
    expect(JSON.parse(json.stdout)).toEqual([
      {
        profileKey: HOSPITAL_KEY,
        fingerprint: hospital.fingerprint,
        subject: hospital.subject,
        // X.509 times have whole seconds.
        notAfter: new Date(Math.floor(hospital.notAfter.getTime() / 1000) * 1000).toISOString(),
        boundAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        revokedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        revokedBy: 'tester',
        reason: 'server replaced',
      },
    ]);
  });

  it('refuses a certificate of another identity, unknown profiles and fingerprints, bad keystores; usage mistakes exit 2', async () => {
    const { admin } = await fresh();
    const { doctor, haio, hospital } = pki.identities;
    const other = await admin('certificates', 'bind', '--doctor', PEETERS.nihii, haio.p12Path, '--password', TEST_P12_PASSWORD);
    expect(other).toMatchObject({
      code: 1,
      stderr: `refused: PROFILE_CERTIFICATE_OTHER_IDENTITY: The certificate sha256:${haio.fingerprint.slice(0, 16)} is issued to SSIN=900315*****, not to the profile ${PEETERS_KEY}.\n`,
    });
    expect((await admin('certificates', 'bind', '--organisation', HOSPITAL_KEY, doctor.p12Path, '--password', TEST_P12_PASSWORD)).stderr).toContain(
      'PROFILE_CERTIFICATE_OTHER_IDENTITY',
    );
    expect((await admin('certificates', 'bind', '--doctor', PEETERS.nihii, hospital.p12Path, '--password', TEST_P12_PASSWORD)).code).toBe(1);
    expect((await admin('certificates', 'bind', '--doctor', '11478761005', haio.p12Path, '--password', TEST_P12_PASSWORD)).stderr).toContain(
      'refused: PROFILE_NONE',
    );
    const wrongPassword = await admin('certificates', 'bind', '--doctor', PEETERS.nihii, doctor.p12Path, '--password', 'nope');
    expect(wrongPassword.code).toBe(1);
    expect(wrongPassword.stderr).toContain(`refused: cannot open ${doctor.p12Path}`);
    expect(await admin('certificates', 'bind', '--doctor', PEETERS.nihii, doctor.p12Path)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('is a keystore: give --password'),
    });
    const garbage = path.join(pki.dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    expect(await admin('certificates', 'bind', '--doctor', PEETERS.nihii, garbage)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is not a PEM or DER certificate'),
    });
    expect(await admin('certificates', 'bind', doctor.p12Path, '--password', TEST_P12_PASSWORD)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('give exactly one of --doctor NIHII or --organisation KEY'),
    });
    expect(await admin('certificates', 'bind', '--doctor', PEETERS.nihii, path.join(pki.dir, 'nope.p12'))).toMatchObject({ code: 2 });
    expect(await admin('certificates', 'revoke', 'ABCD')).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a SHA-256 fingerprint') });
    expect(await admin('certificates', 'revoke', 'E'.repeat(64))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('refused: no certificate sha256:EEEEEEEEEEEEEEEE is bound'),
    });
    expect(await admin('certificates', 'list')).toMatchObject({ code: 0, stdout: 'no bound certificates\n' });
  });
});
