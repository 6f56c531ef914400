import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultVaccineReference } from '../kmehr/codelists/vaccine-reference.js';
import type { Code, Content, KmehrMessage } from '../kmehr/model.js';
import { checkMessage } from '../kmehr/rules/check-message.js';
import { buildVaccinationMessage, cd, DOCTOR_NIHII, PATIENT_INSZ } from '../kmehr/testing/message-builder.js';
import { partyNihii } from '../registry/check-parties.js';
import { newVaccination } from '../registry/new-vaccination.js';
import type { Channel, NewVaccination, Vaccination } from '../registry/vaccination.js';
import { EXT, SYSTEM } from './fhir-systems.js';
import { fromImmunization } from './from-immunization.js';
import { conformanceErrors } from './testing/conformance.js';
import { toImmunization } from './to-immunization.js';

const reference = defaultVaccineReference();
const ctx = { today: '2024-12-31', reference };

/** What the registry stores of the one dose in a message, as a use case would store it. */
function stored(message: KmehrMessage, channel: Channel): NewVaccination {
  const transaction = message.folders[0]!.transactions[0]!;
  const item = transaction.items[0]!;
  return newVaccination(
    {
      insz: message.folders[0]!.patient.ids[0]!.value,
      transaction,
      item,
      administeredOn: item.beginmoment!.date!,
      f: 0,
      t: 0,
      messageId: message.header.ids[0]?.value,
      registrantKey: `doctor:${partyNihii(message.header.senders[0]!)}`,
      responsibleNihii: transaction.authors[0] ? partyNihii(transaction.authors[0]) : undefined,
      softwareId: 'taktik_medispring',
      channel,
      reference,
    },
    '3F2A9C0E5B7D41E88A61C2D4F0B19E77',
    '2024-10-15T08:21:00.000Z',
  );
}

const active = (v: NewVaccination): Vaccination => ({ ...v, status: 'active' });

/** The fields of a stored dose that come from what the sender said (the rest is the registry's or the transport's). */
const said = (v: NewVaccination): Partial<NewVaccination> => ({
  patientInsz: v.patientInsz,
  product: v.product,
  administeredOn: v.administeredOn,
  quantity: v.quantity,
  lot: v.lot,
  registrantKey: v.registrantKey,
  responsibleNihii: v.responsibleNihii,
  senderLocalId: v.senderLocalId,
  senderKey: v.senderKey,
});

// Products as senders name them: by CNK, by Vaccinnet code, by ATC, by indications only, or CNK + indications.
const products = reference.products.filter((p) => !p.retired);
const productContents = fc.constantFrom(...products).chain((p) => {
  const ways: Content[][] = [];
  if (p.cnk) ways.push([{ kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', p.cnk)], intendedname: p.name ?? 'product' }]);
  if (p.vaccinnetCode) ways.push([{ kind: 'cd', cds: [cd('LOCAL', p.vaccinnetCode, { sl: 'VACCINNETCODE' })] }]);
  if (p.atc) ways.push([{ kind: 'cd', cds: [cd('CD-ATC', p.atc)] }]);
  if (p.indications.length > 0) ways.push([{ kind: 'cd', cds: p.indications.map((i): Code => cd('CD-VACCINEINDICATION', i)) }]);
  return fc.constantFrom(...ways);
});

const doses = fc.record({
  contents: productContents,
  date: fc.date({ min: new Date('2000-01-01'), max: new Date('2024-10-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  quantity: fc.option(fc.constantFrom('1', '0.5', '2', '0.25'), { nil: undefined }),
  lot: fc.option(fc.stringMatching(/^[A-Z0-9]{2,12}$/), { nil: undefined }),
  localId: fc.uuid(),
  sl: fc.constantFrom('UUID', 'vaccinnet-uuid', 'https://gp.example/ids'),
});

describe('KMEHR → FHIR → KMEHR', () => {
  it('keeps every field the registry stores from the sender, for generated doses, and every emitted Immunization conforms', () => {
    fc.assert(
      fc.property(doses, (d) => {
        const message = buildVaccinationMessage({
          transaction: {
            ids: [
              { s: 'ID-KMEHR', sv: '1.0', value: '1' },
              { s: 'LOCAL', sv: '1.0', sl: d.sl, value: d.localId },
            ],
            date: '2024-10-15',
          },
          item: {
            contents: d.contents,
            beginmoment: { date: d.date },
            quantity: d.quantity === undefined ? undefined : { decimal: d.quantity },
            batch: d.lot,
          },
        });
        const first = stored(message, 'registratie');
        const immunization = toImmunization(active(first));
        expect(conformanceErrors(immunization)).toEqual([]);
        const read = fromImmunization(JSON.parse(JSON.stringify(immunization)));
        if (!read.ok) throw new Error(read.findings.map((f) => f.message).join('; '));
        // The message rules judge the dose as they judged the KMEHR one (e.g. a COVID-19 dose without a lot, both times).
        const codes = (m: KmehrMessage): string[] => checkMessage(m, ctx).map((f) => f.code);
        expect(codes(read.message)).toEqual(codes(message));
        const again = stored(read.message, 'fhir');
        expect(said(again)).toEqual(said(first));
        // The registry's own fields travel as id, identifier and recorded.
        expect(immunization.id).toBe(first.id);
        expect(immunization.identifier?.[0]).toEqual({ system: SYSTEM.vaccinnetRecord, value: first.id });
        expect(immunization.recorded).toBe(first.registeredAt);
      }),
      { numRuns: 150 },
    );
  });

  it('maps the Comirnaty example as fhir-bevaccination.md §9 shapes it', () => {
    const immunization = toImmunization(active(stored(buildVaccinationMessage(), 'registratie')));
    expect(immunization.patient).toEqual({ type: 'Patient', identifier: { system: SYSTEM.ssin, value: PATIENT_INSZ } });
    expect(immunization.vaccineCode?.coding?.[0]).toMatchObject({ system: SYSTEM.snomed, code: '28531000087107' });
    expect(immunization.lotNumber).toBeUndefined();
    const product = immunization.extension?.find((e) => e.url === EXT.administeredProduct);
    expect(product?.extension).toContainEqual({ url: 'lotNumber', valueString: 'FK1234' });
    expect(product?.extension?.[0]?.valueCodeableConcept?.coding?.map((c) => c.system)).toEqual([SYSTEM.cnk, SYSTEM.atc, SYSTEM.vaccinnetCode]);
    expect(immunization.extension?.find((e) => e.url === EXT.recorder)?.valueReference?.identifier).toEqual({ system: SYSTEM.nihdi, value: DOCTOR_NIHII });
    expect(immunization.performer?.[0]?.actor.identifier?.value).toBe(DOCTOR_NIHII);
    expect(conformanceErrors(immunization)).toEqual([]);
  });

  it('names an unmatched product "unspecified vaccine" with a text (be-rule-vaccination-1)', () => {
    const v = active({ ...stored(buildVaccinationMessage(), 'registratie'), product: { indications: ['rabies', 'cholera'], group: 'CHOLERA+RABIES' } });
    const immunization = toImmunization(v);
    expect(immunization.vaccineCode).toMatchObject({ coding: [{ code: '787859002' }, {}, {}], text: 'rabies, cholera' });
    expect(conformanceErrors(immunization)).toEqual([]);
    // The checker itself fails when the text is missing.
    expect(conformanceErrors({ ...immunization, vaccineCode: { coding: immunization.vaccineCode!.coding! } })).toEqual([
      `${v.id} breaks be-rule-vaccination-1`,
    ]);
  });

  it('the conformance checks fail on what BeVaccination forbids (they can fail)', () => {
    const immunization = toImmunization(active(stored(buildVaccinationMessage(), 'registratie')));
    const broken = { ...immunization, lotNumber: 'FK1234', recorded: 20241015 as never, notAnElement: true };
    const errors = conformanceErrors(broken as never);
    expect(errors).toContain(`${immunization.id} breaks lotNumber 0..0`);
    // R4 structure, from Medplum's validator: a number where a dateTime belongs, an element R4 does not define.
    expect(errors.some((e) => e.includes('recorded'))).toBe(true);
    expect(errors.some((e) => e.includes('notAnElement'))).toBe(true);
  });
});
