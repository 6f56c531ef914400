import type { Code, HcParty, Header, Identifier, Item, Transaction } from '../kmehr/model.js';
import type { VaccineProduct } from '../kmehr/codelists/vaccine-product.js';

/** The organisation that sends a batch and the doctor responsible for its vaccinations (kmehr-vaccination.md). */
export interface BatchSender {
  /** Vaccinnet user code (`gebruikersId`), sent as the sender's `id[@S='LOCAL']`. */
  readonly userCode: string;
  /** NIHII-8 of the organisation (`ID-HCPARTY`); give this or `cbe`. */
  readonly nihii?: string;
  /** Enterprise number (`ID-CBE`) when the organisation has no NIHII. */
  readonly cbe?: string;
  /** CD-HCPARTY of the organisation; default `orghospital`. */
  readonly type?: string;
  readonly name: string;
  /** NIHII-11 of the responsible doctor: the author of every transaction. */
  readonly doctorNihii: string;
  readonly doctorFirstname?: string;
  readonly doctorFamilyname?: string;
}

/** SL of the sender's user code and of the transactions' LOCAL UUIDs (our choice; the SL value is free). */
export const USER_CODE_SL = 'VACCINNET-USER';
export const LOCAL_UUID_SL = 'UUID';

const cd = (s: string, value: string, sl?: string): Code => ({ s, sv: '1.0', value, ...(sl !== undefined && { sl }) });

/** The organisation as `sender/hcparty`. */
export function organisationParty(s: BatchSender): HcParty {
  const ids: Identifier[] = [{ s: 'LOCAL', sl: USER_CODE_SL, sv: '1.0', value: s.userCode }];
  if (s.nihii !== undefined) ids.push({ s: 'ID-HCPARTY', sv: '1.0', value: s.nihii });
  if (s.cbe !== undefined) ids.push({ s: 'ID-CBE', sv: '1.0', value: s.cbe });
  return { ids, cds: [cd('CD-HCPARTY', s.type ?? 'orghospital')], name: s.name };
}

/** The responsible doctor as `transaction/author/hcparty`. */
export function doctorParty(s: BatchSender): HcParty {
  return {
    ids: [{ s: 'ID-HCPARTY', sv: '1.0', value: s.doctorNihii }],
    cds: [cd('CD-HCPARTY', 'persphysician')],
    firstname: s.doctorFirstname ?? 'Responsible',
    familyname: s.doctorFamilyname ?? 'Doctor',
  };
}

/** The batch message header: standard 20161201 (what the batch tool sends), sender organisation, recipient VAZG. */
export function batchHeader(s: BatchSender, at: { readonly date: string; readonly time: string; readonly millis: number }): Header {
  return {
    standard: cd('CD-STANDARD', '20161201'),
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: `${s.nihii ?? s.cbe ?? s.userCode}.${at.millis}` }],
    date: at.date,
    time: at.time,
    senders: [organisationParty(s)],
    recipients: [{ ids: [], cds: [cd('CD-HCPARTY', 'orgpublichealth')], name: 'VAZG' }],
  };
}

/**
 * The `vaccine` item of one administered dose: the product by CNK (with its name) when known, else by Vaccinnet
 * code, completed with the table's indications, ATC and Vaccinnet code so the registry can classify it either way.
 */
export function vaccineItem(product: VaccineProduct, date: string, lot: string | undefined): Item {
  const codes: Code[] = [
    ...product.indications.map((i) => cd('CD-VACCINEINDICATION', i)),
    ...(product.atc !== undefined ? [cd('CD-ATC', product.atc)] : []),
    ...(product.vaccinnetCode !== undefined ? [cd('LOCAL', product.vaccinnetCode, 'VACCINNETCODE')] : []),
  ];
  return {
    ids: [{ s: 'ID-KMEHR', sv: '1.0', value: '1' }],
    cds: [cd('CD-ITEM', 'vaccine')],
    contents: [
      ...(product.cnk !== undefined
        ? [
            {
              kind: 'medicinalproduct' as const,
              intendedcds: [cd('CD-DRUG-CNK', product.cnk)],
              intendedname: product.name ?? product.description ?? product.cnk,
            },
          ]
        : []),
      ...(codes.length > 0 ? [{ kind: 'cd' as const, cds: codes }] : []),
    ],
    texts: [],
    authors: [],
    beginmoment: { date },
    lifecycle: cd('CD-LIFECYCLE', 'administrated'),
    quantity: { decimal: '1' },
    ...(lot !== undefined && lot !== '' && { batch: lot }),
  };
}

/** Date and time in Europe/Brussels (the registry's clock), as KMEHR writes them. */
export function brusselsMoment(now: Date): { readonly date: string; readonly time: string; readonly millis: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Brussels',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}`, millis: now.getTime() };
}

/**
 * One batch transaction: the n-th (1-based) vaccination of a folder, identified for the sender by its LOCAL UUID
 * (the key the results and a later Aanvulling match on), authored by the responsible doctor.
 */
export function vaccinationTransaction(
  n: number,
  localId: string,
  at: { readonly date: string; readonly time: string },
  author: HcParty,
  item: Item,
): Transaction {
  return {
    ids: [
      { s: 'ID-KMEHR', sv: '1.0', value: String(n) },
      { s: 'LOCAL', sl: LOCAL_UUID_SL, sv: '1.0', value: localId },
    ],
    cds: [cd('CD-TRANSACTION', 'vaccination')],
    date: at.date,
    time: at.time,
    authors: [author],
    iscomplete: true,
    isvalidated: true,
    items: [item],
    texts: [],
    links: [],
  };
}
