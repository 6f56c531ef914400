import type { Language } from '../status/catalogue.js';
import { localise, type Finding } from '../status/finding.js';
import { UPL_NS } from './namespaces.js';
import { batchElement } from './operations.js';
import { SOAP_ENVELOPE_HEAD, SOAP_ENVELOPE_TAIL, soapEnvelope } from './soap-envelope-writer.js';
import { messageStatus } from '../status/message-status.js';
import { escapeAttribute, escapeText } from '../kmehr/xml-escape.js';

/** `foutCode` + `foutOmschrijving`: the whole request refused (wire-contracts.md §2). */
export interface BatchFout {
  readonly foutCode: string;
  readonly foutOmschrijving: string;
}

export type DeliveryReply = { readonly transactionId: string } | BatchFout;

/** A KMEHR id as submitted: `<id S="ID-KMEHR" SV="1.0">1</id>`, `<id S="LOCAL" SL="…" SV="1.0">uuid</id>`. */
export interface SubmittedId {
  readonly value: string;
  readonly S: string;
  readonly SV?: string;
  readonly SL?: string;
}

export interface TransactionResult {
  readonly ids: readonly SubmittedId[];
  readonly resultCode: string;
  readonly resultTekst?: string;
}

export interface FolderResult {
  readonly ids: readonly SubmittedId[];
  /** The patient's INSZ as submitted. */
  readonly patient: string;
  readonly patientTekst?: string;
  readonly transactions: readonly TransactionResult[];
}

const el = (name: string, value: string): string => `<upl:${name}>${escapeText(value)}</upl:${name}>`;

function fout(f: BatchFout): string {
  return el('foutCode', f.foutCode) + el('foutOmschrijving', f.foutOmschrijving);
}

/** A finding as `foutCode` (the code) + `foutOmschrijving` (its text in `language`). */
export function batchFout(f: Finding, language: Language = 'en'): BatchFout {
  return { foutCode: f.code, foutOmschrijving: localise(f, language) };
}

/**
 * A transaction's `resultCode`/`resultTekst` from its findings (same rule as `messageStatus`); `resultTekst` is left
 * out for a plain OK.
 */
export function transactionOutcome(findings: readonly Finding[], language: Language = 'en'): Pick<TransactionResult, 'resultCode' | 'resultTekst'> {
  const s = messageStatus(findings, language);
  return s.code === 'OK' && findings.length === 0 ? { resultCode: 'OK' } : { resultCode: s.code, resultTekst: s.message };
}

/**
 * The answer to Aanleveren/Aanvulling: `certificaatStatus` true + `transactionId` when accepted for processing,
 * or `foutCode` + `foutOmschrijving` when refused as a whole.
 */
export function writeDeliveryResponse(operation: 'Aanleveren' | 'Aanvulling', reply: DeliveryReply): string {
  const name = batchElement(operation, 'Response');
  const content = 'transactionId' in reply ? el('certificaatStatus', 'true') + el('transactionId', reply.transactionId) : fout(reply);
  return soapEnvelope(`<upl:${name} xmlns:upl="${UPL_NS}">${content}</upl:${name}>`);
}

function ids(list: readonly SubmittedId[]): string {
  let s = '';
  for (const id of list) {
    s += `<upl:id S="${escapeAttribute(id.S)}"`;
    if (id.SV !== undefined) s += ` SV="${escapeAttribute(id.SV)}"`;
    if (id.SL !== undefined) s += ` SL="${escapeAttribute(id.SL)}"`;
    s += `>${escapeText(id.value)}</upl:id>`;
  }
  return s;
}

/** One `folderResult` element. */
export function writeFolderResult(folder: FolderResult): string {
  let s = `<upl:folderResult>${ids(folder.ids)}${el('patient', folder.patient)}`;
  if (folder.patientTekst !== undefined) s += el('patientTekst', folder.patientTekst);
  for (const t of folder.transactions) {
    s += `<upl:transaction>${ids(t.ids)}${el('resultCode', t.resultCode)}`;
    if (t.resultTekst !== undefined) s += el('resultTekst', t.resultTekst);
    s += '</upl:transaction>';
  }
  return `${s}</upl:folderResult>`;
}

const RESULT = batchElement('ResultaatVerwerking', 'Response');
const RESULT_OPEN = `<upl:${RESULT} xmlns:upl="${UPL_NS}">`;
const RESULT_CLOSE = `</upl:${RESULT}>`;

/**
 * The answer to ResultaatVerwerking as string pieces: one per folder between the envelope's head and tail, so a
 * 100 000-vaccination result can be streamed to the socket (e.g. `Readable.from(...)`) without one giant string.
 * An empty folder list is not a valid answer (folderResult is 1..n): answer with a `BatchFout` instead.
 */
export function* writeResultResponseChunks(reply: Iterable<FolderResult> | BatchFout): Generator<string> {
  yield SOAP_ENVELOPE_HEAD + RESULT_OPEN;
  if ('foutCode' in reply) {
    yield fout(reply);
  } else {
    for (const folder of reply) yield writeFolderResult(folder);
  }
  yield RESULT_CLOSE + SOAP_ENVELOPE_TAIL;
}

/** The answer to ResultaatVerwerking as one string: `folderResult` 1..n, or `foutCode` + `foutOmschrijving`. */
export function writeResultResponse(reply: readonly FolderResult[] | BatchFout): string {
  return [...writeResultResponseChunks(reply)].join('');
}
