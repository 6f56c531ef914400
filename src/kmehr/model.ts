/**
 * The KMEHR `vaccination` message as the registry reads and writes it (kmehr-vaccination.md).
 *
 * Parsed messages are immutable trees: every interface is readonly, and TypeScript refuses writes for every consumer.
 * The reader does not Object.freeze the objects it builds (a batch builds millions: docs/decisions.md); code that
 * keys caches on model objects (rules, product codes) relies on this readonly contract.
 * Only the fields the registry uses are modelled; the parser skips everything else without failing, and the
 * writer emits only what the model holds, in XSD order. Text values are kept exactly as submitted (trimmed),
 * so a parse → write → parse round trip is lossless for every field below.
 *
 * Spec: KMEHR 1.43.1, namespace http://www.ehealth.fgov.be/standards/kmehr/schema/v1.
 */

export const KMEHR_NS = 'http://www.ehealth.fgov.be/standards/kmehr/schema/v1';

/** A KMEHR `cd` (or `intendedcd`): scheme `S`, version `SV`, local scheme name `SL`, display name `DN`, language `L`. */
export interface Code {
  readonly s: string;
  readonly sv?: string;
  readonly sl?: string;
  readonly dn?: string;
  readonly l?: string;
  readonly value: string;
}

/** A KMEHR `id`: same attributes as a code, e.g. `<id S="ID-KMEHR" SV="1.0">1</id>`, `<id S="LOCAL" SL="…">uuid</id>`. */
export interface Identifier {
  readonly s: string;
  readonly sv?: string;
  readonly sl?: string;
  readonly value: string;
}

/** `text` with its language: `<text L="nl">Covid-19 vaccines</text>`. */
export interface LocalText {
  readonly l: string;
  readonly value: string;
}

/** A healthcare party (`hcparty`) in sender, recipient or author. */
export interface HcParty {
  readonly ids: readonly Identifier[];
  readonly cds: readonly Code[];
  readonly name?: string;
  readonly firstname?: string;
  readonly familyname?: string;
}

export interface Header {
  /** `standard/cd[S=CD-STANDARD]`, e.g. "20120701". */
  readonly standard: Code;
  readonly ids: readonly Identifier[];
  readonly date: string;
  readonly time: string;
  readonly senders: readonly HcParty[];
  readonly recipients: readonly HcParty[];
}

export interface Patient {
  readonly ids: readonly Identifier[];
  readonly firstnames: readonly string[];
  readonly familyname?: string;
  /** `birthdate/date`, YYYY-MM-DD. */
  readonly birthdate?: string;
  /** `sex/cd[S=CD-SEX]`: male, female, unknown, changed, undefined. */
  readonly sex?: Code;
  readonly usuallanguage?: string;
}

/** What `item/content` can carry for a vaccine. One `content` element holds exactly one of these. */
export type Content =
  | { readonly kind: 'cd'; readonly cds: readonly Code[] }
  | {
      readonly kind: 'medicinalproduct';
      /** `intendedcd`, S="CD-DRUG-CNK" (CNK, 7 digits) or other drug schemes. */
      readonly intendedcds: readonly Code[];
      readonly intendedname?: string;
    }
  | {
      readonly kind: 'substanceproduct';
      /** `intendedcd`, S="CD-INNCLUSTER" etc. */
      readonly intendedcds: readonly Code[];
      readonly intendedname?: string;
    }
  | { readonly kind: 'text'; readonly texts: readonly LocalText[] };

export interface Moment {
  readonly date?: string;
  readonly time?: string;
}

export interface Quantity {
  /** `quantity/decimal` as written (e.g. "1.00"), kept as text so round trips are exact. */
  readonly decimal: string;
  readonly unit?: Code;
}

export interface Item {
  readonly ids: readonly Identifier[];
  /** `cd` elements: CD-ITEM ("vaccine", "encounterlocation", "adr", …) and any others. */
  readonly cds: readonly Code[];
  readonly contents: readonly Content[];
  readonly texts: readonly LocalText[];
  readonly authors: readonly HcParty[];
  readonly beginmoment?: Moment;
  readonly endmoment?: Moment;
  /** `lifecycle/cd[S=CD-LIFECYCLE]`. */
  readonly lifecycle?: Code;
  readonly quantity?: Quantity;
  readonly site?: Code;
  readonly route?: Code;
  /** The lot number: `item/batch` (after route, before instructionforpatient). */
  readonly batch?: string;
}

/** A transaction-level `lnk` (e.g. a link to an adverse-event report); rule 3 refuses these on COVID-19 doses. */
export interface Link {
  readonly type: string;
  readonly url?: string;
}

export interface Transaction {
  readonly ids: readonly Identifier[];
  /** `cd` elements: CD-TRANSACTION ("vaccination") and any others (e.g. CD-TRANSACTION-MAB). */
  readonly cds: readonly Code[];
  readonly date?: string;
  readonly time?: string;
  readonly authors: readonly HcParty[];
  readonly iscomplete?: boolean;
  readonly isvalidated?: boolean;
  /** Every item of the transaction in document order, also the ones nested in `heading`s. */
  readonly items: readonly Item[];
  /** Transaction-level `text` elements. */
  readonly texts: readonly LocalText[];
  readonly links: readonly Link[];
}

export interface Folder {
  readonly ids: readonly Identifier[];
  readonly patient: Patient;
  readonly transactions: readonly Transaction[];
}

export interface KmehrMessage {
  readonly header: Header;
  readonly folders: readonly Folder[];
}

/** Helpers for reading the model; every consumer would otherwise write these loops again. */
export function codeOf(cds: readonly Code[], scheme: string, sl?: string): Code | undefined {
  const s = scheme.toUpperCase();
  return cds.find((c) => c.s.toUpperCase() === s && (sl === undefined || (c.sl ?? '').toUpperCase() === sl.toUpperCase()));
}

export function idOf(ids: readonly Identifier[], scheme: string, sl?: string): Identifier | undefined {
  return codeOf(ids as readonly Code[], scheme, sl);
}

/** The CD-ITEM value of an item, lower-cased ("vaccine", "adr", …), or undefined. */
export function itemType(item: Item): string | undefined {
  // As `codeOf(item.cds, 'CD-ITEM')`, without a closure or upper-casing the usual spelling: the rules ask this for
  // every item of a batch.
  const cds = item.cds;
  for (let j = 0; j < cds.length; j++) {
    const s = cds[j]!.s;
    if (s === 'CD-ITEM' || s.toUpperCase() === 'CD-ITEM') return cds[j]!.value.toLowerCase();
  }
  return undefined;
}

/** XPath-style locations, 1-based like XPath, used in every finding. */
export const locate = {
  message: (): string => '/kmehrmessage',
  header: (): string => '/kmehrmessage/header',
  folder: (f: number): string => `/kmehrmessage/folder[${f + 1}]`,
  patient: (f: number): string => `/kmehrmessage/folder[${f + 1}]/patient`,
  transaction: (f: number, t: number): string => `/kmehrmessage/folder[${f + 1}]/transaction[${t + 1}]`,
  item: (f: number, t: number, i: number): string => `/kmehrmessage/folder[${f + 1}]/transaction[${t + 1}]/item[${i + 1}]`,
} as const;
