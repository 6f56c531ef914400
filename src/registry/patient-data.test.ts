import { afterEach, describe, expect, it } from 'vitest';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { patientDataFindings } from './patient-data.js';
import { allFindings, registerVaccinations } from './register-vaccinations.js';
import { DOCTORS, IDENTITIES, PATIENTS, SOFTWARE_IDS, fixedClock, personaMessage, seedPersonas, sequentialIds } from './testing/index.js';

const { jan } = PATIENTS;
const P = '/kmehrmessage/folder[1]/patient';

describe('patientDataFindings', () => {
  const codes = (submitted: Parameters<typeof patientDataFindings>[0]) =>
    patientDataFindings(submitted, jan, 0).map((f) => [f.params?.field, f.location, f.value]);

  it('agrees with the register on the same data, in any case, accents or spacing, and on absent fields', () => {
    expect(codes({ sex: 'male', birthdate: '1985-07-14', familyname: 'VERMEULEN', firstnames: ['jan'] })).toEqual([]);
    expect(codes({})).toEqual([]);
    expect(codes({ sex: 'unknown' })).toEqual([]);
    // What the CLI sends without names: placeholders, not names.
    expect(codes({ familyname: '-', firstnames: ['-'] })).toEqual([]);
    expect(patientDataFindings({ familyname: 'de smet', firstnames: ['Lotte', 'Marie'] }, PATIENTS.lotte, 0)).toEqual([]);
    expect(patientDataFindings({ familyname: 'Zoë' }, { ...jan, familyname: 'Zoe' }, 0)).toEqual([]);
  });

  it('names every contradicting field with its location and the value sent', () => {
    expect(codes({ sex: 'female', birthdate: '1985-07-15', familyname: 'Peeters', firstnames: ['Piet'] })).toEqual([
      ['sex', `${P}/sex/cd`, 'female'],
      ['birthdate', `${P}/birthdate/date`, '1985-07-15'],
      ['familyname', `${P}/familyname`, 'Peeters'],
      ['firstname', `${P}/firstname`, 'Piet'],
    ]);
  });

  it("never puts the register's value in the text, and bounds what was sent", () => {
    const [f] = patientDataFindings({ familyname: 'X'.repeat(10_000) }, jan, 0);
    expect(f?.severity).toBe('warning');
    expect(f?.message).not.toContain('Vermeulen');
    expect(f?.message).toContain(`${'X'.repeat(64)}…`);
    expect(f?.message.length).toBeLessThan(400);
  });
});

describe.each(testEngines())('a registration whose patient data contradicts the register on $name', (engine) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('is stored with a PATIENT_DATA_MISMATCH warning naming the field', async () => {
    store = await engine.open();
    await seedPersonas(store);
    const ports = registryPortsOf(store, { clock: fixedClock('2024-03-10T09:00:00Z'), ids: sequentialIds() });
    const outcome = await registerVaccinations(
      {
        caller: IDENTITIES.peeters,
        softwareId: SOFTWARE_IDS.peeters,
        channel: 'registratie',
        messages: [personaMessage({ sender: DOCTORS.peeters, patient: { ...jan, sex: 'female' } })],
        patientId: jan.insz,
      },
      ports,
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.findings));
    const result = outcome.messages[0]!;
    expect(allFindings(result).map((f) => [f.code, f.severity, f.params?.field])).toEqual([['PATIENT_DATA_MISMATCH', 'warning', 'sex']]);
    const id = result.transactions[0]?.vaccinationId;
    expect(id).toBeDefined();
    expect(await store.vaccinations.getVaccination(jan.insz, id!)).toMatchObject({ status: 'active' });
  });
});
