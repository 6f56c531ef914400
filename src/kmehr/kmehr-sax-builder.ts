import { FindingError, finding } from '../status/finding.js';
import {
  KMEHR_NS,
  locate,
  type Code,
  type Content,
  type Folder,
  type HcParty,
  type Header,
  type Identifier,
  type Item,
  type Link,
  type LocalText,
  type Moment,
  type Patient,
  type Quantity,
  type Transaction,
} from './model.js';
import { doctypeFinding, SCANNER_LIMITS, type XmlLimits } from './xml-limits.js';
import { FastXmlScanner, XmlSyntaxError, type XmlScanHandlers } from './xml/fast-xml-scanner.js';

/** Where the builder delivers what it has read: the header once, then each folder as soon as it is complete. */
export interface KmehrSink {
  header(header: Header): void;
  folder(folder: Folder, index: number): void;
}

// Element kinds. Containers hold modelled children; leaves (L_*) capture their text. Anything else is skipped by
// counting depth only, so unmodelled subtrees (addresses, posology, sumehr content) cost no allocation.
const ROOT = 1;
const HEADER = 2;
const STANDARD = 3;
const SENDER = 4;
const RECIPIENT = 5;
const HCPARTY = 6;
const FOLDER = 7;
const PATIENT = 8;
const BIRTHDATE = 9;
const SEX = 10;
const TRANSACTION = 11;
const T_AUTHOR = 12;
const HEADING = 13;
const ITEM = 14;
const CONTENT = 15;
const MEDICINAL = 16;
const SUBSTANCE = 17;
const BEGIN = 18;
const END = 19;
const LIFECYCLE = 20;
const QUANTITY = 21;
const UNIT = 22;
const SITE = 23;
const ROUTE = 24;
const I_AUTHOR = 25;
const L_ID = 30;
const L_CD = 31;
const L_TEXT = 32;
const L_NAME = 33;
const L_FIRSTNAME = 34;
const L_FAMILYNAME = 35;
const L_DATE = 36;
const L_TIME = 37;
const L_ISCOMPLETE = 38;
const L_ISVALIDATED = 39;
const L_DECIMAL = 40;
const L_BATCH = 41;
const L_INTENDEDCD = 42;
const L_INTENDEDNAME = 43;
const L_USUALLANGUAGE = 44;
const L_LNK = 45;
const SKIP = 0;

/**
 * The modelled child kind of `local` under `parent`, or SKIP. Dispatches on the first character and then compares
 * one name: a fresh name compared with a row of literals one after the other cost more than building the model.
 */
function childKind(parent: number, local: string): number {
  const c0 = local.charCodeAt(0);
  switch (parent) {
    case ROOT:
      return local === 'folder' ? FOLDER : local === 'header' ? HEADER : SKIP;
    case HEADER:
      switch (c0) {
        case 0x73:
          return local === 'standard' ? STANDARD : local === 'sender' ? SENDER : SKIP; // s
        case 0x69:
          return local === 'id' ? L_ID : SKIP;
        case 0x64:
          return local === 'date' ? L_DATE : SKIP;
        case 0x74:
          return local === 'time' ? L_TIME : SKIP;
        case 0x72:
          return local === 'recipient' ? RECIPIENT : SKIP;
        default:
          return SKIP;
      }
    case STANDARD:
    case SEX:
    case LIFECYCLE:
    case SITE:
    case ROUTE:
    case UNIT:
      return local === 'cd' ? L_CD : SKIP;
    case SENDER:
    case RECIPIENT:
    case T_AUTHOR:
    case I_AUTHOR:
      return local === 'hcparty' ? HCPARTY : SKIP;
    case HCPARTY:
      switch (c0) {
        case 0x69:
          return local === 'id' ? L_ID : SKIP; // i
        case 0x63:
          return local === 'cd' ? L_CD : SKIP; // c
        case 0x6e:
          return local === 'name' ? L_NAME : SKIP; // n
        case 0x66:
          return local === 'firstname' ? L_FIRSTNAME : local === 'familyname' ? L_FAMILYNAME : SKIP; // f
        default:
          return SKIP;
      }
    case FOLDER:
      switch (c0) {
        case 0x74:
          return local === 'transaction' ? TRANSACTION : SKIP; // t
        case 0x69:
          return local === 'id' ? L_ID : SKIP; // i
        case 0x70:
          return local === 'patient' ? PATIENT : SKIP; // p
        default:
          return SKIP;
      }
    case PATIENT:
      switch (c0) {
        case 0x69:
          return local === 'id' ? L_ID : SKIP; // i
        case 0x66:
          return local === 'firstname' ? L_FIRSTNAME : local === 'familyname' ? L_FAMILYNAME : SKIP; // f
        case 0x62:
          return local === 'birthdate' ? BIRTHDATE : SKIP; // b
        case 0x73:
          return local === 'sex' ? SEX : SKIP; // s
        case 0x75:
          return local === 'usuallanguage' ? L_USUALLANGUAGE : SKIP; // u
        default:
          return SKIP;
      }
    case BIRTHDATE:
      return local === 'date' ? L_DATE : SKIP;
    case TRANSACTION:
      switch (c0) {
        case 0x69:
          return local === 'item' ? ITEM : local === 'id' ? L_ID : local === 'iscomplete' ? L_ISCOMPLETE : local === 'isvalidated' ? L_ISVALIDATED : SKIP;
        case 0x63:
          return local === 'cd' ? L_CD : SKIP; // c
        case 0x64:
          return local === 'date' ? L_DATE : SKIP; // d
        case 0x74:
          return local === 'time' ? L_TIME : local === 'text' ? L_TEXT : SKIP; // t
        case 0x61:
          return local === 'author' ? T_AUTHOR : SKIP; // a
        case 0x68:
          return local === 'heading' ? HEADING : SKIP; // h
        case 0x6c:
          return local === 'lnk' ? L_LNK : SKIP; // l
        default:
          return SKIP;
      }
    case HEADING:
      return local === 'item' ? ITEM : local === 'heading' ? HEADING : SKIP;
    case ITEM:
      switch (c0) {
        case 0x69:
          return local === 'id' ? L_ID : SKIP; // i
        case 0x63:
          return local === 'cd' ? L_CD : local === 'content' ? CONTENT : SKIP; // c
        case 0x74:
          return local === 'text' ? L_TEXT : SKIP; // t
        case 0x61:
          return local === 'author' ? I_AUTHOR : SKIP; // a
        case 0x62:
          return local === 'beginmoment' ? BEGIN : local === 'batch' ? L_BATCH : SKIP; // b
        case 0x65:
          return local === 'endmoment' ? END : SKIP; // e
        case 0x6c:
          return local === 'lifecycle' ? LIFECYCLE : SKIP; // l
        case 0x71:
          return local === 'quantity' ? QUANTITY : SKIP; // q
        case 0x73:
          return local === 'site' ? SITE : SKIP; // s
        case 0x72:
          return local === 'route' ? ROUTE : SKIP; // r
        default:
          return SKIP;
      }
    case CONTENT:
      switch (c0) {
        case 0x63:
          return local === 'cd' ? L_CD : SKIP; // c
        case 0x6d:
          return local === 'medicinalproduct' ? MEDICINAL : SKIP; // m
        case 0x73:
          return local === 'substanceproduct' ? SUBSTANCE : SKIP; // s
        case 0x74:
          return local === 'text' ? L_TEXT : SKIP; // t
        default:
          return SKIP;
      }
    case MEDICINAL:
    case SUBSTANCE:
      return local === 'intendedcd' ? L_INTENDEDCD : local === 'intendedname' ? L_INTENDEDNAME : SKIP;
    case BEGIN:
    case END:
      return local === 'date' ? L_DATE : local === 'time' ? L_TIME : SKIP;
    case QUANTITY:
      return local === 'decimal' ? L_DECIMAL : local === 'unit' ? UNIT : SKIP;
    default:
      return SKIP;
  }
}

// Drafts: mutable while their element is open, handed over as the readonly model types when it closes. Not frozen:
// ~40 objects and arrays per folder made Object.freeze ~5 % of a batch's parse + validation CPU (docs/decisions.md, KMEHR model).
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
interface HeaderDraft {
  standard?: Code;
  ids: Identifier[];
  date?: string;
  time?: string;
  senders: HcParty[];
  recipients: HcParty[];
}
interface HcPartyDraft {
  ids: Identifier[];
  cds: Code[];
  name?: string;
  firstname?: string;
  familyname?: string;
}
interface PatientDraft extends Omit<Mutable<Patient>, 'ids' | 'firstnames'> {
  ids: Identifier[];
  firstnames: string[];
}
interface FolderDraft {
  ids: Identifier[];
  patient?: Patient;
  transactions: Transaction[];
}
interface TransactionDraft extends Omit<Mutable<Transaction>, 'ids' | 'cds' | 'authors' | 'items' | 'texts' | 'links'> {
  ids: Identifier[];
  cds: Code[];
  authors: HcParty[];
  items: Item[];
  texts: LocalText[];
  links: Link[];
}
interface ItemDraft extends Omit<Mutable<Item>, 'ids' | 'cds' | 'contents' | 'texts' | 'authors'> {
  ids: Identifier[];
  cds: Code[];
  contents: Content[];
  texts: LocalText[];
  authors: HcParty[];
}
interface ContentDraft {
  cds: Code[] | undefined;
  texts: LocalText[] | undefined;
}
interface ProductDraft {
  intendedcds: Code[];
  intendedname?: string;
}

// Shared empty list for lists that are usually empty (item texts/authors, transaction texts/links): most folders
// then allocate no array for them. Frozen, unlike the model objects, because every message shares it.
const NONE = Object.freeze([]) as unknown as never[];

/** An attribute of a flat `[qname, value, …]` list (a handful per element: a linear search is fastest). */
function attr(attributes: readonly string[], name: string): string | undefined {
  for (let i = 0; i < attributes.length; i += 2) if (attributes[i] === name) return attributes[i + 1];
  return undefined;
}

/**
 * A `cd`/`id`-shaped element: S, SV, SL, DN, L and the trimmed text. One pass over the attributes (a lookup per
 * attribute name walked the list five times per code).
 */
function codeOf(attributes: readonly string[], value: string, withDisplay: boolean): Code {
  let s = '';
  let sv: string | undefined;
  let sl: string | undefined;
  let dn: string | undefined;
  let l: string | undefined;
  let seenS = false;
  for (let i = 0; i < attributes.length; i += 2) {
    const name = attributes[i]!;
    // First occurrence wins, as a lookup would (the scanner refuses duplicates anyway).
    switch (name) {
      case 'S':
        if (!seenS) {
          s = attributes[i + 1]!;
          seenS = true;
        }
        break;
      case 'SV':
        sv ??= attributes[i + 1];
        break;
      case 'SL':
        sl ??= attributes[i + 1];
        break;
      case 'DN':
        if (withDisplay) dn ??= attributes[i + 1];
        break;
      case 'L':
        if (withDisplay) l ??= attributes[i + 1];
        break;
    }
  }
  const code: Mutable<Code> = { s, value };
  if (sv !== undefined) code.sv = sv;
  if (sl !== undefined) code.sl = sl;
  if (dn !== undefined) code.dn = dn;
  if (l !== undefined) code.l = l;
  return code;
}

function identifierOf(attributes: readonly string[], value: string): Identifier {
  return codeOf(attributes, value, false) as Identifier;
}

function booleanOf(value: string): boolean | undefined {
  return value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : undefined;
}

/**
 * Streaming SAX builder for KMEHR messages, shared by `parseKmehr` and `streamKmehr`. Feed text with `write`,
 * finish with `close`. Every refusal is thrown as a `FindingError` at the point it is detected, which also stops
 * the parser at once (depth bombs, DOCTYPEs, malformed input).
 */
export class KmehrSaxBuilder implements XmlScanHandlers {
  readonly #parser: FastXmlScanner;
  readonly #kinds: number[] = [];
  #depth = 0;
  #skip = 0;
  #rootSeen = false;
  #capturing = false;
  #leafText = '';
  #leafAttributes: readonly string[] = [];
  // The last namespace string found equal to KMEHR_NS (see open).
  #kmehrUri: string | undefined = undefined;

  #header: HeaderDraft | undefined;
  #headerDone = false;
  #hcparty: HcPartyDraft | undefined;
  #folder: FolderDraft | undefined;
  #patient: PatientDraft | undefined;
  #transaction: TransactionDraft | undefined;
  #item: ItemDraft | undefined;
  readonly #content: ContentDraft = { cds: undefined, texts: undefined };
  #product: ProductDraft | undefined;
  #moment: Mutable<Moment> | undefined;
  #quantity: { decimal?: string; unit?: Code } | undefined;
  #folderIndex = 0;
  #transactionIndex = 0;
  #itemIndex = 0;

  readonly #limits: XmlLimits;
  readonly #sink: KmehrSink;

  constructor(limits: XmlLimits, sink: KmehrSink) {
    this.#limits = limits;
    this.#sink = sink;
    // The builder is the scanner's handler itself: its methods are the handlers, no closures made per message.
    // The scanner's own depth bound must not cut in before the configured one (which says XML_TOO_DEEP itself).
    const scanLimits = limits.maxDepth <= SCANNER_LIMITS.maxDepth ? SCANNER_LIMITS : { ...SCANNER_LIMITS, maxDepth: limits.maxDepth };
    this.#parser = new FastXmlScanner(this, scanLimits);
  }

  /** Scanner event (XmlScanHandlers): text of the element being read. */
  text(source: string, start: number, end: number): void {
    if (this.#capturing && this.#skip === 0) this.#leafText += source.slice(start, end);
  }

  /** Scanner event (XmlScanHandlers): a DOCTYPE is always refused. */
  doctype(declaration: string): void {
    throw new FindingError(doctypeFinding(declaration, this.#position()));
  }

  /** Parses the next piece of text. Throws `FindingError` on the first refusal. */
  write(chunk: string): void {
    try {
      this.#parser.write(chunk);
    } catch (err) {
      this.#malformed(err);
    }
  }

  /** Signals the end of input: refuses truncated documents and a missing header/folder. */
  end(): void {
    try {
      this.#parser.end();
    } catch (err) {
      this.#malformed(err);
    }
    if (!this.#rootSeen) this.#fail('XML_MALFORMED', '/', { detail: 'the document has no root element' });
  }

  #position(): { line: number; column: number } {
    return this.#parser.position();
  }

  /** A scanner syntax error becomes XML_MALFORMED (or its depth refusal XML_TOO_DEEP) at its own position; anything else (findings) passes. */
  #malformed(err: unknown): never {
    if (!(err instanceof XmlSyntaxError)) throw err;
    if (err.kind === 'too-deep') {
      const limit = Math.max(SCANNER_LIMITS.maxDepth, this.#limits.maxDepth);
      throw new FindingError(finding('XML_TOO_DEEP', { location: this.#currentLocation(), line: err.line, column: err.column, params: { limit } }));
    }
    throw new FindingError(finding('XML_MALFORMED', { location: this.#currentLocation(), line: err.line, column: err.column, params: { detail: err.detail } }));
  }

  /** The innermost modelled element being read, as an XPath (computed only when refusing, never per element). */
  #currentLocation(): string {
    const kinds = this.#kinds;
    for (let i = kinds.length - 1; i >= 0; i--) {
      switch (kinds[i]) {
        case ITEM:
          return this.#itemLocation();
        case TRANSACTION:
          return locate.transaction(this.#folderIndex, this.#transactionIndex);
        case PATIENT:
          return locate.patient(this.#folderIndex);
        case FOLDER:
          return locate.folder(this.#folderIndex);
        case HEADER:
          return locate.header();
        case ROOT:
          return locate.message();
      }
    }
    return '/';
  }

  #fail(
    code: 'XML_MALFORMED' | 'XML_TOO_DEEP' | 'KMEHR_NAMESPACE' | 'KMEHR_FIELD_MISSING',
    location: string | undefined,
    params: Record<string, string | number>,
    value?: string,
  ): never {
    throw new FindingError(
      finding(code, {
        location: location ?? this.#currentLocation(),
        ...(value !== undefined && { value }),
        ...this.#position(),
        params,
      }),
    );
  }

  #missing(field: string, location: string): never {
    this.#fail('KMEHR_FIELD_MISSING', location, { field });
  }

  /** Scanner event (XmlScanHandlers): an element starts. */
  open(uri: string, local: string, attributes: readonly string[]): void {
    if (++this.#depth > this.#limits.maxDepth) this.#fail('XML_TOO_DEEP', undefined, { limit: this.#limits.maxDepth });
    if (this.#skip !== 0) {
      this.#skip++;
      return;
    }
    const kinds = this.#kinds;
    if (kinds.length === 0) {
      if (local !== 'kmehrmessage' || uri !== KMEHR_NS) {
        const name = uri === '' ? local : `{${uri}}${local}`;
        this.#fail('KMEHR_NAMESPACE', '/', {}, name);
      }
      const encoding = this.#parser.xmlDeclEncoding;
      if (encoding !== undefined && !/^(utf-?8|utf-?16)$/i.test(encoding)) {
        this.#fail('XML_MALFORMED', '/', { detail: `encoding ${encoding} is not supported; send UTF-8` });
      }
      this.#rootSeen = true;
      kinds.push(ROOT);
      return;
    }
    // The scanner hands over the same namespace string (the declaration's value) for every element in its scope:
    // an identity test first spares comparing its 54 characters with the constant's for each of millions.
    let kind = SKIP;
    if (uri === this.#kmehrUri || (uri === KMEHR_NS && (this.#kmehrUri = uri) !== undefined)) kind = childKind(kinds[kinds.length - 1]!, local);
    if (kind === SKIP) {
      this.#skip = 1;
      return;
    }
    kinds.push(kind);
    if (kind >= L_ID) {
      this.#capturing = true;
      this.#leafText = '';
      this.#leafAttributes = attributes;
      return;
    }
    switch (kind) {
      case HEADER:
        this.#header = { ids: [], senders: [], recipients: [] };
        break;
      case HCPARTY:
        this.#hcparty = { ids: [], cds: [] };
        break;
      case FOLDER:
        if (!this.#headerDone) this.#missing('header', locate.message());
        this.#folder = { ids: [], transactions: [] };
        this.#transactionIndex = 0;
        break;
      case PATIENT:
        this.#patient = { ids: [], firstnames: [] };
        break;
      case TRANSACTION:
        this.#transaction = { ids: [], cds: [], authors: [], items: [], texts: NONE, links: NONE };
        this.#itemIndex = 0;
        break;
      case ITEM:
        this.#item = { ids: [], cds: [], contents: [], texts: NONE, authors: NONE };
        break;
      case CONTENT:
        this.#content.cds = undefined;
        this.#content.texts = undefined;
        break;
      case MEDICINAL:
      case SUBSTANCE:
        this.#product = { intendedcds: [] };
        break;
      case BEGIN:
      case END:
        this.#moment = {};
        break;
      case QUANTITY:
        this.#quantity = {};
        break;
      default:
        break;
    }
  }

  /** Scanner event (XmlScanHandlers): the current element ends. */
  close(): void {
    this.#depth--;
    if (this.#skip !== 0) {
      this.#skip--;
      return;
    }
    const kinds = this.#kinds;
    const kind = kinds.pop()!;
    const parent = kinds.length === 0 ? 0 : kinds[kinds.length - 1]!;
    if (kind >= L_ID) {
      this.#capturing = false;
      this.#closeLeaf(kind, parent, this.#leafText.trim());
      this.#leafText = '';
      return;
    }
    switch (kind) {
      case HEADER:
        this.#closeHeader();
        break;
      case HCPARTY:
        this.#closeHcParty(parent);
        break;
      case PATIENT: {
        const p = this.#patient!;
        this.#folder!.patient = p;
        this.#patient = undefined;
        break;
      }
      case FOLDER:
        this.#closeFolder();
        break;
      case TRANSACTION:
        this.#closeTransaction();
        break;
      case ITEM:
        this.#closeItem();
        break;
      case CONTENT:
        this.#closeContent();
        break;
      case MEDICINAL:
      case SUBSTANCE: {
        const p = this.#product!;
        const c: Mutable<Extract<Content, { kind: 'medicinalproduct' }>> = {
          kind: kind === MEDICINAL ? 'medicinalproduct' : 'substanceproduct',
          intendedcds: p.intendedcds,
        } as Mutable<Extract<Content, { kind: 'medicinalproduct' }>>;
        if (p.intendedname !== undefined) c.intendedname = p.intendedname;
        // Products go straight to the item, in document order.
        this.#item!.contents.push(c as Content);
        this.#product = undefined;
        break;
      }
      case BEGIN:
        this.#item!.beginmoment = this.#moment!;
        this.#moment = undefined;
        break;
      case END:
        this.#item!.endmoment = this.#moment!;
        this.#moment = undefined;
        break;
      case QUANTITY: {
        const q = this.#quantity!;
        if (q.decimal === undefined) this.#missing('decimal', `${this.#itemLocation()}/quantity`);
        this.#item!.quantity = q as Quantity;
        this.#quantity = undefined;
        break;
      }
      case ROOT:
        if (!this.#headerDone) this.#missing('header', locate.message());
        if (this.#folderIndex === 0) this.#missing('folder', locate.message());
        break;
      default:
        break;
    }
  }

  #itemLocation(): string {
    return locate.item(this.#folderIndex, this.#transactionIndex, this.#itemIndex);
  }

  #closeLeaf(kind: number, parent: number, value: string): void {
    const attributes = this.#leafAttributes;
    switch (kind) {
      case L_ID: {
        const id = identifierOf(attributes, value);
        switch (parent) {
          case ITEM:
            this.#item!.ids.push(id);
            break;
          case TRANSACTION:
            this.#transaction!.ids.push(id);
            break;
          case HCPARTY:
            this.#hcparty!.ids.push(id);
            break;
          case PATIENT:
            this.#patient!.ids.push(id);
            break;
          case FOLDER:
            this.#folder!.ids.push(id);
            break;
          case HEADER:
            this.#header!.ids.push(id);
            break;
        }
        break;
      }
      case L_CD: {
        const cd = codeOf(attributes, value, true);
        switch (parent) {
          case ITEM:
            this.#item!.cds.push(cd);
            break;
          case CONTENT:
            (this.#content.cds ??= []).push(cd);
            break;
          case TRANSACTION:
            this.#transaction!.cds.push(cd);
            break;
          case HCPARTY:
            this.#hcparty!.cds.push(cd);
            break;
          case LIFECYCLE:
            this.#item!.lifecycle = cd;
            break;
          case SITE:
            this.#item!.site = cd;
            break;
          case ROUTE:
            this.#item!.route = cd;
            break;
          case UNIT:
            this.#quantity!.unit = cd;
            break;
          case SEX:
            this.#patient!.sex = cd;
            break;
          case STANDARD:
            this.#header!.standard = cd;
            break;
        }
        break;
      }
      case L_TEXT: {
        const text: LocalText = { l: attr(attributes, 'L') ?? '', value };
        if (parent === CONTENT) {
          (this.#content.texts ??= []).push(text);
        } else {
          const owner = parent === ITEM ? this.#item! : this.#transaction!;
          if (owner.texts === NONE) owner.texts = [];
          owner.texts.push(text);
        }
        break;
      }
      case L_DATE:
        switch (parent) {
          case BEGIN:
          case END:
            this.#moment!.date = value;
            break;
          case TRANSACTION:
            this.#transaction!.date = value;
            break;
          case BIRTHDATE:
            this.#patient!.birthdate = value;
            break;
          case HEADER:
            this.#header!.date = value;
            break;
        }
        break;
      case L_TIME:
        switch (parent) {
          case BEGIN:
          case END:
            this.#moment!.time = value;
            break;
          case TRANSACTION:
            this.#transaction!.time = value;
            break;
          case HEADER:
            this.#header!.time = value;
            break;
        }
        break;
      case L_NAME:
        this.#hcparty!.name = value;
        break;
      case L_FIRSTNAME:
        if (parent === PATIENT) this.#patient!.firstnames.push(value);
        else this.#hcparty!.firstname = value;
        break;
      case L_FAMILYNAME:
        if (parent === PATIENT) this.#patient!.familyname = value;
        else this.#hcparty!.familyname = value;
        break;
      case L_ISCOMPLETE: {
        const b = booleanOf(value);
        if (b !== undefined) this.#transaction!.iscomplete = b;
        break;
      }
      case L_ISVALIDATED: {
        const b = booleanOf(value);
        if (b !== undefined) this.#transaction!.isvalidated = b;
        break;
      }
      case L_DECIMAL:
        this.#quantity!.decimal = value;
        break;
      case L_BATCH:
        this.#item!.batch = value;
        break;
      case L_INTENDEDCD:
        this.#product!.intendedcds.push(codeOf(attributes, value, true));
        break;
      case L_INTENDEDNAME:
        this.#product!.intendedname = value;
        break;
      case L_USUALLANGUAGE:
        this.#patient!.usuallanguage = value;
        break;
      case L_LNK: {
        const link: Mutable<Link> = { type: attr(attributes, 'TYPE') ?? '' };
        const url = attr(attributes, 'URL');
        if (url !== undefined) link.url = url;
        const t = this.#transaction!;
        if (t.links === NONE) t.links = [];
        t.links.push(link);
        break;
      }
    }
  }

  #closeHeader(): void {
    const h = this.#header!;
    const at = locate.header();
    if (h.standard === undefined) this.#missing('standard', at);
    if (h.date === undefined) this.#missing('date', at);
    if (h.time === undefined) this.#missing('time', at);
    this.#header = undefined;
    this.#headerDone = true;
    this.#sink.header(h as Header);
  }

  #closeHcParty(parent: number): void {
    const p = this.#hcparty!;
    const party = p as HcParty;
    this.#hcparty = undefined;
    switch (parent) {
      case T_AUTHOR:
        this.#transaction!.authors.push(party);
        break;
      case I_AUTHOR: {
        const i = this.#item!;
        if (i.authors === NONE) i.authors = [];
        i.authors.push(party);
        break;
      }
      case SENDER:
        this.#header!.senders.push(party);
        break;
      case RECIPIENT:
        this.#header!.recipients.push(party);
        break;
    }
  }

  #closeFolder(): void {
    const f = this.#folder!;
    const at = locate.folder(this.#folderIndex);
    if (f.patient === undefined) this.#missing('patient', at);
    if (f.transactions.length === 0) this.#missing('transaction', at);
    this.#folder = undefined;
    this.#sink.folder(f as Folder, this.#folderIndex++);
  }

  #closeTransaction(): void {
    const t = this.#transaction!;
    this.#transaction = undefined;
    this.#folder!.transactions.push(t);
    this.#transactionIndex++;
  }

  #closeItem(): void {
    const i = this.#item!;
    this.#item = undefined;
    this.#transaction!.items.push(i);
    this.#itemIndex++;
  }

  /**
   * One `content` holds one choice in the XSD; an invalid mix keeps every modelled part rather than drop data.
   * A content with nothing modelled (hcparty, person, decimal…) adds nothing.
   */
  #closeContent(): void {
    const c = this.#content;
    const contents = this.#item!.contents;
    if (c.cds !== undefined) contents.push({ kind: 'cd', cds: c.cds });
    if (c.texts !== undefined) contents.push({ kind: 'text', texts: c.texts });
    c.cds = undefined;
    c.texts = undefined;
  }
}
