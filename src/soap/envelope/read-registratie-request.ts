import type { SaxesTagNS } from 'saxes';
import { decodeXml } from '../../kmehr/xml-decode.js';
import { DEFAULT_XML_LIMITS, screenXml, type XmlLimits } from '../../kmehr/xml-limits.js';
import { finding } from '../../status/finding.js';
import { decodeBase64Strict } from './base64-strict.js';
import { EnvelopeAbort, EnvelopeWalker, type BodyHandler } from './envelope-walker.js';
import { V21_MESSAGE_NS, V21_NS } from './namespaces.js';
import { normaliseSoapAction, REGISTRATIE_OPERATIONS, registratieAction, type RegistratieOperation } from './operations.js';
import { MAX_MESSAGES_PER_CALL, REGISTRATIE_SEQUENCES } from './registratie-contract.js';
import type { RegistratieReadResult, RegistratieRequest, SubmittedKmehr } from './registratie-request.js';
import { SequenceChecker } from './sequence-checker.js';

interface Leaf {
  readonly name: string;
  readonly text: string;
  readonly occurrence: number;
  readonly disableStockChange?: boolean;
}

const BOOLEAN: Readonly<Record<string, boolean>> = { true: true, '1': true, false: false, '0': false };

// Collects the flat children of the operation element; anything nested deeper is a contract violation.
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
    const op = REGISTRATIE_OPERATIONS.find((o) => `${o}Request` === tag.local);
    if (tag.uri !== V21_NS || op === undefined) {
      w.abort(finding('SOAP_OPERATION_UNKNOWN', { location: w.operationPath, value: `{${tag.uri}}${tag.local}`, line: w.line, column: w.column }));
    }
    if (this.#soapAction !== undefined && this.#soapAction !== registratieAction(op)) {
      w.abort(finding('SOAP_ACTION_MISMATCH', {
        location: w.operationPath, value: this.#soapAction, line: w.line, column: w.column,
        params: { detail: `${tag.local} (${registratieAction(op)})` },
      }));
    }
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
      this.leaves.push({ name: c.name, text: c.parts.join(''), occurrence: c.occurrence, ...(c.disableStockChange !== undefined && { disableStockChange: c.disableStockChange }) });
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
 * Never throws on bad input.
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

function buildRequest(h: RegistratieBodyHandler, w: EnvelopeWalker): RegistratieReadResult {
  const operation = h.operation!;
  const opPath = w.operationPath;
  if (h.messageCount > MAX_MESSAGES_PER_CALL) {
    return {
      ok: false, operation,
      finding: finding('SOAP_TOO_MANY_MESSAGES', { location: `${opPath}/Base64EncodedKmehrmessage`, value: String(h.messageCount) }),
    };
  }
  // xs:string values are trimmed (our choice): line-wrapping clients must not turn an id into a different one.
  const value = (name: string): string | undefined => h.leaves.find((l) => l.name === name)?.text.trim();
  const base = {
    softwareId: value('SoftwareId')!,
    patientId: value('PatientId')!,
    ...(value('VaccinnetId') !== undefined && { vaccinnetId: value('VaccinnetId')! }),
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
      request = { operation, ...base, vaccinationId: value('VaccinationId')! };
      break;
    case 'GetVaccinations': {
      const since = value('vaccinationDateSince');
      if (since !== undefined) {
        const m = DATE.exec(since);
        if (m === null || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
          return {
            ok: false, operation,
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
