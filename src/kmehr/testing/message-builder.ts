import { inszFor } from '../identifiers/synthetic-insz.js';
import type { Code, Folder, HcParty, Header, Item, KmehrMessage, Patient, Transaction } from '../model.js';

/**
 * Fixture builders for tests: a valid one-folder / one-transaction vaccination message (contracts.md) and
 * helpers to build batch-shaped messages and model-level mutations. Every result is deeply frozen (a parsed
 * message is readonly by type only, docs/decisions.md; frozen fixtures also catch a rule that writes through a cast); change it with the `with…` helpers, which return new trees.
 *
 * Defaults: sender and author Dr. Veerle Piessens (NIHII 14700250004, persphysician), recipient VAZG
 * (orgpublichealth), patient INSZ 85071412330 (born 1985-07-14, male), one `vaccine` item with Comirnaty
 * CNK 4293254, lot FK1234, administered on 2024-03-01 (= transaction date), quantity 1, lifecycle administrated.
 */
export const DOCTOR_NIHII = '14700250004';
export const PATIENT_INSZ = '85071412330';
export const COMIRNATY_CNK = '4293254';
export const DEFAULT_DATE = '2024-03-01';

export const cd = (s: string, value: string, extra: Partial<Code> = {}): Code => ({ s, sv: '1.0', value, ...extra });

/** A healthcare party; default: the doctor. */
export function buildHcParty(overrides: Partial<HcParty> = {}): HcParty {
  return deepFreeze({
    ids: [{ s: 'ID-HCPARTY', sv: '1.0', value: DOCTOR_NIHII }],
    cds: [cd('CD-HCPARTY', 'persphysician')],
    firstname: 'Veerle',
    familyname: 'Piessens',
    ...overrides,
  });
}

/** An organisation sender (hospital, NIHII-8 71000436, Vaccinnet user code as LOCAL id). */
export function buildOrganisationParty(overrides: Partial<HcParty> = {}): HcParty {
  return deepFreeze({
    ids: [
      { s: 'LOCAL', sl: 'VACCINNET-USER', sv: '1.0', value: 'UZ0001' },
      { s: 'ID-HCPARTY', sv: '1.0', value: '71000436' },
    ],
    cds: [cd('CD-HCPARTY', 'orghospital')],
    name: 'Algemeen Ziekenhuis Voorbeeld',
    ...overrides,
  });
}

export function buildHeader(overrides: Partial<Header> = {}): Header {
  return deepFreeze({
    standard: cd('CD-STANDARD', '20120701'),
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: `${DOCTOR_NIHII}.1709287200000` }],
    date: DEFAULT_DATE,
    time: '10:00:00',
    senders: [buildHcParty()],
    recipients: [{ ids: [], cds: [cd('CD-HCPARTY', 'orgpublichealth')], name: 'VAZG' }],
    ...overrides,
  });
}

export function buildPatient(overrides: Partial<Patient> = {}): Patient {
  return deepFreeze({
    ids: [{ s: 'ID-PATIENT', sv: '1.0', value: PATIENT_INSZ }],
    firstnames: ['Jan'],
    familyname: 'Peeters',
    birthdate: '1985-07-14',
    sex: cd('CD-SEX', 'male'),
    ...overrides,
  });
}

/** The `vaccine` item (Comirnaty, with a lot number). */
export function buildVaccineItem(overrides: Partial<Item> = {}): Item {
  return deepFreeze({
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
    cds: [cd('CD-ITEM', 'vaccine')],
    contents: [{ kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', COMIRNATY_CNK)], intendedname: 'Comirnaty (1 dosis)' }],
    texts: [],
    authors: [],
    beginmoment: { date: DEFAULT_DATE },
    lifecycle: cd('CD-LIFECYCLE', 'administrated'),
    quantity: { decimal: '1' },
    batch: 'FK1234',
    ...overrides,
  });
}

/** A vaccine item that names its product by Vaccinnet code, ATC and/or indications only (no CNK). */
export function buildCodedVaccineItem(codes: readonly Code[], overrides: Partial<Item> = {}): Item {
  return buildVaccineItem({ contents: [{ kind: 'cd', cds: codes }], ...overrides });
}

export function buildTransaction(overrides: Partial<Transaction> = {}): Transaction {
  return deepFreeze({
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
    cds: [cd('CD-TRANSACTION', 'vaccination')],
    date: DEFAULT_DATE,
    time: '10:00:00',
    authors: [buildHcParty()],
    iscomplete: true,
    isvalidated: true,
    items: [buildVaccineItem()],
    texts: [],
    links: [],
    ...overrides,
  });
}

export function buildFolder(overrides: Partial<Folder> = {}): Folder {
  return deepFreeze({ ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }], patient: buildPatient(), transactions: [buildTransaction()], ...overrides });
}

/** What `buildVaccinationMessage` lets a test change; each part is merged over the default. */
export interface VaccinationOverrides {
  readonly header?: Partial<Header>;
  readonly patient?: Partial<Patient>;
  readonly transaction?: Partial<Transaction>;
  /** Merged over the default `vaccine` item. */
  readonly item?: Partial<Item>;
  /** Items after the vaccine item (e.g. an `encounterlocation` or `adr` item). */
  readonly extraItems?: readonly Item[];
  /** Replaces the folders entirely (then patient/transaction/item are ignored). */
  readonly folders?: readonly Folder[];
}

/**
 * A valid vaccination message: one folder, one transaction, one Comirnaty `vaccine` item.
 * @example buildVaccinationMessage({ item: { batch: undefined } }) // a COVID-19 dose without a lot number
 */
export function buildVaccinationMessage(overrides: VaccinationOverrides = {}): KmehrMessage {
  const items = [buildVaccineItem(overrides.item), ...(overrides.extraItems ?? [])];
  const folders = overrides.folders ?? [
    buildFolder({ patient: buildPatient(overrides.patient), transactions: [buildTransaction({ items, ...overrides.transaction })] }),
  ];
  return deepFreeze({ header: buildHeader(overrides.header), folders });
}

/**
 * A batch-shaped message: `folders` patients with `transactionsPerFolder` doses each; folder n gets a distinct
 * valid INSZ (`inszFor(f)`), transactions get LOCAL UUID-like ids as batch senders send them.
 */
export function buildBatchMessage(folders: number, transactionsPerFolder = 1, header: Partial<Header> = {}): KmehrMessage {
  const list: Folder[] = [];
  for (let f = 0; f < folders; f++) {
    const transactions: Transaction[] = [];
    for (let t = 0; t < transactionsPerFolder; t++) {
      transactions.push(
        buildTransaction({
          ids: [
            { s: 'ID-KMEHR', sv: '1.0', value: String(t + 1) },
            { s: 'LOCAL', sl: 'UUID', sv: '1.0', value: `00000000-0000-4000-8000-${String(f * 1000 + t).padStart(12, '0')}` },
          ],
        }),
      );
    }
    list.push(
      buildFolder({
        ids: [{ s: 'ID-KMEHR', sv: '1.0', value: String(f + 1) }],
        patient: buildPatient({ ids: [{ s: 'ID-PATIENT', sv: '1.0', value: inszFor(f) }] }),
        transactions,
      }),
    );
  }
  return deepFreeze({ header: buildHeader({ senders: [buildOrganisationParty()], ...header }), folders: list });
}

// ---- model-level mutations: each returns a new frozen message ----

export function withHeader(m: KmehrMessage, patch: Partial<Header>): KmehrMessage {
  return deepFreeze({ ...m, header: { ...m.header, ...patch } });
}

export function withFolder(m: KmehrMessage, f: number, patch: (folder: Folder) => Folder): KmehrMessage {
  return deepFreeze({ ...m, folders: m.folders.map((x, i) => (i === f ? patch(x) : x)) });
}

export function withPatient(m: KmehrMessage, patch: Partial<Patient>, f = 0): KmehrMessage {
  return withFolder(m, f, (x) => ({ ...x, patient: { ...x.patient, ...patch } }));
}

export function withTransaction(m: KmehrMessage, patch: Partial<Transaction>, f = 0, t = 0): KmehrMessage {
  return withFolder(m, f, (x) => ({ ...x, transactions: x.transactions.map((y, j) => (j === t ? { ...y, ...patch } : y)) }));
}

export function withItem(m: KmehrMessage, patch: Partial<Item>, f = 0, t = 0, i = 0): KmehrMessage {
  const tx = m.folders[f]!.transactions[t]!;
  return withTransaction(m, { items: tx.items.map((x, k) => (k === i ? { ...x, ...patch } : x)) }, f, t);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
