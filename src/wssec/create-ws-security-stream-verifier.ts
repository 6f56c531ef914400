import { createHash, timingSafeEqual, verify as verifySignature, X509Certificate, type Hash, type KeyObject } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { StatusCode } from '../status/catalogue.js';
import { finding, type Finding } from '../status/finding.js';
import { checkTimestamp } from './check-timestamp.js';
import { ExcC14nWriter, type C14nElement } from './exc-c14n.js';
import { ALG, DIGEST_METHODS, NS, SIGNATURE_METHODS, TOKEN_TYPE } from './ws-security-profile.js';
import { createXmlEventReader, XmlReadError, type XmlEventHandlers, type XmlEventReader } from './xml-event-reader.js';
import { MAX_XML_DEPTH } from './xml-scanner.js';
import { attributeOf, canonicalizeSubtree, childElements, elementChildren, textOf, type XmlSubtree } from './xml-subtree.js';

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
   * same envelope needs no second parse (RegistratieService reads its request from them). It sees the events up
   * to the first failure only, and must not throw: a throw would stop the verification.
   */
  readonly observer?: XmlEventHandlers;
}

export type WsSecurityResult =
  | {
    readonly ok: true; readonly certificateDer: Buffer; readonly signedIds: string[]; readonly created: Date; readonly expires?: Date;
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
}

interface SignedReference {
  readonly id: string;
  readonly hash: string;
  readonly prefixes: readonly string[];
  readonly digest: Buffer;
}

/** Thrown inside parser callbacks to stop at the first failure. */
const STOP = Symbol('stop');

const CERT_CACHE = new Map<string, { readonly der: Buffer; readonly key: KeyObject }>();
const CERT_CACHE_SIZE = 64;

function parseCertificate(base64: string): { readonly der: Buffer; readonly key: KeyObject } | undefined {
  const hit = CERT_CACHE.get(base64);
  if (hit !== undefined) return hit;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  try {
    const der = Buffer.from(base64, 'base64');
    const entry = { der, key: new X509Certificate(der).publicKey };
    if (CERT_CACHE.size >= CERT_CACHE_SIZE) CERT_CACHE.delete(CERT_CACHE.keys().next().value as string);
    CERT_CACHE.set(base64, entry);
    return entry;
  } catch {
    return undefined;
  }
}

/** All id-like attribute values an XML-DSig library could resolve a `#id` reference to. */
function idValues(el: C14nElement): string[] {
  let ids: string[] | undefined;
  for (const a of el.attributes) {
    const isId =
      (a.local === 'Id' && (a.uri === '' || a.uri === NS.wsu)) ||
      (a.uri === '' && (a.local === 'ID' || a.local === 'id')) ||
      (a.local === 'id' && a.uri === NS.xml);
    if (isId) (ids ??= []).push(a.value);
  }
  return ids ?? [];
}

function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Streaming WS-Security X.509 verifier for exactly our profile (identity.md §1): one `wsse:Security` header with one
 * BinarySecurityToken, one wsu:Timestamp and one ds:Signature (exclusive C14N, RSA-SHA256, SHA-256 digests) whose
 * references are the Envelope's own Body and that Timestamp (optionally also the BinarySecurityToken), resolved by
 * `wsu:Id` (or an unqualified `Id`, as the `soap` package writes by default), with KeyInfo pointing at the token.
 *
 * One pass with saxes, no DOM: the Security header (a few KB) is recorded and checked when it closes — RSA over the
 * canonical SignedInfo, the Timestamp digest and its freshness — then the Body is canonicalised into the digest
 * while it streams, so a 120 MB BatchUpload body costs memory bounded by its depth.
 *
 * Anti-wrapping: a reference must resolve to the Envelope's direct `soap:Body` or the Timestamp/token directly in
 * THE Security header; any id value carried by a second element anywhere in the document is refused; the header
 * must precede the Body; one Header, one Body, one Security header.
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

function prefixList(node: XmlSubtree): readonly string[] {
  const inc = childElements(node, NS.ec, 'InclusiveNamespaces')[0];
  const list = inc === undefined ? undefined : attributeOf(inc, 'PrefixList');
  return list === undefined ? [] : list.split(/\s+/).filter((p) => p !== '');
}

/*
 * A class, not closures over the verifier's state: the project runs through tsx, whose esbuild `keepNames` wraps
 * every named closure in `__name` (an Object.defineProperty) each time it is created — ~25 of them per request here.
 * The scanner's handlers are this object's open/close/text/processingInstruction.
 */
class StreamVerifier implements WsSecurityStreamVerifier, XmlEventHandlers {
  readonly #now: Date;
  readonly #skewSeconds: number;
  readonly #maxAgeSeconds: number;
  readonly #maxHeaderChars: number;
  readonly #observer: XmlEventHandlers | undefined;
  readonly #decoder = new StringDecoder('utf8');
  readonly #reader: XmlEventReader;

  #failure: Finding | undefined;
  #header: (WsSecurityHeaderInfo & { readonly signedIds: string[] }) | undefined;
  readonly #stack: C14nElement[] = [];
  #seenHeader = false;
  #seenBody = false;
  #securityCount = 0;
  /** The Security header being recorded (open elements, outermost first). */
  readonly #recording: XmlSubtree[] = [];
  #recordedChars = 0;
  /** Id value → number of elements carrying it, until the Security header is analysed. */
  readonly #idCounts = new Map<string, number>();
  /** After analysis: the ids the signature covers; each may be carried by its one element only. */
  #designated: Set<string> | undefined;
  #bodyRef: SignedReference | undefined;
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

  write(chunk: Buffer | string): void {
    if (this.#failure !== undefined) return;
    try {
      this.#reader.write(typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    } catch (err) {
      this.#stopped(err);
    }
  }

  end(): WsSecurityResult {
    if (this.#failure === undefined) {
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
    const h = this.#header as WsSecurityHeaderInfo & { signedIds: string[] };
    return { ok: true, certificateDer: h.certificateDer, signedIds: h.signedIds, created: h.created, ...(h.expires !== undefined && { expires: h.expires }), signatureValue: h.signatureValue };
  }

  /** What stopped a write: a failure already recorded (STOP), or the scanner refusing the document. */
  #stopped(err: unknown): void {
    if (err === STOP) return;
    if (err instanceof XmlReadError) {
      this.#failure =
        err.kind === 'doctype' ? finding('XML_DOCTYPE_FORBIDDEN')
          : err.kind === 'too-deep' ? finding('XML_TOO_DEEP', { params: { limit: MAX_XML_DEPTH } })
          : finding('XML_MALFORMED', { params: { detail: err.message.replace(/\.$/, '') } });
      return;
    }
    throw err;
  }

  #fail(code: StatusCode, detail: string, location?: string): never {
    this.#failure = finding(code, { ...(location !== undefined && { location }), params: { detail } });
    throw STOP;
  }

  #invalid(detail: string): never {
    return this.#fail('AUTH_SIGNATURE_INVALID', detail);
  }

  #designatedId(el: C14nElement, what: string): string | undefined {
    const ids = [...new Set(idValues(el))];
    if (ids.length > 1) this.#invalid(`${what} carries conflicting id attributes`);
    return ids[0];
  }

  #readReference(ref: XmlSubtree): SignedReference {
    const uri = attributeOf(ref, 'URI') ?? '';
    if (!/^#[^\s#]+$/.test(uri)) this.#invalid(`Reference URI "${uri}" is not a same-document #id reference`);
    const transforms = childElements(ref, NS.ds, 'Transforms').flatMap((t) => childElements(t, NS.ds, 'Transform'));
    const algorithms = transforms.map((t) => attributeOf(t, 'Algorithm'));
    const shapeOk =
      (algorithms.length === 1 && algorithms[0] === ALG.excC14n) ||
      (algorithms.length === 2 && algorithms[0] === ALG.envelopedSignature && algorithms[1] === ALG.excC14n);
    if (!shapeOk) this.#invalid(`unsupported transforms for ${uri} (${algorithms.join(', ') || 'none'}): exclusive C14N required`);
    const last = transforms[transforms.length - 1] as XmlSubtree;
    const digestMethod = childElements(ref, NS.ds, 'DigestMethod')[0];
    const hash = DIGEST_METHODS[digestMethod === undefined ? '' : (attributeOf(digestMethod, 'Algorithm') ?? '')];
    if (hash === undefined) this.#invalid(`unsupported digest method for ${uri}: SHA-256 required`);
    const digestValue = childElements(ref, NS.ds, 'DigestValue')[0];
    const digestText = digestValue === undefined ? '' : textOf(digestValue).replace(/\s+/g, '');
    if (digestText === '' || !BASE64.test(digestText)) this.#invalid(`no valid DigestValue for ${uri}`);
    return { id: uri.slice(1), hash: hash as string, prefixes: prefixList(last), digest: Buffer.from(digestText, 'base64') };
  }

  #checkDigest(node: XmlSubtree, ref: SignedReference, location: string): void {
    const actual = createHash(ref.hash).update(canonicalizeSubtree(node, ref.prefixes), 'utf8').digest();
    if (!sameDigest(actual, ref.digest)) this.#fail('AUTH_BODY_TAMPERED', `digest mismatch for ${location}`, location);
  }

  #analyseSecurity(security: XmlSubtree): void {
    const signatures = childElements(security, NS.ds, 'Signature');
    if (signatures.length === 0) this.#fail('AUTH_NOT_AUTHENTICATED', 'the Security header holds no ds:Signature');
    if (signatures.length > 1) this.#invalid('more than one ds:Signature in the Security header');
    const tokens = childElements(security, NS.wsse, 'BinarySecurityToken');
    if (tokens.length !== 1) this.#invalid(`expected one wsse:BinarySecurityToken, found ${tokens.length}`);
    const timestamps = childElements(security, NS.wsu, 'Timestamp');
    if (timestamps.length === 0) this.#fail('AUTH_TIMESTAMP_INVALID', 'no wsu:Timestamp in the Security header');
    if (timestamps.length > 1) this.#invalid('more than one wsu:Timestamp in the Security header');
    const signature = signatures[0] as XmlSubtree;
    const token = tokens[0] as XmlSubtree;
    const timestamp = timestamps[0] as XmlSubtree;

    if (attributeOf(token, 'ValueType') !== TOKEN_TYPE.x509v3) this.#invalid('the BinarySecurityToken is not an X509v3 token');
    const encoding = attributeOf(token, 'EncodingType');
    if (encoding !== undefined && encoding !== TOKEN_TYPE.base64) this.#invalid('the BinarySecurityToken is not Base64Binary');
    const tokenId = this.#designatedId(token.el, 'the BinarySecurityToken');
    if (tokenId === undefined) this.#invalid('the BinarySecurityToken has no wsu:Id');
    const cert = parseCertificate(textOf(token).replace(/\s+/g, ''));
    if (cert === undefined) return this.#invalid('the BinarySecurityToken is not a DER X.509 certificate');
    if (cert.key.asymmetricKeyType !== 'rsa') this.#invalid('the certificate key is not RSA');

    const [signedInfo, signatureValue, keyInfo, ...rest] = elementChildren(signature);
    if (
      signedInfo?.el.uri !== NS.ds || signedInfo.el.local !== 'SignedInfo' ||
      signatureValue?.el.uri !== NS.ds || signatureValue.el.local !== 'SignatureValue' ||
      keyInfo?.el.uri !== NS.ds || keyInfo.el.local !== 'KeyInfo' || rest.length > 0
    ) {
      return this.#invalid('ds:Signature must hold SignedInfo, SignatureValue and KeyInfo');
    }
    const [c14nMethod, signatureMethod, ...references] = elementChildren(signedInfo);
    if (c14nMethod?.el.local !== 'CanonicalizationMethod' || attributeOf(c14nMethod, 'Algorithm') !== ALG.excC14n) {
      this.#invalid('SignedInfo must use exclusive C14N');
    }
    const signatureHash = SIGNATURE_METHODS[signatureMethod === undefined ? '' : (attributeOf(signatureMethod, 'Algorithm') ?? '')];
    if (signatureMethod?.el.local !== 'SignatureMethod' || signatureHash === undefined) {
      this.#invalid(`unsupported signature method ${signatureMethod === undefined ? '' : attributeOf(signatureMethod, 'Algorithm')}: RSA-SHA256 required`);
    }
    if (references.length === 0 || references.some((r) => r.el.uri !== NS.ds || r.el.local !== 'Reference')) {
      this.#invalid('SignedInfo must hold ds:Reference elements only');
    }
    const strRefs = childElements(keyInfo, NS.wsse, 'SecurityTokenReference').flatMap((s) => childElements(s, NS.wsse, 'Reference'));
    if (strRefs.length !== 1 || attributeOf(strRefs[0] as XmlSubtree, 'URI') !== `#${tokenId}`) {
      this.#invalid('KeyInfo does not reference the BinarySecurityToken');
    }

    const signedInfoC14n = canonicalizeSubtree(signedInfo, prefixList(c14nMethod as XmlSubtree));
    const sigText = textOf(signatureValue).replace(/\s+/g, '');
    if (!BASE64.test(sigText)) this.#invalid('SignatureValue is not base64');
    let good = false;
    try {
      good = verifySignature(signatureHash as string, Buffer.from(signedInfoC14n, 'utf8'), cert.key, Buffer.from(sigText, 'base64'));
    } catch {
      good = false;
    }
    if (!good) this.#invalid('the SignatureValue does not verify with the BinarySecurityToken certificate');

    const timestampId = this.#designatedId(timestamp.el, 'the Timestamp');
    const refs = references.map((r) => this.#readReference(r));
    if (new Set(refs.map((r) => r.id)).size !== refs.length) this.#invalid('two references to the same id');
    const timestampRef = refs.find((r) => r.id === timestampId);
    const tokenRef = refs.find((r) => r.id === tokenId);
    const others = refs.filter((r) => r !== timestampRef && r !== tokenRef);
    if (timestampRef === undefined) this.#invalid('the Timestamp is not signed');
    if (others.length === 0) this.#invalid('the Body is not signed');
    if (others.length > 1) this.#invalid('a reference points to an element other than the Body, the Timestamp or the token');
    const bodyRef = others[0] as SignedReference;
    this.#bodyRef = bodyRef;
    for (const id of [timestampId as string, tokenId as string]) {
      if (this.#idCounts.get(id) !== 1) this.#invalid(`duplicate id "${id}"`);
    }
    if (this.#idCounts.has(bodyRef.id)) this.#invalid(`the id "${bodyRef.id}" is used in the header, not by the Body`);
    this.#designated = new Set([timestampId as string, tokenId as string, bodyRef.id]);

    this.#checkDigest(timestamp, timestampRef as SignedReference, 'wsu:Timestamp');
    if (tokenRef !== undefined) this.#checkDigest(token, tokenRef, 'wsse:BinarySecurityToken');

    const created = childElements(timestamp, NS.wsu, 'Created');
    const expires = childElements(timestamp, NS.wsu, 'Expires');
    if (created.length > 1 || expires.length > 1) this.#fail('AUTH_TIMESTAMP_INVALID', 'Created or Expires repeated');
    const t = checkTimestamp(
      created[0] === undefined ? undefined : textOf(created[0]),
      expires[0] === undefined ? undefined : textOf(expires[0]),
      this.#now, this.#skewSeconds, this.#maxAgeSeconds,
    );
    if (!t.ok) return this.#fail('AUTH_TIMESTAMP_INVALID', t.detail);
    const signedIds = refs.map((r) => r.id);
    this.#header = { certificateDer: cert.der, created: t.created, ...(t.expires !== undefined && { expires: t.expires }), signatureValue: sigText, signedIds };
  }

  #flushBody(s: string): void {
    this.#bodyPending += s;
    if (this.#bodyPending.length >= 65536) {
      (this.#bodyHash as Hash).update(this.#bodyPending, 'utf8');
      this.#bodyPending = '';
    }
  }

  #startBody(el: C14nElement): void {
    const bodyRef = this.#bodyRef;
    const designated = this.#designated;
    if (this.#header === undefined || designated === undefined || bodyRef === undefined) {
      return this.#fail('AUTH_NOT_AUTHENTICATED', 'no wsse:Security header before the Body');
    }
    const bodyId = this.#designatedId(el, 'the Body');
    if (bodyId !== bodyRef.id) {
      this.#invalid(bodyId === undefined ? 'the Body has no id and is not signed' : `reference #${bodyRef.id} does not point to the Body`);
    }
    for (const id of idValues(el)) if (id !== bodyId && designated.has(id)) this.#invalid(`duplicate id "${id}"`);
    this.#bodyHash = createHash(bodyRef.hash);
    this.#bodyWriter = new ExcC14nWriter((s) => this.#flushBody(s), { inclusivePrefixes: bodyRef.prefixes, inScope: inScopeOf(this.#stack) });
    this.#bodyWriter.startElement(el);
  }

  #finishBody(): void {
    const hash = this.#bodyHash as Hash;
    hash.update(this.#bodyPending, 'utf8');
    this.#bodyPending = '';
    this.#bodyWriter = undefined;
    if (!sameDigest(hash.digest(), (this.#bodyRef as SignedReference).digest)) {
      this.#fail('AUTH_BODY_TAMPERED', 'digest mismatch for soap:Body', 'soap:Body');
    }
    this.#bodyVerified = true;
  }

  #record(child: XmlSubtree | string | { target: string; body: string }, size: number): void {
    this.#recordedChars += size;
    if (this.#recordedChars > this.#maxHeaderChars) this.#invalid(`the Security header is larger than ${this.#maxHeaderChars} characters`);
    (this.#recording[this.#recording.length - 1] as XmlSubtree).children.push(child);
  }

  // The scanner's events: the verifier's own handling, then the observer's (see WsSecurityVerifyOptions.observer).

  open(el: C14nElement): void {
    this.#open(el);
    this.#observer?.open(el);
  }

  close(): void {
    this.#close();
    this.#observer?.close();
  }

  text(text: string): void {
    if (this.#recording.length > 0) this.#record(text, text.length);
    else if (this.#bodyWriter !== undefined) this.#bodyWriter.text(text);
    this.#observer?.text(text);
  }

  processingInstruction(target: string, body: string): void {
    if (this.#recording.length > 0) this.#record({ target, body }, target.length + body.length);
    else if (this.#bodyWriter !== undefined) this.#bodyWriter.processingInstruction(target, body);
    this.#observer?.processingInstruction(target, body);
  }

  #open(el: C14nElement): void {
    const stack = this.#stack;
    const depth = stack.length;
    const isBody = depth === 1 && el.uri === NS.soap11 && el.local === 'Body';
    if (this.#designated === undefined) {
      if (!isBody) for (const id of idValues(el)) this.#idCounts.set(id, (this.#idCounts.get(id) ?? 0) + 1);
    } else if (!isBody) {
      for (const id of idValues(el)) if (this.#designated.has(id)) this.#invalid(`duplicate id "${id}"`);
    }
    if (depth === 0) {
      if (el.uri !== NS.soap11 || el.local !== 'Envelope') {
        this.#fail('SOAP_CONTRACT', 'the document is not a SOAP 1.1 Envelope', `/${el.name}`);
      }
    } else if (depth === 1 && el.uri === NS.soap11 && el.local === 'Header') {
      if (this.#seenHeader || this.#seenBody) this.#invalid('a second soap:Header, or a Header after the Body');
      this.#seenHeader = true;
    } else if (isBody) {
      if (this.#seenBody) this.#invalid('more than one soap:Body');
      this.#seenBody = true;
      stack.push(el);
      this.#startBody(el);
      return;
    } else if (depth === 2 && el.uri === NS.wsse && el.local === 'Security' && stack[1]?.local === 'Header' && stack[1].uri === NS.soap11) {
      this.#securityCount += 1;
      if (this.#securityCount > 1) this.#invalid('more than one wsse:Security header');
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
      if (this.#recording.length === 0) this.#analyseSecurity(node);
    }
    if (this.#bodyWriter !== undefined) {
      this.#bodyWriter.endElement();
      if (this.#bodyWriter.depth === 0) this.#finishBody();
    }
  }
}
