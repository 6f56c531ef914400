import fc from 'fast-check';
import { VACCINE_INDICATIONS } from '../../kmehr/codelists/vaccine-indications.js';
import type { Vaccination } from '../vaccination.js';

const text = fc
  .string({ unit: fc.constantFrom(...'aZ09 -/.&<>"\'é\n'), minLength: 1, maxLength: 20 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0 && s !== '-');
const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

/** A stored dose with every field the store keeps, the registry's bookkeeping included (optional ones maybe absent). */
export const storedVaccination: fc.Arbitrary<Vaccination> = fc.record(
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
