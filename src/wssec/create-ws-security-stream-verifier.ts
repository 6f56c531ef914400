import { createHash, type Hash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { finding, type Finding } from '../status/finding.js';
import { checkBodyElement, checkSecurityHeader, type VerifiedSecurityHeader } from './check-security-header.js';
import { ExcC14nWriter, type C14nElement } from './exc-c14n.js';
import { idValues } from './id-attributes.js';
import { sameDigest } from './signed-reference.js';
import { NS } from './ws-security-profile.js';
import { refuse, refuseSignature, WsSecurityRefusal } from './ws-security-refusal.js';
import { createXmlEventReader, XmlReadError, type XmlEventHandlers, type XmlEventReader, type XmlSourceWindow } from './xml-event-reader.js';
import { xmlReadFinding } from './xml-read-finding.js';
import type { XmlSubtree } from './xml-subtree.js';

export interface WsSecurityVerifyOptions {
  /** The server's clock for the Timestamp window. */
  readonly now: Date;
  /** Tolerated clock difference with the sender; default 300. */
  readonly maxClockSkewSeconds?: number;
  /** How old `Created` may be; default 300. */
  readonly maxAgeSeconds?: number;
  /** Cap on the recorded wsse:Security header (characters); default 256 KiB. */
  readonly maxSecurityHeaderChars?: number;
  /**
   * Also receives every event of the verifier's own scan, after the verifier handled it, so another reader of the
   * same envelope needs no second parse (RegistratieService reads its request from them). A refused signature does
   * not stop the scan for it: the observer sees the whole document, up to where the scanner refuses it
   * (`scanFailure`), so the request is read even when its signature is refused. It must not throw.
   */
  readonly observer?: XmlEventHandlers;
}

export type WsSecurityResult =
  | {
      readonly ok: true;
      readonly certificateDer: Buffer;
      readonly signedIds: string[];
      readonly created: Date;
      readonly expires?: Date;
      /** The verified ds:SignatureValue (base64, white space removed): names the signed request (replay checks). */
      readonly signatureValue: string;
    }
  | { readonly ok: false; readonly finding: Finding };

/** What is known once the Security header passed (signature, Timestamp digest, freshness); the Body is still open. */
export interface WsSecurityHeaderInfo {
  readonly certificateDer: Buffer;
  readonly created: Date;
  readonly expires?: Date;
  /** The verified ds:SignatureValue (base64, white space removed): identifies the signed request (replay caches). */
  readonly signatureValue: string;
}

/**
 * Feed it the request bytes as they arrive; it never holds the Body. `failure` is set as soon as something is
 * wrong (stop writing then), `header` as soon as the Security header verified (the certificate can be checked
 * for trust before the Body has arrived). `end()` gives the outcome.
 */
export interface WsSecurityStreamVerifier {
  write(chunk: Buffer | string): void;
  end(): WsSecurityResult;
  readonly failure: Finding | undefined;
  readonly header: WsSecurityHeaderInfo | undefined;
  /** Set when the scanner refused the document (not well-formed, DOCTYPE, too deep): `failure` is then this too, unless a profile check failed first. */
  readonly scanFailure: Finding | undefined;
  /** The scanner's offset in the text written (see XmlEventReader.offset): where an event or a scan failure is. */
  readonly offset: number;
  /** The scan's text around the event being reported: an observer that passes a subtree on as submitted reads it here. */
  readonly source: XmlSourceWindow;
}

/**
 * Streaming WS-Security X.509 verifier for exactly our profile (identity.md §1): one `wsse:Security` header with one
 * BinarySecurityToken, one wsu:Timestamp and one ds:Signature (exclusive C14N, RSA-SHA256, SHA-256 digests) whose
 * references are the Envelope's own Body and that Timestamp (optionally also the BinarySecurityToken), resolved by
 * `wsu:Id` (or an unqualified `Id`, as the `soap` package writes by default), with KeyInfo pointing at the token.
 *
 * One pass over the strict scanner, no DOM: the Security header (a few KB) is recorded and checked when it closes — RSA over the
 * canonical SignedInfo, the Timestamp digest and its freshness — then the Body is canonicalised into the digest
 * while it streams, so a 120 MB BatchUpload body costs memory bounded by its depth.
 *
 * Anti-wrapping: a reference must resolve to the Envelope's direct `soap:Body` or the Timestamp/token directly in
 * THE Security header; any id value carried by a second element anywhere in the document is refused; the header
 * must precede the Body; one Header, one Body, one Security header.
 *
 * This file is the streaming: it tracks where in the Envelope each event falls, records the Security header, and
 * canonicalises the Body into its digest. What the header must hold is checked in check-security-header.ts, the
 * references in signed-reference.ts, the id attributes in id-attributes.ts.
 *
 * Not done here: trust, validity and revocation of the certificate (pki `verifyCertificate`, wired by the caller).
 *
 * Use with a Fastify raw body (the caller also writes the bytes to disk):
 * ```ts
 * const v = createWsSecurityStreamVerifier({ now: new Date() });
 * for await (const chunk of request.raw) { v.write(chunk); if (v.failure) break; await file.write(chunk); }
 * const result = v.end(); // ok → result.certificateDer to pki; not ok → result.finding
 * ```
 */
export function createWsSecurityStreamVerifier(options: WsSecurityVerifyOptions): WsSecurityStreamVerifier {
  return new StreamVerifier(options);
}

function inScopeOf(ancestors: readonly C14nElement[]): Record<string, string> {
  const scope: Record<string, string> = {};
  for (const a of ancestors) Object.assign(scope, a.ns);
  return scope;
}

/*
 * The verifier's state in one object; the scanner's handlers are this object's open/close/text/processingInstruction.
 */
class StreamVerifier implements WsSecurityStreamVerifier, XmlEventHandlers {
  readonly #now: Date;
  readonly #skewSeconds: number;
  readonly #maxAgeSeconds: number;
  readonly #maxHeaderChars: number;
  readonly #observer: XmlEventHandlers | undefined;
  readonly #decoder = new StringDecoder('utf8');
  readonly #reader: XmlEventReader & XmlSourceWindow;
  #result: WsSecurityResult | undefined;

  #failure: Finding | undefined;
  #scanFailure: Finding | undefined;
  #header: VerifiedSecurityHeader | undefined;
  readonly #stack: C14nElement[] = [];
  #seenHeader = false;
  #seenBody = false;
  #securityCount = 0;
  /** The Security header being recorded (open elements, outermost first). */
  readonly #recording: XmlSubtree[] = [];
  #recordedChars = 0;
  /** Id value → number of elements carrying it, until the Security header is analysed. */
  readonly #idCounts = new Map<string, number>();
  #bodyWriter: ExcC14nWriter | undefined;
  #bodyHash: Hash | undefined;
  #bodyPending = '';
  #bodyVerified = false;

  constructor(options: WsSecurityVerifyOptions) {
    this.#now = options.now;
    this.#skewSeconds = options.maxClockSkewSeconds ?? 300;
    this.#maxAgeSeconds = options.maxAgeSeconds ?? 300;
    this.#maxHeaderChars = options.maxSecurityHeaderChars ?? 256 * 1024;
    this.#observer = options.observer;
    this.#reader = createXmlEventReader(this);
  }

  get failure(): Finding | undefined {
    return this.#failure;
  }

  get header(): WsSecurityHeaderInfo | undefined {
    return this.#header;
  }

  get scanFailure(): Finding | undefined {
    return this.#scanFailure;
  }

  get offset(): number {
    return this.#reader.offset;
  }

  get source(): XmlSourceWindow {
    return this.#reader;
  }

  /** Whether the scan goes on: until the first failure, or to the document's end (or a scan failure) for an observer. */
  #scanning(): boolean {
    return this.#scanFailure === undefined && (this.#failure === undefined || this.#observer !== undefined);
  }

  write(chunk: Buffer | string): void {
    if (!this.#scanning()) return;
    try {
      this.#reader.write(typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    } catch (err) {
      this.#stopped(err);
    }
  }

  // Idempotent: the reader that ended the scan and the caller that authenticates may both ask.
  end(): WsSecurityResult {
    this.#result ??= this.#end();
    return this.#result;
  }

  #end(): WsSecurityResult {
    if (this.#scanning()) {
      try {
        this.#reader.write(this.#decoder.end());
        this.#reader.end();
      } catch (err) {
        this.#stopped(err);
      }
    }
    if (this.#failure === undefined) {
      if (this.#header === undefined) this.#failure = finding('AUTH_NOT_AUTHENTICATED', { params: { detail: 'no wsse:Security header' } });
      else if (!this.#bodyVerified) this.#failure = finding('AUTH_SIGNATURE_INVALID', { params: { detail: 'the Envelope has no soap:Body' } });
    }
    if (this.#failure !== undefined) return { ok: false, finding: this.#failure };
    const h = this.#header as VerifiedSecurityHeader;
    return {
      ok: true,
      certificateDer: h.certificateDer,
      signedIds: h.signedIds,
      created: h.created,
      ...(h.expires !== undefined && { expires: h.expires }),
      signatureValue: h.signatureValue,
    };
  }

  /** What stopped a write: a profile check refusing (without an observer), or the scanner refusing the document. */
  #stopped(err: unknown): void {
    if (err instanceof WsSecurityRefusal) {
      this.#failure ??= err.finding;
      return;
    }
    if (err instanceof XmlReadError) {
      this.#scanFailure = xmlReadFinding(err);
      this.#failure ??= this.#scanFailure;
      return;
    }
    throw err;
  }

  /** A profile check refused: the verification is over; with an observer the scan goes on for it alone. */
  #refused(err: unknown): void {
    if (!(err instanceof WsSecurityRefusal) || this.#observer === undefined) throw err;
    this.#failure = err.finding;
  }

  #flushBody(s: string): void {
    this.#bodyPending += s;
    if (this.#bodyPending.length >= 65536) {
      (this.#bodyHash as Hash).update(this.#bodyPending, 'utf8');
      this.#bodyPending = '';
    }
  }

  #startBody(el: C14nElement): void {
    const header = this.#header;
    if (header === undefined) return refuse('AUTH_NOT_AUTHENTICATED', 'no wsse:Security header before the Body');
    checkBodyElement(el, header);
    const bodyRef = header.bodyReference;
    this.#bodyHash = createHash(bodyRef.hash);
    this.#bodyWriter = new ExcC14nWriter((s) => this.#flushBody(s), { inclusivePrefixes: bodyRef.prefixes, inScope: inScopeOf(this.#stack) });
    this.#bodyWriter.startElement(el);
  }

  #finishBody(): void {
    const hash = this.#bodyHash as Hash;
    hash.update(this.#bodyPending, 'utf8');
    this.#bodyPending = '';
    this.#bodyWriter = undefined;
    if (!sameDigest(hash.digest(), (this.#header as VerifiedSecurityHeader).bodyReference.digest)) {
      refuse('AUTH_BODY_TAMPERED', 'digest mismatch for soap:Body', 'soap:Body');
    }
    this.#bodyVerified = true;
  }

  #record(child: XmlSubtree | string | { target: string; body: string }, size: number): void {
    this.#recordedChars += size;
    if (this.#recordedChars > this.#maxHeaderChars) refuseSignature(`the Security header is larger than ${this.#maxHeaderChars} characters`);
    (this.#recording[this.#recording.length - 1] as XmlSubtree).children.push(child);
  }

  // The scanner's events: the verifier's own handling, then the observer's (see WsSecurityVerifyOptions.observer).

  // try/catch here rather than a throw through the scanner: the scan must go on for the observer after a refusal.
  open(el: C14nElement): void {
    if (this.#failure === undefined) {
      try {
        this.#open(el);
      } catch (err) {
        this.#refused(err);
      }
    }
    this.#observer?.open(el);
  }

  close(): void {
    if (this.#failure === undefined) {
      try {
        this.#close();
      } catch (err) {
        this.#refused(err);
      }
    }
    this.#observer?.close();
  }

  text(text: string): void {
    if (this.#failure === undefined) {
      try {
        if (this.#recording.length > 0) this.#record(text, text.length);
        else if (this.#bodyWriter !== undefined) this.#bodyWriter.text(text);
      } catch (err) {
        this.#refused(err);
      }
    }
    this.#observer?.text(text);
  }

  processingInstruction(target: string, body: string): void {
    if (this.#failure === undefined) {
      try {
        if (this.#recording.length > 0) this.#record({ target, body }, target.length + body.length);
        else if (this.#bodyWriter !== undefined) this.#bodyWriter.processingInstruction(target, body);
      } catch (err) {
        this.#refused(err);
      }
    }
    this.#observer?.processingInstruction(target, body);
  }

  #open(el: C14nElement): void {
    const stack = this.#stack;
    const depth = stack.length;
    const isBody = depth === 1 && el.uri === NS.soap11 && el.local === 'Body';
    const designated = this.#header?.designatedIds;
    if (designated === undefined) {
      if (!isBody) for (const id of idValues(el)) this.#idCounts.set(id, (this.#idCounts.get(id) ?? 0) + 1);
    } else if (!isBody) {
      for (const id of idValues(el)) if (designated.has(id)) refuseSignature(`duplicate id "${id}"`);
    }
    if (depth === 0) {
      if (el.uri !== NS.soap11 || el.local !== 'Envelope') {
        refuse('SOAP_CONTRACT', 'the document is not a SOAP 1.1 Envelope', `/${el.name}`);
      }
    } else if (depth === 1 && el.uri === NS.soap11 && el.local === 'Header') {
      if (this.#seenHeader || this.#seenBody) refuseSignature('a second soap:Header, or a Header after the Body');
      this.#seenHeader = true;
    } else if (isBody) {
      if (this.#seenBody) refuseSignature('more than one soap:Body');
      this.#seenBody = true;
      stack.push(el);
      this.#startBody(el);
      return;
    } else if (depth === 2 && el.uri === NS.wsse && el.local === 'Security' && stack[1]?.local === 'Header' && stack[1].uri === NS.soap11) {
      this.#securityCount += 1;
      if (this.#securityCount > 1) refuseSignature('more than one wsse:Security header');
      this.#recording.push({ el, children: [], inScope: inScopeOf(stack) });
      this.#recordedChars = 0;
      stack.push(el);
      return;
    }
    const recording = this.#recording;
    if (recording.length > 0) {
      const parent = recording[recording.length - 1] as XmlSubtree;
      const node: XmlSubtree = { el, children: [], inScope: { ...parent.inScope, ...parent.el.ns } };
      this.#record(node, el.name.length + 16);
      recording.push(node);
    }
    if (this.#bodyWriter !== undefined) this.#bodyWriter.startElement(el);
    stack.push(el);
  }

  #close(): void {
    this.#stack.pop();
    if (this.#recording.length > 0) {
      const node = this.#recording.pop() as XmlSubtree;
      if (this.#recording.length === 0) {
        this.#header = checkSecurityHeader(node, this.#idCounts, { now: this.#now, skewSeconds: this.#skewSeconds, maxAgeSeconds: this.#maxAgeSeconds });
      }
    }
    if (this.#bodyWriter !== undefined) {
      this.#bodyWriter.endElement();
      if (this.#bodyWriter.depth === 0) this.#finishBody();
    }
  }
}
