import { SaxesParser } from 'saxes';
import { batchElement } from '../contracts/operations.js';
import { SoapFaultError } from './registratie-responses.js';
import { child, parseSmallXml, textOf } from './small-xml-tree.js';

/** The answer to Aanleveren/Aanvulling: accepted for processing, or refused as a whole. */
export type DeliveryAnswer =
  { readonly accepted: true; readonly transactionId: string } | { readonly accepted: false; readonly foutCode: string; readonly foutOmschrijving: string };

/** A KMEHR id as submitted and echoed back in the result (`S`, `SL`, `SV` attributes and the value). */
export interface ResultId {
  readonly s: string;
  readonly sl?: string;
  readonly sv?: string;
  readonly value: string;
}

export interface TransactionOutcome {
  readonly ids: readonly ResultId[];
  readonly resultCode: string;
  readonly resultTekst?: string;
}

export interface FolderOutcome {
  readonly ids: readonly ResultId[];
  /** The patient's INSZ as submitted: personal data, mask it before showing or logging. */
  readonly patient: string;
  readonly patientTekst?: string;
  readonly transactions: readonly TransactionOutcome[];
}

/** The answer to ResultaatVerwerking: the per-folder, per-transaction result, or a `foutCode`. */
export type ResultAnswer =
  | { readonly kind: 'result'; readonly folders: readonly FolderOutcome[] }
  | { readonly kind: 'fout'; readonly foutCode: string; readonly foutOmschrijving: string };

/** The `foutCode` the registry answers while a delivery waits for the processor. */
export const NOT_PROCESSED_CODE = 'BATCH_NOT_PROCESSED';

// A SOAP Fault is small and comes first in the Body: a cheap look at the start avoids a second parse otherwise.
const FAULT = /<(?:[\w.-]+:)?Fault[\s>]/;

function throwIfFault(xml: string, httpStatus: number): void {
  if (!FAULT.test(xml.slice(0, 8192))) return;
  const body = child(parseSmallXml(xml), 'Body');
  const fault = body?.children[0];
  if (fault?.name !== 'Fault') return;
  const detail = child(fault, 'detail');
  const code = textOf(detail?.children.find((c) => c.name === 'code' || c.name === 'Code'));
  throw new SoapFaultError(textOf(child(fault, 'faultcode')) ?? '', textOf(child(fault, 'faultstring')) ?? '', httpStatus, code);
}

function unexpected(httpStatus: number, why: string): Error {
  return new Error(`unexpected BatchUpload response (HTTP ${httpStatus}): ${why}`);
}

/**
 * Reads the answer to Aanleveren or Aanvulling.
 * @throws SoapFaultError when the registry answered with a SOAP Fault; Error when the answer has another shape
 */
export function readDeliveryResponse(xml: string, httpStatus = 200): DeliveryAnswer {
  throwIfFault(xml, httpStatus);
  const body = child(parseSmallXml(xml), 'Body');
  const r = body?.children[0];
  if (r === undefined || (r.name !== batchElement('Aanleveren', 'Response') && r.name !== batchElement('Aanvulling', 'Response'))) {
    throw unexpected(httpStatus, `no delivery answer but ${r?.name ?? 'an empty Body'}`);
  }
  const transactionId = textOf(child(r, 'transactionId'));
  if (transactionId !== undefined && textOf(child(r, 'certificaatStatus')) !== 'false') return { accepted: true, transactionId };
  const foutCode = textOf(child(r, 'foutCode'));
  if (foutCode === undefined) throw unexpected(httpStatus, 'neither transactionId nor foutCode');
  return { accepted: false, foutCode, foutOmschrijving: textOf(child(r, 'foutOmschrijving')) ?? '' };
}

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K];
};

/**
 * Reads the answer to ResultaatVerwerking with a SAX pass that builds only the typed result (a 100 000-vaccination
 * result is tens of MB of XML; a generic element tree of it would cost several times that).
 * @throws SoapFaultError when the registry answered with a SOAP Fault; Error when the answer has another shape
 */
export function readResultResponse(xml: string, httpStatus = 200): ResultAnswer {
  throwIfFault(xml, httpStatus);
  const expected = batchElement('ResultaatVerwerking', 'Response');
  const parser = new SaxesParser({ xmlns: true });
  const folders: Mutable<FolderOutcome>[] = [];
  const fout = new Map<string, string>();
  let folder: Mutable<FolderOutcome> | undefined;
  let tx: Mutable<TransactionOutcome> | undefined;
  let pendingId: { s: string; sl?: string; sv?: string } | undefined;
  let text = '';
  let depth = 0;
  let sawAnswer = false;
  parser.on('doctype', () => {
    throw unexpected(httpStatus, 'DOCTYPE in a response');
  });
  parser.on('opentag', (tag) => {
    depth += 1;
    text = '';
    // Envelope = 1, Body = 2, the answer = 3, folderResult/foutCode = 4, its children = 5, transaction children = 6.
    if (depth === 3) {
      if (tag.local !== expected) throw unexpected(httpStatus, `no result answer but ${tag.local}`);
      sawAnswer = true;
    } else if (depth === 4 && tag.local === 'folderResult') {
      folder = { ids: [], patient: '', transactions: [] };
    } else if (depth === 5 && folder !== undefined && tag.local === 'transaction') {
      tx = { ids: [], resultCode: '' };
    }
    if (tag.local === 'id' && (depth === 5 || depth === 6)) {
      const attr = (n: string): string | undefined => tag.attributes[n]?.value;
      const sl = attr('SL');
      const sv = attr('SV');
      pendingId = { s: attr('S') ?? '', ...(sl !== undefined && { sl }), ...(sv !== undefined && { sv }) };
    }
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('closetag', (tag) => {
    const value = text.trim();
    text = '';
    if (depth === 4) {
      if (tag.local === 'folderResult' && folder !== undefined) {
        folders.push(folder);
        folder = undefined;
      } else if (tag.local === 'foutCode' || tag.local === 'foutOmschrijving') {
        fout.set(tag.local, value);
      }
    } else if (depth === 5 && folder !== undefined) {
      if (tag.local === 'id' && pendingId) folder.ids.push({ ...pendingId, value });
      else if (tag.local === 'patient') folder.patient = value;
      else if (tag.local === 'patientTekst') folder.patientTekst = value;
      else if (tag.local === 'transaction' && tx !== undefined) {
        folder.transactions.push(tx);
        tx = undefined;
      }
    } else if (depth === 6 && tx !== undefined) {
      if (tag.local === 'id' && pendingId) tx.ids.push({ ...pendingId, value });
      else if (tag.local === 'resultCode') tx.resultCode = value;
      else if (tag.local === 'resultTekst') tx.resultTekst = value;
    }
    depth -= 1;
  });
  parser.write(xml).close();
  if (!sawAnswer) throw unexpected(httpStatus, 'no SOAP Body answer');
  const foutCode = fout.get('foutCode');
  if (foutCode !== undefined) return { kind: 'fout', foutCode, foutOmschrijving: fout.get('foutOmschrijving') ?? '' };
  if (folders.length === 0) throw unexpected(httpStatus, 'neither folderResult nor foutCode');
  return { kind: 'result', folders };
}
