import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VACCINE_INDICATIONS } from '../kmehr/codelists/vaccine-indications.js';
import { parseKmehr } from '../kmehr/parse-kmehr.js';
import { readVitalinkVaccination } from '../kmehr/read-vitalink-vaccination.js';
import { SHARED_KMEHR } from '../kmehr/test-paths.js';
import { createXsdValidator } from '../kmehr/xsd/xsd-validator.js';
import { DOCTORS, personIdentity } from './demo-personas.js';
import type { Vaccination } from './vaccination.js';
import { vitalinkEntries } from './vitalink-entries.js';

const xsd = createXsdValidator(path.join(SHARED_KMEHR, 'schema'));

const text = fc
  .string({ unit: fc.constantFrom(...'aZ09 -/.&<>"\'é\n'), minLength: 1, maxLength: 20 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0 && s !== '-');
const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

/** A stored dose with every field the store keeps, the registry's bookkeeping included. */
const stored: fc.Arbitrary<Vaccination> = fc.record(
  {
    id: fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), minLength: 32, maxLength: 32 }),
    patientInsz: digits(11),
    product: fc.record(
      {
        cnk: digits(7),
        name: text,
        vaccinnetCode: text,
        atc: text,
        indications: fc.uniqueArray(fc.constantFrom(...VACCINE_INDICATIONS), { maxLength: 3 }),
        group: text,
      },
      { requiredKeys: ['indications', 'group'] },
    ),
    administeredOn: instant.map((i) => i.slice(0, 10)),
    quantity: fc.constantFrom('1', '1.00', '0.5', '2'),
    lot: text,
    disableStockChange: fc.boolean(),
    registrantKey: text,
    responsibleNihii: digits(11),
    softwareId: text,
    channel: fc.constantFrom('registratie' as const, 'batch' as const),
    senderMessageId: text,
    senderLocalId: text,
    senderKey: text,
    registeredAt: instant,
    itemXml: fc.constant('<item/>'),
    contentDigest: text,
    status: fc.constantFrom('active' as const, 'removed' as const),
  },
  {
    requiredKeys: [
      'id',
      'patientInsz',
      'product',
      'administeredOn',
      'registrantKey',
      'softwareId',
      'channel',
      'senderKey',
      'registeredAt',
      'itemXml',
      'status',
    ],
  },
);

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
