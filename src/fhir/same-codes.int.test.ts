import { afterEach, describe, expect, it } from 'vitest';
import type { Item, KmehrMessage } from '../kmehr/model.js';
import { cd } from '../kmehr/testing/message-builder.js';
import { allFindings, registerVaccinations, type RegisterOutcome } from '../registry/register-vaccinations.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import {
  DOCTORS,
  IDENTITIES,
  PATIENTS,
  SOFTWARE_IDS,
  UNREGISTERED_INSZ,
  fixedClock,
  personaMessage,
  seedPersonas,
  sequentialIds,
} from '../registry/testing/index.js';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { testEngines } from '../store/testing/test-engines.js';
import { EXT, SYSTEM } from './fhir-systems.js';
import { fromImmunization } from './from-immunization.js';

/** One dose, described once and written both ways: as the KMEHR message GP software sends and as a BeVaccination. */
interface Dose {
  readonly insz?: string;
  readonly date?: string;
  readonly recorded?: string;
  readonly cnk?: string;
  readonly lot?: string | null;
  readonly quantity?: number;
  readonly sender?: string;
  readonly author?: string;
  readonly status?: 'completed' | 'not-done';
  readonly reaction?: boolean;
  readonly indicationsOnly?: readonly string[];
  readonly localId?: string;
  /** The disease is said too: KMEHR CD-VACCINEINDICATION covid19; FHIR always says it through the SNOMED vaccineCode… */
  readonly withIndication?: boolean;
  /** …unless this: vaccineCode "unspecified vaccine" with a text (then the KMEHR side names no disease either). */
  readonly unspecified?: boolean;
}

function asKmehr(d: Dose): KmehrMessage {
  const date = d.date ?? '2024-03-01';
  const base = personaMessage({
    sender: DOCTORS.peeters,
    localId: d.localId ?? 'dose-1',
    date,
    patient: { ...PATIENTS.jan, insz: d.insz ?? PATIENTS.jan.insz },
  });
  const item: Partial<Item> = {
    ...(d.indicationsOnly
      ? { contents: [{ kind: 'cd', cds: d.indicationsOnly.map((i) => cd('CD-VACCINEINDICATION', i)) }] }
      : d.cnk && {
          contents: [
            { kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', d.cnk)] },
            ...(d.withIndication ? [{ kind: 'cd' as const, cds: [cd('CD-VACCINEINDICATION', 'covid19')] }] : []),
          ],
        }),
    batch: d.lot === null ? undefined : (d.lot ?? 'FK1234'),
    quantity: { decimal: String(d.quantity ?? 1) },
    ...(d.status === 'not-done' && { lifecycle: cd('CD-LIFECYCLE', 'refused') }),
  };
  const hcparty = (nihii: string) => ({ ids: [{ s: 'ID-HCPARTY', sv: '1.0', value: nihii }], cds: [cd('CD-HCPARTY', 'persphysician')] });
  const folder = base.folders[0]!;
  const transaction = folder.transactions[0]!;
  const vaccine = { ...transaction.items[0]!, ...item };
  const adr: Item = { ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '2' }], cds: [cd('CD-ITEM', 'adr')], contents: [], texts: [], authors: [] };
  return {
    header: { ...base.header, senders: [hcparty(d.sender ?? DOCTORS.peeters.nihii)] },
    folders: [
      {
        ...folder,
        // The FHIR side carries no names: the KMEHR side sends none either, so only the rules under test differ.
        patient: { ids: folder.patient.ids, firstnames: [] },
        transactions: [
          {
            ...transaction,
            date: (d.recorded ?? date).slice(0, 10),
            authors: [hcparty(d.author ?? DOCTORS.peeters.nihii)],
            items: [vaccine, ...(d.reaction ? [adr] : [])],
          },
        ],
      },
    ],
  };
}

function asFhir(d: Dose): unknown {
  const coding = d.indicationsOnly ? [] : [{ system: SYSTEM.cnk, code: d.cnk ?? '4293254' }];
  const lot = d.lot === null ? [] : [{ url: 'lotNumber', valueString: d.lot ?? 'FK1234' }];
  return {
    resourceType: 'Immunization',
    extension: [
      { url: EXT.recorder, valueReference: { type: 'Practitioner', identifier: { system: SYSTEM.nihdi, value: d.sender ?? DOCTORS.peeters.nihii } } },
      { url: EXT.administeredProduct, extension: [...(coding.length > 0 ? [{ url: 'coded', valueCodeableConcept: { coding } }] : []), ...lot] },
    ],
    identifier: [{ system: 'urn:vaccinnet:sender-id:UUID', value: d.localId ?? 'dose-1' }],
    status: d.status ?? 'completed',
    vaccineCode: d.unspecified
      ? { coding: [{ system: SYSTEM.snomed, code: '787859002' }], text: 'a vaccine' }
      : {
          coding: d.indicationsOnly
            ? d.indicationsOnly.map((i) => ({ system: SYSTEM.vaccineIndication, code: i }))
            : [{ system: SYSTEM.snomed, code: '28531000087107' }],
        },
    patient: { type: 'Patient', identifier: { system: SYSTEM.ssin, value: d.insz ?? PATIENTS.jan.insz } },
    occurrenceDateTime: d.date ?? '2024-03-01',
    recorded: d.recorded ?? `${d.date ?? '2024-03-01'}T10:00:00+01:00`,
    performer: [{ actor: { type: 'Practitioner', identifier: { system: SYSTEM.nihdi, value: d.author ?? DOCTORS.peeters.nihii } } }],
    doseQuantity: { value: d.quantity ?? 1 },
    ...(d.reaction && { reaction: [{ date: d.date ?? '2024-03-01' }] }),
  };
}

const CASES: readonly [string, Dose, readonly string[]][] = [
  ['a valid dose', {}, []],
  ['COVID-19 without a lot (rule 2)', { lot: null }, ['COVID_LOT_MISSING']],
  ['COVID-19 with an adverse reaction (rule 3)', { reaction: true }, ['COVID_ADVERSE_EVENT']],
  ['an INSZ with wrong check digits (rule 4)', { insz: '85071412331' }, ['INSZ_CHECKSUM', 'INSZ_UNKNOWN']],
  ['an INSZ unknown to the register (rule 4)', { insz: UNREGISTERED_INSZ }, ['INSZ_UNKNOWN']],
  ['an unknown CNK alone (rule 8)', { cnk: '9999999', unspecified: true }, ['PRODUCT_UNKNOWN']],
  ['an unknown CNK with its disease (rule 8)', { cnk: '9999999', withIndication: true }, ['PRODUCT_UNLISTED']],
  ['no product at all (rule 8)', { indicationsOnly: [] }, ['PRODUCT_NOT_IDENTIFIED']],
  ['a dose in the future (rule 9)', { date: '2024-03-20', recorded: '2024-03-01T10:00:00+01:00' }, ['DATE_IN_FUTURE', 'DATE_AFTER_TRANSACTION']],
  ['a dose before the patient was born (rule 9)', { date: '1980-01-01' }, ['DATE_BEFORE_BIRTH']],
  ['a dose after its registration (rule 9)', { date: '2024-03-05', recorded: '2024-03-02T10:00:00+01:00' }, ['DATE_AFTER_TRANSACTION']],
  ['an author NIHII that is not the caller (rule 12)', { author: '14700250005' }, ['AUTHOR_MISMATCH']],
  ['another doctor as sender (rule 12)', { sender: DOCTORS.maes.nihii }, ['SENDER_MISMATCH']],
  ['another doctor as author (rule 12)', { author: DOCTORS.maes.nihii }, ['AUTHOR_MISMATCH']],
  ['a quantity of zero (rule 13)', { quantity: 0 }, ['QUANTITY_NOT_POSITIVE']],
  ['a refused dose (lifecycle)', { status: 'not-done' }, ['KMEHR_LIFECYCLE']],
];

const codes = (outcome: RegisterOutcome): string[] =>
  (outcome.ok ? outcome.messages.flatMap((m) => allFindings(m)) : outcome.findings).map((f) => f.code).sort();

describe.each(testEngines())('the same dose as KMEHR and as FHIR gets the same status codes, on $name', (engine) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function ports(): Promise<RegistryPorts> {
    store = await engine.open();
    await seedPersonas(store);
    return registryPortsOf(store, { clock: fixedClock('2024-03-10T09:00:00Z'), ids: sequentialIds() });
  }

  const register = (p: RegistryPorts, message: KmehrMessage, channel: 'registratie' | 'fhir'): Promise<RegisterOutcome> =>
    registerVaccinations({ caller: IDENTITIES.peeters, softwareId: SOFTWARE_IDS.peeters, channel, messages: [message] }, p);

  it.each(CASES)('%s', async (_name, dose, expected) => {
    const p = await ports();
    const kmehr = codes(await register(p, asKmehr(dose), 'registratie'));
    expect(kmehr).toEqual([...expected].sort());
    // A fresh store for the FHIR side: the KMEHR dose must not make it a duplicate.
    await store!.close();
    const q = await ports();
    const read = fromImmunization(asFhir(dose));
    if (!read.ok) throw new Error(read.findings.map((f) => f.message).join('; '));
    expect(codes(await register(q, read.message, 'fhir'))).toEqual(kmehr);
  });

  it('replays and probable duplicates behave the same across the two channels', async () => {
    const p = await ports();
    expect(codes(await register(p, asKmehr({}), 'registratie'))).toEqual([]);
    // The same sender id over the other channel is another serialisation of the item, so other content for the
    // content digest: refused as reused ids, never stored twice (docs/decisions.md "Issue 13 — FHIR").
    const same = fromImmunization(asFhir({}));
    if (!same.ok) throw new Error('unreadable');
    expect(codes(await register(p, same.message, 'fhir'))).toEqual(['SENDER_IDS_REUSED']);
    // Within FHIR a retry is a replay, as within SOAP.
    const fresh = fromImmunization(asFhir({ localId: 'dose-3', date: '2024-03-02', recorded: '2024-03-02T10:00:00+01:00' }));
    if (!fresh.ok) throw new Error('unreadable');
    expect(codes(await register(p, fresh.message, 'fhir'))).toEqual([]);
    expect(codes(await register(p, fresh.message, 'fhir'))).toEqual(['DUPLICATE_REPLAY']);
    // The KMEHR dose under another sender id: a probable duplicate, whichever channel brings it.
    const other = fromImmunization(asFhir({ localId: 'dose-2' }));
    if (!other.ok) throw new Error('unreadable');
    expect(codes(await register(p, other.message, 'fhir'))).toEqual(['PROBABLE_DUPLICATE']);
  });
});
