import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKmehr } from '../kmehr/parse-kmehr.js';
import { readVitalinkVaccination } from '../kmehr/read-vitalink-vaccination.js';
import { SHARED_KMEHR } from '../kmehr/test-paths.js';
import { createXsdValidator } from '../kmehr/xsd/xsd-validator.js';
import { DOCTORS, personIdentity } from './demo-personas.js';
import { storedVaccination as stored } from './testing/stored-vaccinations.js';
import { vitalinkEntries } from './vitalink-entries.js';

const xsd = createXsdValidator(path.join(SHARED_KMEHR, 'schema'));

describe('vitalinkEntries over generated stored vaccinations', () => {
  it('emits each active dose once, XSD-valid, and every clinical field it stores reads back unchanged; removed doses never', () => {
    fc.assert(
      fc.property(fc.array(stored, { maxLength: 4 }), (doses) => {
        const entries = vitalinkEntries({
          vaccinations: doses,
          caller: personIdentity(DOCTORS.peeters),
          softwareId: 'taktik_medispring',
          now: new Date('2025-01-01T12:00:00Z'),
          timeZone: 'Europe/Brussels',
          messageId: (i) => `M.${i}`,
        });
        const active = doses.filter((d) => d.status === 'active');
        expect(entries.map((e) => e.uri)).toEqual(active.map((d) => `/subject/${d.patientInsz}/vaccination/${d.id}/1`));
        entries.forEach((entry, i) => {
          const v = active[i]!;
          expect(xsd.validateBytes(entry.kmehr)).toEqual([]);
          const parsed = parseKmehr(entry.kmehr);
          if (!parsed.ok) throw new Error(JSON.stringify(parsed.findings));
          const read = readVitalinkVaccination(parsed.message);
          if (!read.ok) throw new Error(read.problem);
          const { group: _group, ...product } = v.product;
          expect(read.vaccination).toEqual({
            address: { ssin: v.patientInsz, vaccinationId: v.id, version: 1 },
            registeredAt: v.registeredAt,
            ...(v.responsibleNihii !== undefined && { responsibleNihii: v.responsibleNihii }),
            product,
            administeredOn: v.administeredOn,
            ...(v.quantity !== undefined && { quantity: v.quantity }),
            ...(v.lot !== undefined && { lot: v.lot }),
          });
        });
      }),
      { numRuns: 150 },
    );
  });
});
