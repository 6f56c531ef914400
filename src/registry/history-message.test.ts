import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHARED_KMEHR } from '../kmehr/test-paths.js';
import { writeKmehr } from '../kmehr/write-kmehr.js';
import { createXsdValidator } from '../kmehr/xsd/xsd-validator.js';
import { buildHistoryMessage, VACCINATION_ID_SL } from './history-message.js';
import { storedVaccination } from './testing/stored-vaccinations.js';

const xsd = createXsdValidator(path.join(SHARED_KMEHR, 'schema'));

describe('buildHistoryMessage (the GetVaccinations answer)', () => {
  it('is XSD-valid for any stored doses — a CNK the reference table has no name for included — and names each VaccinationId', () => {
    fc.assert(
      fc.property(fc.array(storedVaccination, { minLength: 1, maxLength: 4 }), (doses) => {
        const message = buildHistoryMessage({
          patientInsz: '85071412330',
          vaccinations: doses,
          date: '2026-12-07',
          time: '12:00:00',
          messageId: '14700250004.20261207120000',
          recipient: { nihii: '14700250004', name: 'Dr. Peeters' },
        });
        expect(xsd.validateBytes(Buffer.from(writeKmehr(message)))).toEqual([]);
        const ids = message.folders[0]!.transactions.map((t) => t.ids.find((i) => i.sl === VACCINATION_ID_SL)?.value);
        expect(ids).toEqual(doses.map((d) => d.id));
      }),
      { numRuns: 100 },
    );
  });
});
