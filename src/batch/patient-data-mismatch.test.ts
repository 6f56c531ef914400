import { describe, expect, it } from 'vitest';
import { PATIENTS } from '../registry/demo-personas.js';
import { testEngines } from '../store/testing/test-engines.js';
import { organisationFolder } from './testing/organisation-batch.js';
import { storedResults } from './testing/stored-results.js';
import { workerFixture } from './testing/worker-fixture.js';

/** The batch path's own copy of the person-register checks gives PATIENT_DATA_MISMATCH too (issue 11.9). */
describe.each(testEngines())('BatchUpload: patient data contradicting the person register on $name', (engine) => {
  // Jan (male, Vermeulen in the register) sent as a female "Jan Peeters"; the generated folders are not in the register.
  const contradicting = organisationFolder({ folders: 1, tag: 'jan' }, 0)
    .replace(/<id S="ID-PATIENT" SV="1.0">\d{11}<\/id>/, `<id S="ID-PATIENT" SV="1.0">${PATIENTS.jan.insz}</id>`)
    .replace('<cd S="CD-SEX" SV="1.0">male</cd>', '<cd S="CD-SEX" SV="1.0">female</cd>');

  it.each([
    ['on this thread', Number.MAX_SAFE_INTEGER],
    ['on the planning thread (packed hand-over)', 0],
  ])('is stored with a warning per contradicting field, planned %s', async (_name, planningThreadFromBytes) => {
    const store = await engine.open();
    try {
      const fx = await workerFixture(store);
      const id = await fx.deliver({ folders: 2, tag: `pdm${planningThreadFromBytes}`, trailer: contradicting });
      expect(await fx.worker({ planningThreadFromBytes }).runOnce()).toBe(1);
      const results = await storedResults(fx.repo, id);
      expect(results.map((r) => r[7])).toEqual(['OK', 'OK', 'OK_WITH_WARNINGS']);
      const last = results[2]!;
      expect(last[8].map((f) => [f.c, f.l, f.v, f.p?.field])).toEqual([
        ['PATIENT_DATA_MISMATCH', '/kmehrmessage/folder[3]/patient/sex/cd', 'female', 'sex'],
        ['PATIENT_DATA_MISMATCH', '/kmehrmessage/folder[3]/patient/familyname', 'Peeters', 'familyname'],
      ]);
      expect(last[9]).toMatch(/^[0-9A-F]{32}$/);
    } finally {
      await store.close();
    }
  });
});
