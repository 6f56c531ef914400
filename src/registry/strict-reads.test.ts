import { afterEach, describe, expect, it } from 'vitest';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { getHistory } from './get-history.js';
import { auditPatientKey } from './patient-id.js';
import { registerVaccinations } from './register-vaccinations.js';
import { removeVaccination } from './remove-vaccination.js';
import { DOCTORS, IDENTITIES, PATIENTS, SOFTWARE_IDS, UNREGISTERED_INSZ, fixedClock, personaMessage, seedPersonas, sequentialIds } from './testing/index.js';

/** Issue 11.2: a PatientId on a read is checked like the patient of a write, and the audit keeps only valid INSZ. */
describe.each(testEngines())('strict PatientId on reads on $name', (engine) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function setup(personCheck: 'register' | 'checksum' = 'register') {
    store = await engine.open();
    await seedPersonas(store);
    const ports = registryPortsOf(store, { clock: fixedClock('2024-03-10T09:00:00Z'), ids: sequentialIds(), settings: { personCheck } });
    const registered = await registerVaccinations(
      { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [personaMessage({ sender: DOCTORS.peeters })] },
      ports,
    );
    expect(registered.ok).toBe(true);
    return { store, ports };
  }

  const read = (ports: Parameters<typeof getHistory>[1], insz: string) =>
    getHistory({ actor: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', insz }, ports);

  it.each([
    ['empty', '', 'INSZ_FORMAT'],
    ['a LIKE wildcard', '%', 'INSZ_FORMAT'],
    ['an SQL injection', "0' OR '1'='1", 'INSZ_FORMAT'],
    ['wrong check digits', '85071412331', 'INSZ_CHECKSUM'],
    ['an impossible date', '85023112367', 'INSZ_DATE'],
    ['unknown to the register', UNREGISTERED_INSZ, 'INSZ_UNKNOWN'],
  ])('%s is refused with the write path code, at PatientId, audited without the raw string', async (_name, insz, code) => {
    const { store, ports } = await setup();
    const outcome = await read(ports, insz);
    expect(outcome).toMatchObject({ ok: false, findings: [{ code, location: 'PatientId' }] });

    const key = code === 'INSZ_UNKNOWN' ? insz : '';
    const audit = (await store.audit.forPerson(key)).filter((a) => a.action === 'read');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ patientInsz: key, outcome: code, actor: `doctor:${DOCTORS.peeters.nihii}`, detail: 'PatientId refused' });
    if (insz !== '' && key === '') expect(await store.audit.forPerson(insz)).toEqual([]);
  });

  it('the INSZ of a registered person reads its vaccinations and is audited under it', async () => {
    const { store, ports } = await setup();
    const outcome = await read(ports, PATIENTS.jan.insz);
    expect(outcome.ok && outcome.vaccinations.map((v) => v.patientInsz)).toEqual([PATIENTS.jan.insz]);
    expect((await store.audit.forPerson(PATIENTS.jan.insz)).filter((a) => a.action === 'read')).toMatchObject([
      // Peeters registered it: his own registration, read without consent or link (access/read-access.ts rule 1).
      { outcome: 'ACCESS_OWN_ONLY', detail: 'access own registrations only (ACCESS_NO_CONSENT); 1 vaccination(s)' },
    ]);
  });

  it('in checksum mode a valid INSZ unknown to the register passes the PatientId check (then the read rule decides), a wrong one is still refused', async () => {
    const { ports } = await setup('checksum');
    // Nobody recorded a consent for a person the register does not know: refused by the read rule, not by the INSZ check.
    expect(await read(ports, UNREGISTERED_INSZ)).toMatchObject({ ok: false, findings: [{ code: 'ACCESS_NO_CONSENT' }] });
    expect(await read(ports, '85071412331')).toMatchObject({ ok: false, findings: [{ code: 'INSZ_CHECKSUM' }] });
  });

  it('RemoveVaccination checks its PatientId the same way and audits no malformed patient key', async () => {
    const { store, ports } = await setup();
    const outcome = await removeVaccination(
      { actor: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', patientId: "0' OR '1'='1", vaccinationId: 'F'.repeat(32) },
      ports,
    );
    expect(outcome).toMatchObject({ ok: false, findings: [{ code: 'INSZ_FORMAT', location: 'PatientId' }] });
    expect((await store.audit.forPerson('')).map((a) => [a.action, a.outcome])).toEqual([['remove', 'INSZ_FORMAT']]);
  });

  it('a refused write with a malformed PatientId is audited under the empty key, not the raw string', async () => {
    const { store, ports } = await setup();
    const outcome = await registerVaccinations(
      {
        caller: IDENTITIES.peeters,
        softwareId: 'not a software id',
        channel: 'registratie',
        messages: [personaMessage({ sender: DOCTORS.peeters })],
        patientId: '%',
      },
      ports,
    );
    expect(outcome.ok).toBe(false);
    expect((await store.audit.forPerson('')).map((a) => a.action)).toEqual(['refuse']);
    expect(await store.audit.forPerson('%')).toEqual([]);
  });
});

describe('auditPatientKey', () => {
  it('keeps a valid INSZ and drops everything else', () => {
    expect(auditPatientKey(PATIENTS.jan.insz)).toBe(PATIENTS.jan.insz);
    expect(auditPatientKey('85071412331')).toBe('');
    expect(auditPatientKey('%')).toBe('');
    expect(auditPatientKey(undefined)).toBe('');
  });
});
