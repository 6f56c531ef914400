import type { SaxesTagNS } from 'saxes';
import { saxesTagOf } from './scanner-tag.js';
import { decodeXml } from '../../kmehr/xml-decode.js';
import { plainUtf8Text } from './scanner-readable.js';
import { DEFAULT_XML_LIMITS, screenXml, type XmlLimits } from '../../kmehr/xml-limits.js';
import { finding, type Finding } from '../../status/finding.js';
import type { C14nElement } from '../../wssec/exc-c14n.js';
import { createXmlEventReader, XmlReadError, type XmlEventHandlers } from '../../wssec/xml-event-reader.js';
import { xmlReadFinding } from '../../wssec/xml-read-finding.js';
import { decodeBase64Strict } from './base64-strict.js';
import { EnvelopeAbort, EnvelopeWalker, type BodyHandler } from './envelope-walker.js';
import { V21_MESSAGE_NS, V21_NS } from '../../contracts/namespaces.js';
import { normaliseSoapAction, REGISTRATIE_OPERATIONS, registratieAction, type RegistratieOperation } from '../../contracts/operations.js';
import { MAX_MESSAGES_PER_CALL, REGISTRATIE_SEQUENCES } from '../../contracts/registratie-contract.js';
import type { RegistratieReadResult, RegistratieRequest, SubmittedKmehr } from '../../contracts/registratie-request.js';
import { SequenceChecker } from './sequence-checker.js';
import { operationOf, type OperationNaming } from './operation-element.js';

interface Leaf {
  readonly name: string;
  readonly text: string;
  readonly occurrence: number;
  readonly disableStockChange?: boolean;
}

const BOOLEAN: Readonly<Record<string, boolean>> = { true: true, '1': true, false: false, '0': false };

// Collects the flat children of the operation element; anything nested deeper is a contract violation.
const REGISTRATIE_NAMING: OperationNaming<RegistratieOperation> = {
  namespace: V21_NS,
  operations: REGISTRATIE_OPERATIONS,
  requestElement: (o) => `${o}Request`,
  action: registratieAction,
};

class RegistratieBodyHandler implements BodyHandler {
  readonly #soapAction: string | undefined;
  operation: RegistratieOperation | undefined;
  #sequence: SequenceChecker | undefined;
  readonly leaves: Leaf[] = [];
  #current: { name: string; occurrence: number; parts: string[] | undefined; disableStockChange?: boolean } | undefined;
  messageCount = 0;

  constructor(soapAction: string | undefined) {
    this.#soapAction = soapAction;
  }

  open(tag: SaxesTagNS, depth: number, w: EnvelopeWalker): void {
    if (depth === 0) return this.#openOperation(tag, w);
    const opPath = w.operationPath;
    if (depth > 1) {
      w.contract(`${opPath}/${this.#current?.name ?? ''}/${tag.local}`, `element ${this.#current?.name} may not contain elements`);
    }
    if (tag.uri !== V21_MESSAGE_NS) {
      w.contract(`${opPath}/${tag.local}`, `element ${tag.local} must be in namespace ${V21_MESSAGE_NS}, not "${tag.uri}"`);
    }
    const occurrence = this.#sequence!.next(tag.local, w);
    const isMessage = tag.local === 'Base64EncodedKmehrmessage';
    const path = isMessage ? `${opPath}/${tag.local}[${occurrence}]` : `${opPath}/${tag.local}`;
    let disableStockChange: boolean | undefined;
    for (const attr of Object.values(tag.attributes)) {
      if (attr.prefix === 'xmlns' || attr.name === 'xmlns' || attr.uri !== '') continue;
      if (isMessage && attr.local === 'DisableStockChange') {
        disableStockChange = BOOLEAN[attr.value.trim()];
        if (disableStockChange === undefined) {
          w.contract(`${path}/@DisableStockChange`, 'DisableStockChange must be true, false, 1 or 0', attr.value);
        }
        continue;
      }
      w.contract(`${path}/@${attr.local}`, `attribute ${attr.local} is not allowed on ${tag.local}`);
    }
    if (isMessage) this.messageCount = occurrence;
    // Count every message but keep the text of the first five only: a sixth is refused without decoding.
    const keep = !isMessage || occurrence <= MAX_MESSAGES_PER_CALL;
    this.#current = { name: tag.local, occurrence, parts: keep ? [] : undefined, ...(disableStockChange !== undefined && { disableStockChange }) };
  }

  #openOperation(tag: SaxesTagNS, w: EnvelopeWalker): void {
    const op = operationOf(tag, w, REGISTRATIE_NAMING, this.#soapAction);
    this.operation = op;
    this.#sequence = new SequenceChecker(REGISTRATIE_SEQUENCES[op], w.operationPath);
  }

  text(text: string, depth: number, w: EnvelopeWalker): void {
    if (depth === 1) {
      this.#current?.parts?.push(text);
    } else if (depth === 0 && text.trim() !== '') {
      w.contract(w.operationPath, 'text is not allowed between the elements of the request');
    }
  }

  close(_tag: SaxesTagNS, depth: number, w: EnvelopeWalker): void {
    if (depth === 0) {
      this.#sequence!.end(w);
      return;
    }
    if (depth !== 1 || this.#current === undefined) return;
    const c = this.#current;
    if (c.parts !== undefined) {
      this.leaves.push({
        name: c.name,
        text: c.parts.join(''),
        occurrence: c.occurrence,
        ...(c.disableStockChange !== undefined && { disableStockChange: c.disableStockChange }),
      });
    }
    this.#current = undefined;
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$/;

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Reads a RegistratieService (VaccinationService 2.1) SOAP request into a typed request, checking the contract of
 * wire-contracts.md §1 on the way: SOAP 1.1 frame, known operation, SOAPAction (when sent) matching the body
 * element, the children's namespace, order and cardinality, more than five messages (counted, not decoded),
 * strict base64 per message. The SOAP Header is ignored here: WS-Security is verified separately on the raw bytes.
 * Never throws on bad input. One read: the screen, then one scan (saxes only for a body that is not plain UTF-8).
 *
 * @param body - the HTTP request body as received
 * @param soapAction - the `SOAPAction` HTTP header as received (quotes allowed); absent or empty means "not sent"
 * @param limits - size and depth limits (default 10 MiB, 64 levels)
 * @example
 * const read = readRegistratieRequest(body, req.headers.soapaction);
 * if (!read.ok) return reply(read.finding);
 * if (read.request.operation === 'AddVaccinations') read.request.messages[0].kmehr;
 */
export function readRegistratieRequest(body: Buffer, soapAction?: string, limits: XmlLimits = DEFAULT_XML_LIMITS): RegistratieReadResult {
  const screened = screenXml(body, limits);
  if (screened !== undefined) return { ok: false, finding: screened };
  const text = plainUtf8Text(body);
  if (text === undefined) return readScreenedWithSaxes(body, soapAction, limits);
  const listener = listenForRegistratieRequest(text, soapAction, limits);
  const reader = createXmlEventReader(listener.handlers);
  listener.readFrom(reader);
  let scanFailure: Finding | undefined;
  try {
    reader.write(text);
    reader.end();
  } catch (err) {
    if (!(err instanceof XmlReadError)) throw err;
    scanFailure = xmlReadFinding(err, listener.positionAt(reader.offset));
  }
  return listener.result(scanFailure);
}

/** Feeds the envelope walker from another reader's events; see {@link listenForRegistratieRequest}. */
export interface RegistratieRequestListener {
  readonly handlers: XmlEventHandlers;
  /** The reader whose events these are: its offset places a finding (line and column in the text). */
  readFrom(reader: { readonly offset: number }): void;
  /** Line and column (1-based) of an offset in the text. */
  positionAt(offset: number): { line: number; column: number };
  /**
   * Call once the reader is done. `scanFailure`: the reader refused the document (it stopped there). The first
   * problem in document order is the answer — a contract finding of the listener, or the reader's refusal — else the
   * request; never undefined, so a refused body is not read a second time.
   */
  result(scanFailure?: Finding): RegistratieReadResult;
}

/**
 * The read of {@link readRegistratieRequest} (issue 4, issue 12 §2): the envelope walker and contract checks fed
 * from the WS-Security scanner's events, so a signed request is scanned once for both the signature and the request.
 * Its findings carry the line and column (1-based) of the markup where the problem was seen. The screen (size,
 * DOCTYPE) is the caller's.
 */
export function listenForRegistratieRequest(text: string, soapAction: string | undefined, limits: XmlLimits): RegistratieRequestListener {
  return new ScannerListener(text, soapAction, limits);
}

/* The listener's state in one object per request; its methods are the tokenizer's handlers. */
class ScannerListener implements RegistratieRequestListener, XmlEventHandlers {
  readonly handlers: XmlEventHandlers = this;
  readonly #text: string;
  readonly #handler: RegistratieBodyHandler;
  readonly #walker: EnvelopeWalker;
  readonly #open: SaxesTagNS[] = [];
  #reader: { readonly offset: number } | undefined;
  /** The first contract finding (the walker stops listening then). */
  #failure: Finding | undefined;
  #closedRoot = false;

  constructor(text: string, soapAction: string | undefined, limits: XmlLimits) {
    this.#text = text;
    this.#handler = new RegistratieBodyHandler(normaliseSoapAction(soapAction));
    this.#walker = new EnvelopeWalker(this.#handler, limits.maxDepth, false);
    this.#walker.positionSource = this;
  }

  readFrom(reader: { readonly offset: number }): void {
    this.#reader = reader;
  }

  position(): { line: number; column: number } {
    return this.positionAt(this.#reader?.offset ?? 0);
  }

  // Counted only when a finding needs it: a refusal is rare, and the text is in memory anyway.
  positionAt(offset: number): { line: number; column: number } {
    const text = this.#text;
    let line = 1;
    let lineStart = 0;
    for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      line += 1;
      lineStart = nl + 1;
    }
    return { line, column: offset - lineStart + 1 };
  }

  // A contract violation or a limit stops the listening; the reader's events after it are ignored.
  open(el: C14nElement): void {
    if (this.#failure !== undefined) return;
    try {
      const tag = saxesTagOf(el);
      this.#open.push(tag);
      this.#walker.openElement(tag);
    } catch (err) {
      this.#stop(err);
    }
  }

  close(): void {
    if (this.#failure !== undefined) return;
    try {
      this.#walker.closeElement(this.#open.pop() as SaxesTagNS);
      if (this.#open.length === 0) this.#closedRoot = true;
    } catch (err) {
      this.#stop(err);
    }
  }

  text(t: string): void {
    if (this.#failure !== undefined) return;
    try {
      this.#walker.characters(t);
    } catch (err) {
      this.#stop(err);
    }
  }

  processingInstruction(): void {
    // saxes mode ignores them too
  }

  #stop(err: unknown): void {
    if (!(err instanceof EnvelopeAbort)) throw err;
    this.#failure = err.finding;
  }

  result(scanFailure?: Finding): RegistratieReadResult {
    const operation = this.#handler.operation;
    const refused = (f: Finding): RegistratieReadResult => ({ ok: false, finding: f, ...(operation !== undefined && { operation }) });
    if (this.#failure !== undefined) return refused(this.#failure);
    if (scanFailure !== undefined) return refused(scanFailure);
    if (!this.#closedRoot) return refused(finding('XML_MALFORMED', { params: { detail: 'the document ended early' } }));
    try {
      this.#walker.endDocument();
    } catch (err) {
      if (!(err instanceof EnvelopeAbort)) throw err;
      return refused(err.finding);
    }
    return buildRequest(this.#handler, this.#walker);
  }
}

/**
 * The saxes reader: for bodies the scanner does not read (a BOM, UTF-16, invalid UTF-8), and the reference the
 * scanner read is differentially tested against.
 */
export function readRegistratieRequestWithSaxes(body: Buffer, soapAction: string | undefined, limits: XmlLimits = DEFAULT_XML_LIMITS): RegistratieReadResult {
  const screened = screenXml(body, limits);
  if (screened !== undefined) return { ok: false, finding: screened };
  return readScreenedWithSaxes(body, soapAction, limits);
}

/** saxes over a body the caller already screened (size, DOCTYPE). */
export function readScreenedWithSaxes(body: Buffer, soapAction: string | undefined, limits: XmlLimits): RegistratieReadResult {
  const handler = new RegistratieBodyHandler(normaliseSoapAction(soapAction));
  const walker = new EnvelopeWalker(handler, limits.maxDepth);
  try {
    walker.write(decodeXml(body));
    walker.close();
    return buildRequest(handler, walker);
  } catch (e) {
    if (!(e instanceof EnvelopeAbort)) throw e;
    return { ok: false, finding: e.finding, ...(handler.operation !== undefined && { operation: handler.operation }) };
  }
}

// xs:string values are trimmed (our choice): line-wrapping clients must not turn an id into a different one.
function leafValue(h: RegistratieBodyHandler, name: string): string | undefined {
  return h.leaves.find((l) => l.name === name)?.text.trim();
}

function buildRequest(h: RegistratieBodyHandler, w: EnvelopeWalker): RegistratieReadResult {
  const operation = h.operation!;
  const opPath = w.operationPath;
  if (h.messageCount > MAX_MESSAGES_PER_CALL) {
    return {
      ok: false,
      operation,
      finding: finding('SOAP_TOO_MANY_MESSAGES', { location: `${opPath}/Base64EncodedKmehrmessage`, value: String(h.messageCount) }),
    };
  }
  const base = {
    softwareId: leafValue(h, 'SoftwareId')!,
    patientId: leafValue(h, 'PatientId')!,
    ...(leafValue(h, 'VaccinnetId') !== undefined && { vaccinnetId: leafValue(h, 'VaccinnetId')! }),
  };
  let request: RegistratieRequest;
  switch (operation) {
    case 'AddVaccinations': {
      const messages: SubmittedKmehr[] = [];
      for (const leaf of h.leaves.filter((l) => l.name === 'Base64EncodedKmehrmessage')) {
        const kmehr = decodeBase64Strict(leaf.text);
        const location = `${opPath}/Base64EncodedKmehrmessage[${leaf.occurrence}]`;
        if (kmehr === undefined) return { ok: false, operation, finding: finding('SOAP_BASE64_INVALID', { location }) };
        messages.push(Object.freeze({ kmehr, ...(leaf.disableStockChange !== undefined && { disableStockChange: leaf.disableStockChange }) }));
      }
      request = { operation, ...base, messages: Object.freeze(messages) };
      break;
    }
    case 'RemoveVaccination':
      request = { operation, ...base, vaccinationId: leafValue(h, 'VaccinationId')! };
      break;
    case 'GetVaccinations': {
      const since = leafValue(h, 'vaccinationDateSince');
      if (since !== undefined) {
        const m = DATE.exec(since);
        if (m === null || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
          return {
            ok: false,
            operation,
            finding: finding('SOAP_CONTRACT', { location: `${opPath}/vaccinationDateSince`, value: since, params: { detail: 'not an xs:date (YYYY-MM-DD)' } }),
          };
        }
      }
      request = { operation, ...base, ...(since !== undefined && { vaccinationDateSince: since.slice(0, 10) }) };
      break;
    }
  }
  return { ok: true, request: Object.freeze(request) };
}
