import { afterEach, describe, expect, it } from 'vitest';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { getHistory } from './get-history.js';
import { registerVaccinations } from './register-vaccinations.js';
import { removeVaccination } from './remove-vaccination.js';
import type { RegistryPorts } from './registry-ports.js';
import { DOCTORS, IDENTITIES, ORGANISATIONS, PATIENTS, SOFTWARE_IDS, fixedClock, personaMessage, seedPersonas, sequentialIds } from './testing/index.js';

describe.each(testEngines())('removing and reading vaccinations on $name', (engine) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function setup(): Promise<{ store: Store; ports: RegistryPorts; clock: ReturnType<typeof fixedClock> }> {
    store = await engine.open();
    await seedPersonas(store);
    const clock = fixedClock('2024-03-10T09:00:00Z');
    return { store, clock, ports: registryPortsOf(store, { clock, ids: sequentialIds() }) };
  }

  async function peetersRegisters(ports: RegistryPorts, date = '2024-03-01'): Promise<string> {
    const outcome = await registerVaccinations(
      { caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', messages: [personaMessage({ sender: DOCTORS.peeters, date })] },
      ports,
    );
    const id = outcome.ok ? outcome.messages[0]?.transactions[0]?.vaccinationId : undefined;
    if (!id) throw new Error(`registration failed: ${JSON.stringify(outcome)}`);
    return id;
  }

  it('Dr. Peeters registers; Dr. Claes may not remove it; Peeters removes it; a second removal is refused', async () => {
    const { store, ports, clock } = await setup();
    const id = await peetersRegisters(ports);

    const stranger = await removeVaccination(
      { actor: IDENTITIES.claes, softwareId: SOFTWARE_IDS.claes, channel: 'registratie', patientId: PATIENTS.jan.insz, vaccinationId: id },
      ports,
    );
    expect(stranger).toMatchObject({ ok: false, findings: [{ code: 'VACCINATION_NOT_YOURS', value: id }] });
    expect(await store.vaccinations.getVaccination(PATIENTS.jan.insz, id)).toMatchObject({ status: 'active' });

    clock.set('2024-03-11T10:00:00Z');
    const removed = await removeVaccination(
      {
        actor: IDENTITIES.peeters,
        softwareId: SOFTWARE_IDS.peeters,
        channel: 'registratie',
        patientId: PATIENTS.jan.insz,
        vaccinationId: id,
        reason: 'wrong patient',
      },
      ports,
    );
    expect(removed).toMatchObject({ ok: true, vaccination: { id, status: 'removed' } });
    expect(await store.vaccinations.getVaccination(PATIENTS.jan.insz, id)).toMatchObject({
      status: 'removed',
      removal: { at: '2024-03-11T10:00:00.000Z', by: 'doctor:14700250004', reason: 'wrong patient' },
    });

    const twice = await removeVaccination(
      { actor: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', patientId: PATIENTS.jan.insz, vaccinationId: id },
      ports,
    );
    expect(twice).toMatchObject({ ok: false, findings: [{ code: 'VACCINATION_ALREADY_REMOVED', value: id, params: { date: '2024-03-11' } }] });

    const unknown = await removeVaccination(
      { actor: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', patientId: PATIENTS.jan.insz, vaccinationId: 'F'.repeat(32) },
      ports,
    );
    expect(unknown).toMatchObject({ ok: false, findings: [{ code: 'VACCINATION_NOT_FOUND' }] });

    const removals = (await store.audit.forPerson(PATIENTS.jan.insz)).filter((a) => a.action === 'remove');
    expect(removals.map((a) => [a.outcome, a.actor, a.vaccinationId])).toEqual([
      ['VACCINATION_NOT_YOURS', 'doctor:19876585003', id],
      ['OK', 'doctor:14700250004', id],
      ['VACCINATION_ALREADY_REMOVED', 'doctor:14700250004', id],
      ['VACCINATION_NOT_FOUND', 'doctor:14700250004', 'F'.repeat(32)],
    ]);
  });

  it("group practice De Linde may remove its member's registration; an operator may remove anything", async () => {
    const { store, ports } = await setup();
    const mine = await peetersRegisters(ports, '2024-03-01');
    const other = await peetersRegisters(ports, '2024-02-01');
    const byPractice = await removeVaccination(
      { actor: IDENTITIES.deLinde, softwareId: SOFTWARE_IDS.deLinde, channel: 'registratie', patientId: PATIENTS.jan.insz, vaccinationId: mine },
      ports,
    );
    expect(byPractice.ok).toBe(true);
    const byHospital = await removeVaccination(
      { actor: IDENTITIES.azGroeninge, softwareId: SOFTWARE_IDS.azGroeninge, channel: 'web', patientId: PATIENTS.jan.insz, vaccinationId: other },
      ports,
    );
    expect(byHospital).toMatchObject({ ok: false, findings: [{ code: 'VACCINATION_NOT_YOURS' }] });
    const byOperator = await removeVaccination(
      { actor: { kind: 'operator', name: 'helpdesk' }, channel: 'web', patientId: PATIENTS.jan.insz, vaccinationId: other, reason: 'ticket 42' },
      ports,
    );
    expect(byOperator).toMatchObject({ ok: true, vaccination: { removal: { by: 'operator:helpdesk', reason: 'ticket 42' } } });
    expect(await store.vaccinations.history(PATIENTS.jan.insz)).toEqual([]);
    expect(ORGANISATIONS.deLinde.type).toBe('group-practice');
  });

  it('history lists active vaccinations only, optionally since a date, and every read is audited', async () => {
    const { store, ports } = await setup();
    const older = await peetersRegisters(ports, '2023-10-02');
    const newer = await peetersRegisters(ports, '2024-03-01');
    const gone = await peetersRegisters(ports, '2024-01-15');
    await removeVaccination(
      { actor: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', patientId: PATIENTS.jan.insz, vaccinationId: gone },
      ports,
    );

    const all = await getHistory({ actor: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', insz: PATIENTS.jan.insz }, ports);
    expect(all.ok && all.vaccinations.map((v) => v.id)).toEqual([older, newer]);
    const since = await getHistory(
      { actor: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', insz: PATIENTS.jan.insz, since: '2024-01-01' },
      ports,
    );
    expect(since.ok && since.vaccinations.map((v) => v.id)).toEqual([newer]);
    const refused = await getHistory({ actor: IDENTITIES.stranger, softwareId: SOFTWARE_IDS.peeters, channel: 'registratie', insz: PATIENTS.jan.insz }, ports);
    expect(refused).toMatchObject({ ok: false, findings: [{ code: 'PROFILE_NONE' }] });
    const operator = await getHistory({ actor: { kind: 'operator', name: 'cli' }, channel: 'web', insz: PATIENTS.jan.insz, reason: 'test' }, ports);
    expect(operator.ok && operator.vaccinations).toHaveLength(2);

    const reads = (await store.audit.forPerson(PATIENTS.jan.insz)).filter((a) => a.action === 'read');
    expect(reads.map((a) => [a.outcome, a.actor, a.detail])).toEqual([
      // Peeters registered both: his own registrations, without consent or link (access/read-access.ts rule 1).
      ['ACCESS_OWN_ONLY', 'doctor:14700250004', 'access own registrations only (ACCESS_NO_CONSENT); 2 vaccination(s)'],
      ['ACCESS_OWN_ONLY', 'doctor:14700250004', 'access own registrations only (ACCESS_NO_CONSENT); 1 vaccination(s) since 2024-01-01'],
      ['PROFILE_NONE', '', '0 vaccination(s)'],
      ['ACCESS_OPERATOR_READ', 'operator:cli', 'access operator, reason "test"; 2 vaccination(s)'],
    ]);
  });
});
