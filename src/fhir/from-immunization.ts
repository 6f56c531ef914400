import type { Code, Content, HcParty, Identifier, Item, KmehrMessage } from '../kmehr/model.js';
import { finding, type Finding } from '../status/finding.js';
import { EXT, SENDER_ID_PREFIX, SYSTEM, UNSPECIFIED_VACCINE } from './fhir-systems.js';
import { indicationsOfSnomed } from './vaccine-codes.js';

/** Where each part of the built KMEHR message came from in the Immunization: the findings' way back (fhirpath-of.ts). */
export interface ImmunizationPaths {
  /** The transaction author came from `performer` (else from the recorder). */
  readonly authorFromPerformer: boolean;
  /** FHIRPath of each `item/content[k]/…[j]` code, by content and code position. */
  readonly codes: readonly (readonly string[])[];
}

export type ImmunizationRead =
  | {
      readonly ok: true;
      readonly message: KmehrMessage;
      readonly paths: ImmunizationPaths;
      readonly senderId: SenderId;
      /** FHIR_ELEMENT_NOT_KEPT warnings: what was sent but has no place in what the registry stores (shown once stored). */
      readonly notKept: readonly Finding[];
    }
  | { readonly ok: false; readonly findings: readonly Finding[] };

/** The sender's own id of the record: the idempotency key (KMEHR `transaction/id[@S='LOCAL'][@SL]`). */
export interface SenderId {
  readonly sl: string;
  readonly value: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const cd = (s: string, value: string, extra: Partial<Code> = {}): Code => ({ s, sv: '1.0', value, ...extra });

const PRODUCT = `Immunization.extension('${EXT.administeredProduct}')`;
const RECORDER = `Immunization.extension('${EXT.recorder}')`;

/** BeVaccination forbids these (0..0) or the registry cannot keep them: refused, never silently dropped. */
const REFUSED_ELEMENTS: Readonly<Record<string, string>> = {
  lotNumber: 'BeVaccination forbids Immunization.lotNumber; send the lot in the administeredProduct extension (lotNumber)',
  expirationDate: 'BeVaccination forbids Immunization.expirationDate; use the administeredProduct extension',
  location: 'BeVaccination forbids Immunization.location; use encounter',
  protocolApplied: 'BeVaccination forbids protocolApplied (no target disease or dose number)',
  occurrenceString: 'a vague administration date cannot be registered; send occurrenceDateTime',
};

/**
 * A submitted BeVaccination Immunization as the KMEHR model the registration core takes (fhir-bevaccination.md
 * §10, read backwards): one message, one folder, one `vaccination` transaction, its `vaccine` item (plus one `adr`
 * item per reaction, so the COVID-19 adverse-event rule judges it as it judges KMEHR). Only what the model cannot
 * express, or BeVaccination forbids, is judged here (FHIR_* codes, with the FHIRPath); every rule the registry
 * applies to a vaccination is left to the KMEHR rules and the use case, which report KMEHR locations that
 * `fhirPathOf` turns back into FHIRPaths.
 */
export function fromImmunization(input: unknown): ImmunizationRead {
  if (!isObject(input) || input.resourceType !== 'Immunization') {
    const got = isObject(input) ? String(str(input.resourceType) ?? 'no resourceType') : Array.isArray(input) ? 'an array' : typeof input;
    return { ok: false, findings: [finding('FHIR_RESOURCE_TYPE', { value: got.slice(0, 64), params: { field: 'Immunization' } })] };
  }
  const findings: Finding[] = [];
  const invalid = (location: string, detail: string): void => void findings.push(finding('FHIR_ELEMENT_INVALID', { location, params: { detail } }));
  for (const [name, detail] of Object.entries(REFUSED_ELEMENTS)) if (input[name] !== undefined) invalid(`Immunization.${name}`, detail);

  const senderId = senderIdOf(input.identifier);
  if (!senderId)
    invalid(
      'Immunization.identifier',
      `an identifier of your own for this record is required (any system but ${SYSTEM.vaccinnetRecord}): it makes a retry idempotent`,
    );

  const recorder = partyOf(extensionOf(input, EXT.recorder)?.valueReference);
  if (!extensionOf(input, EXT.recorder)) invalid(RECORDER, 'the recorder extension is required (who registers the vaccination)');
  const performer = partyOf(isObject(arr(input.performer)[0]) ? (arr(input.performer)[0] as Json).actor : undefined);

  const vaccineCode = input.vaccineCode;
  if (!isObject(vaccineCode)) invalid('Immunization.vaccineCode', 'vaccineCode is required');
  const vaccineCodings = arr(isObject(vaccineCode) ? vaccineCode.coding : undefined).filter(isObject);
  const needsText = vaccineCodings.some((c) => c.code === 'other' || (c.system === SYSTEM.snomed && c.code === UNSPECIFIED_VACCINE));
  if (needsText && !str((vaccineCode as Json).text))
    invalid('Immunization.vaccineCode.text', 'an "other" or unspecified vaccine needs vaccineCode.text (be-rule-vaccination-1)');

  const product = extensionOf(input, EXT.administeredProduct);
  const coded = isObject(product) ? extensionOf(product, 'coded')?.valueCodeableConcept : undefined;
  const productCodings = arr(isObject(coded) ? coded.coding : undefined).filter(isObject);
  if (coded !== undefined && !productCodings.some((c) => c.system === SYSTEM.cnk || c.system === SYSTEM.ctiExtended || c.system === SYSTEM.atc)) {
    invalid(`${PRODUCT}.extension('coded')`, 'administeredProduct.coded needs a CNK, CTI-extended or ATC coding (be-rule-vaccination-2)');
  }
  const lot = isObject(product) ? extensionOf(product, 'lotNumber')?.valueString : undefined;
  if (lot !== undefined && typeof lot !== 'string') invalid(`${PRODUCT}.extension('lotNumber')`, 'lotNumber must be a valueString');

  const occurrence = input.occurrenceDateTime;
  if (occurrence !== undefined && typeof occurrence !== 'string') invalid('Immunization.occurrence', 'occurrenceDateTime must be a dateTime string');
  const recorded = str(input.recorded);
  if (!recorded) invalid('Immunization.recorded', 'recorded is required (when the vaccination was recorded)');
  const dose = isObject(input.doseQuantity) ? input.doseQuantity.value : undefined;
  if (input.doseQuantity !== undefined && typeof dose !== 'number') invalid('Immunization.doseQuantity.value', 'doseQuantity.value must be a number');
  const status = str(input.status);
  if (!status) invalid('Immunization.status', 'status is required');
  if (findings.length > 0 || !senderId || !recorded) return { ok: false, findings };

  const { contents, codes } = contentsOf(productCodings, vaccineCodings);
  const [date = '', time] = recorded.split('T');
  const item: Item = {
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
    cds: [cd('CD-ITEM', 'vaccine')],
    contents,
    texts: [],
    authors: [],
    ...(typeof occurrence === 'string' && { beginmoment: { date: occurrence.includes('T') ? occurrence.slice(0, 10) : occurrence } }),
    lifecycle: cd('CD-LIFECYCLE', LIFECYCLE[status!] ?? status!),
    ...(typeof dose === 'number' && { quantity: { decimal: String(dose) } }),
    ...(typeof lot === 'string' && { batch: lot }),
  };
  const reactions = arr(input.reaction).map((_, r): Item => ({
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: String(r + 2) }],
    cds: [cd('CD-ITEM', 'adr')],
    contents: [],
    texts: [],
    authors: [],
  }));
  const author = performer ?? (recorder && recorder.cds[0]?.value === 'persphysician' ? recorder : undefined);
  const patient = isObject(input.patient) && isObject(input.patient.identifier) ? input.patient.identifier : undefined;
  const patientIds: Identifier[] =
    patient && patient.system === SYSTEM.ssin && typeof patient.value === 'string' ? [{ s: 'ID-PATIENT', sv: '1.0', value: patient.value }] : [];
  const message: KmehrMessage = {
    header: {
      standard: cd('CD-STANDARD', '20161201'),
      ids: [{ s: 'ID-KMEHR', sv: '1.0', value: `FHIR.${senderId.value}`.slice(0, 200) }],
      date,
      time: (time ?? '00:00:00').slice(0, 8),
      senders: recorder ? [recorder] : [],
      recipients: [{ ids: [], cds: [cd('CD-HCPARTY', 'orgpublichealth')], name: 'Vaccinnet' }],
    },
    folders: [
      {
        ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
        patient: { ids: patientIds, firstnames: [] },
        transactions: [
          {
            ids: [
              { s: 'ID-KMEHR', sv: '1.0', value: '1' },
              { s: 'LOCAL', sv: '1.0', sl: senderId.sl, value: senderId.value },
            ],
            cds: [cd('CD-TRANSACTION', 'vaccination')],
            date,
            time: (time ?? '00:00:00').slice(0, 8),
            authors: author ? [author] : [],
            iscomplete: true,
            isvalidated: true,
            items: [item, ...reactions],
            texts: [],
            links: [],
          },
        ],
      },
    ],
  };
  return { ok: true, message, paths: { authorFromPerformer: performer !== undefined, codes }, senderId, notKept: notKept(input) };
}

/** Top-level elements the mapping reads (or, for id/meta/text/language, that are the resource's envelope, not data). */
const READ_ELEMENTS = new Set([
  'resourceType',
  'id',
  'meta',
  'text',
  'language',
  'extension',
  'identifier',
  'status',
  'vaccineCode',
  'patient',
  'occurrenceDateTime',
  'recorded',
  'performer',
  'doseQuantity',
  ...Object.keys(REFUSED_ELEMENTS),
]);

/** At most this many warnings: a body of 64 KiB could name thousands of elements. */
const MAX_NOT_KEPT = 20;

/** A FHIRPath string literal (an extension URL is the sender's text). */
const literal = (s: string): string => `'${s.slice(0, 200).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A FHIRPath name: plain when it is an identifier, else delimited (a JSON key is the sender's text). */
const name = (s: string): string => (/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(s) ? s : `\`${s.slice(0, 64).replace(/[`\\]/g, '')}\``);

/**
 * What a sender said that the registry will not give back (site, route, encounter, notes, reactions, other
 * extensions, a second performer, dose units…): stored without it, and told so, rather than dropped silently (our
 * choice). The reactions are still judged (rule 3 refuses one on a COVID-19 dose); they are not stored.
 */
function notKept(input: Json): Finding[] {
  const paths: string[] = [];
  for (const key of Object.keys(input)) if (!READ_ELEMENTS.has(key)) paths.push(`Immunization.${name(key)}`);
  for (const e of arr(input.extension)) {
    const url = isObject(e) ? str(e.url) : undefined;
    if (url === EXT.recorder) continue;
    if (url !== EXT.administeredProduct) {
      paths.push(url === undefined ? 'Immunization.extension' : `Immunization.extension(${literal(url)})`);
      continue;
    }
    for (const part of arr((e as Json).extension)) {
      const url = isObject(part) ? str(part.url) : undefined;
      if (url !== 'coded' && url !== 'lotNumber') paths.push(`${PRODUCT}.extension(${literal(url ?? '')})`);
    }
  }
  if (arr(input.performer).length > 1) paths.push('Immunization.performer[1]');
  if (isObject(input.doseQuantity)) for (const k of Object.keys(input.doseQuantity)) if (k !== 'value') paths.push(`Immunization.doseQuantity.${name(k)}`);
  return [...new Set(paths)].slice(0, MAX_NOT_KEPT).map((location) => finding('FHIR_ELEMENT_NOT_KEPT', { location }));
}

/** Immunization.status → CD-LIFECYCLE: the lifecycle rule then refuses what is not an administered dose. */
const LIFECYCLE: Readonly<Record<string, string>> = { completed: 'administrated', 'not-done': 'refused', 'entered-in-error': 'cancelled' };

function extensionOf(resource: Json, url: string): Json | undefined {
  return arr(resource.extension).find((e): e is Json => isObject(e) && e.url === url);
}

/** The first identifier not of the registry's own record-id system. */
function senderIdOf(identifiers: unknown): SenderId | undefined {
  for (const id of arr(identifiers)) {
    if (!isObject(id) || typeof id.system !== 'string' || typeof id.value !== 'string' || id.value === '') continue;
    if (id.system === SYSTEM.vaccinnetRecord) continue;
    return { sl: id.system.startsWith(SENDER_ID_PREFIX) ? id.system.slice(SENDER_ID_PREFIX.length) : id.system, value: id.value };
  }
  return undefined;
}

/** A logical reference by identifier as a KMEHR hcparty: NIHDI person → persphysician; organisation ids → orgpractice. */
function partyOf(reference: unknown): HcParty | undefined {
  if (!isObject(reference) || !isObject(reference.identifier)) return undefined;
  const { system, value } = reference.identifier;
  if (typeof system !== 'string' || typeof value !== 'string') return undefined;
  switch (system) {
    case SYSTEM.nihdi:
    case SYSTEM.nihdiProfessional:
    case SYSTEM.nihdiOrganization: {
      const person = reference.type !== 'Organization' && value.length !== 8 && system !== SYSTEM.nihdiOrganization;
      return { ids: [{ s: 'ID-HCPARTY', sv: '1.0', value }], cds: [cd('CD-HCPARTY', person ? 'persphysician' : 'orgpractice')] };
    }
    case SYSTEM.ssin:
      return { ids: [{ s: 'INSS', sv: '1.0', value }], cds: [cd('CD-HCPARTY', 'persphysician')] };
    case SYSTEM.cbe:
      return { ids: [{ s: 'ID-CBE', sv: '1.0', value }], cds: [cd('CD-HCPARTY', 'orgpractice')] };
    default:
      return {
        ids: [{ s: 'LOCAL', sv: '1.0', sl: system, value }],
        cds: [cd('CD-HCPARTY', reference.type === 'Organization' ? 'orgpractice' : 'persphysician')],
      };
  }
}

/**
 * The item's contents: the CNK (medicinalproduct), then ATC and Vaccinnet codes, then the indications — the
 * explicit CD-VACCINEINDICATION codings, else those the SNOMED vaccine code stands for (§6.1 read backwards).
 */
function contentsOf(productCodings: readonly Json[], vaccineCodings: readonly Json[]): { contents: Content[]; codes: string[][] } {
  const contents: Content[] = [];
  const codes: string[][] = [];
  const productPath = (n: number): string => `${PRODUCT}.extension('coded').value.coding[${n}]`;
  const vaccinePath = (n: number): string => `Immunization.vaccineCode.coding[${n}]`;
  productCodings.forEach((c, n) => {
    if (c.system === SYSTEM.cnk && typeof c.code === 'string') {
      contents.push({ kind: 'medicinalproduct', intendedcds: [cd('CD-DRUG-CNK', c.code)], ...(typeof c.display === 'string' && { intendedname: c.display }) });
      codes.push([productPath(n)]);
    }
  });
  const product: Code[] = [];
  const productPaths: string[] = [];
  productCodings.forEach((c, n) => {
    if (typeof c.code !== 'string') return;
    if (c.system === SYSTEM.atc) product.push(cd('CD-ATC', c.code));
    else if (c.system === SYSTEM.vaccinnetCode) product.push(cd('LOCAL', c.code, { sl: 'VACCINNETCODE' }));
    else return;
    productPaths.push(productPath(n));
  });
  if (product.length > 0) {
    contents.push({ kind: 'cd', cds: product });
    codes.push(productPaths);
  }
  const indications: Code[] = [];
  const indicationPaths: string[] = [];
  vaccineCodings.forEach((c, n) => {
    if (c.system === SYSTEM.vaccineIndication && typeof c.code === 'string') {
      indications.push(cd('CD-VACCINEINDICATION', c.code));
      indicationPaths.push(vaccinePath(n));
    }
  });
  if (indications.length === 0) {
    vaccineCodings.forEach((c, n) => {
      if (c.system !== SYSTEM.snomed || typeof c.code !== 'string') return;
      for (const i of indicationsOfSnomed(c.code)) {
        indications.push(cd('CD-VACCINEINDICATION', i));
        indicationPaths.push(vaccinePath(n));
      }
    });
  }
  if (indications.length > 0) {
    contents.push({ kind: 'cd', cds: indications });
    codes.push(indicationPaths);
  }
  return { contents, codes };
}
