import { isNcName, isQName } from '../kmehr/xml/xml-names.js';
import { SCANNER_LIMITS } from '../kmehr/xml-limits.js';
import type { C14nAttribute, C14nElement } from './exc-c14n.js';
import { XmlReadError, type XmlEventHandlers, type XmlEventReader } from './xml-events.js';

/*
 * A strict, namespace-aware XML 1.0 scanner for the signature path. Why not saxes (used everywhere else): saxes reads
 * character by character; measured here that was most of the verification time (~60 % for a 5 KB message and the
 * ceiling for 120 MB bodies). This scanner jumps with indexOf/regexes and only walks tags char by char.
 * It refuses rather than guesses: DOCTYPE, undefined entities, unbound prefixes, duplicate attributes, mismatched
 * tags, text outside the root, non-UTF-8 declarations, illegal characters. A differential test checks it accepts
 * and reports exactly what saxes does on our vectors, and refuses what saxes refuses.
 */

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
// A loose name shape for cutting tags apart (a superset of the XML name characters, in UTF-16 code units); every
// name it finds is then checked against the real rules (../kmehr/xml/xml-names.ts).
const NCNAME = '[A-Za-z_\\u00C0-\\uFFFF][-.\\w\\u00B7\\u00C0-\\uFFFF]*';
const QNAME_AT_START = new RegExp(`^${NCNAME}(?::${NCNAME})?`);
const QNAME_ONLY = new RegExp(`^${NCNAME}(?::${NCNAME})?$`);
const ATTRIBUTE = new RegExp(`\\s+(${NCNAME}(?::${NCNAME})?)\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'y');
const END_TAG = new RegExp(`^(${NCNAME}(?::${NCNAME})?)\\s*$`);
const PI = new RegExp(`^(${NCNAME})(?:\\s+([\\s\\S]*))?$`);
/** The XML declaration after `<?xml` and white space (XML 1.0 §2.8 VersionInfo EncodingDecl? SDDecl?), as saxes checks it. */
const XML_DECL =
  /^version\s*=\s*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:\s+encoding\s*=\s*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:\s+standalone\s*=\s*(?:"(?:yes|no)"|'(?:yes|no)'))?\s*$/;
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const ATTRIBUTE_WHITE_SPACE = /[\r\n\t]/;
const TRAILING_SPACE = /\s*$/y;
/** A tag's inside up to its '>' (or a '<', or the end of what has arrived): quoted values may hold both. */
const TAG_BODY = /(?:[^"'<>]+|"[^"]*"|'[^']*')*/y;
const MAX_MARKUP = SCANNER_LIMITS.maxMarkupChars;
/** Nesting limit (see SCANNER_LIMITS). */
export const MAX_XML_DEPTH = SCANNER_LIMITS.maxDepth;

function malformed(message: string): XmlReadError {
  return new XmlReadError(message, 'malformed');
}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^&;]*)(;?)/g, (_m, name: string, semi: string) => {
    if (semi !== ';') throw malformed('a "&" that does not start an entity reference');
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default: {
        const cp = /^#[0-9]+$/.test(name) ? Number.parseInt(name.slice(1), 10) : /^#x[0-9A-Fa-f]+$/.test(name) ? Number.parseInt(name.slice(2), 16) : -1;
        if (cp === -1) throw malformed(`undefined entity &${name};`);
        if (!isXmlChar(cp)) throw malformed(`character reference &${name}; is not an XML character`);
        return String.fromCodePoint(cp);
      }
    }
  });
}

/** Index of the '>' closing the tag that starts at `from`, skipping quoted attribute values; -1 if not yet there. */
function tagEnd(buf: string, from: number): number {
  TAG_BODY.lastIndex = from;
  TAG_BODY.exec(buf); // always matches (possibly empty); a quote left where it stopped is not closed yet
  const i = TAG_BODY.lastIndex;
  const c = buf.charCodeAt(i);
  if (c === 0x3e /* > */) return i;
  if (c === 0x3c /* < */) throw malformed('"<" inside a tag');
  return -1;
}

/**
 * Namespace bindings in scope, flat: prefix, URI, prefix, URI, … in declaration order, so the nearest declaration of
 * a prefix is the last one. (Objects chained by prototype, as before, made the scan ~20 % slower: V8 turns each
 * per-element scope into a dictionary.)
 */
type Bindings = string[];

function lookup(bindings: Bindings, prefix: string): string | undefined {
  for (let i = bindings.length - 2; i >= 0; i -= 2) if (bindings[i] === prefix) return bindings[i + 1];
  return undefined;
}

/** [prefix, local, uri] of a QName; unprefixed attributes are in no namespace, unprefixed elements in the default. */
function resolveName(bindings: Bindings, qname: string, isElement: boolean): [string, string, string] {
  const colon = qname.indexOf(':');
  if (colon === -1) return ['', qname, isElement ? (lookup(bindings, '') ?? '') : ''];
  const prefix = qname.slice(0, colon);
  const uri = lookup(bindings, prefix);
  if (uri === undefined || uri === '' || (isElement && prefix === 'xmlns')) throw malformed(`unbound namespace prefix ${prefix}`);
  return [prefix, qname.slice(colon + 1), uri];
}

/** Creates the scanner; same contract as saxes-based readers: handlers get decoded, namespace-resolved events. */
export function createXmlScanner(handlers: XmlEventHandlers): XmlEventReader {
  return new XmlScanner(handlers);
}

/*
 * A class, not closures over the scanner's state: the project runs through tsx, whose esbuild `keepNames` wraps every
 * named closure in `__name` (an Object.defineProperty) each time it is created, ~1 µs apiece per request here.
 */
class XmlScanner implements XmlEventReader {
  readonly #handlers: XmlEventHandlers;
  #buf = '';
  #pos = 0;
  /** Characters written before `#buf` starts (consumed and dropped, or a leading BOM). */
  #base = 0;
  #started = false;
  #sawRoot = false;
  #closedRoot = false;
  readonly #names: string[] = [];
  readonly #bindings: Bindings = ['xml', XML_NS, 'xmlns', XMLNS_NS];
  /** Per open element: the length of `bindings` before its own declarations. */
  readonly #marks: number[] = [];

  constructor(handlers: XmlEventHandlers) {
    this.#handlers = handlers;
  }

  write(chunk: string): void {
    if (chunk === '') return;
    this.#base += this.#pos;
    this.#buf = this.#pos === 0 ? this.#buf + chunk : this.#buf.slice(this.#pos) + chunk;
    this.#pos = 0;
    if (!this.#started && this.#buf.charCodeAt(0) === 0xfeff) {
      this.#buf = this.#buf.slice(1);
      this.#base += 1;
    }
    this.#run(false);
  }

  get offset(): number {
    return this.#base + this.#pos;
  }

  end(): void {
    this.#run(true);
    if (!this.#sawRoot) throw malformed('no root element');
    if (this.#names.length > 0) throw malformed(`unclosed <${this.#names[this.#names.length - 1]}>`);
    this.#base += this.#buf.length;
    this.#buf = '';
    this.#pos = 0;
  }

  #text(raw: string): void {
    if (raw === '') return;
    if (this.#names.length === 0) {
      if (!/^[ \t\r\n]*$/.test(raw)) throw malformed('text outside the root element');
      return;
    }
    if (raw.includes(']]>')) throw malformed('"]]>" in text');
    if (ILLEGAL.test(raw)) throw malformed('illegal character in text');
    this.#handlers.text(decode(raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw));
  }

  #startTag(tag: string): void {
    if (this.#closedRoot) throw malformed('a second root element');
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = QNAME_AT_START.exec(body);
    if (m === null || !isQName(m[0])) throw malformed('invalid element name');
    const name = m[0];
    const raw: { name: string; value: string }[] = [];
    ATTRIBUTE.lastIndex = name.length;
    let end = name.length;
    for (let a = ATTRIBUTE.exec(body); a !== null; a = ATTRIBUTE.exec(body)) {
      const value = (a[2] ?? a[3]) as string;
      if (!isQName(a[1] as string)) throw malformed('invalid attribute name');
      if (ILLEGAL.test(value)) throw malformed('illegal character in an attribute value');
      const normalised = ATTRIBUTE_WHITE_SPACE.test(value) ? value.replace(/\r\n|[\r\n\t]/g, ' ') : value;
      raw.push({ name: a[1] as string, value: decode(normalised) });
      end = ATTRIBUTE.lastIndex;
    }
    TRAILING_SPACE.lastIndex = end;
    if (!TRAILING_SPACE.test(body)) throw malformed(`malformed attributes in <${name}>`);

    const bindings = this.#bindings;
    const mark = bindings.length;
    const ns: Record<string, string> = {};
    // Tags carry a handful of attributes: a linear duplicate check beats building Sets per element.
    for (let i = 0; i < raw.length; i += 1) {
      const a = raw[i] as { name: string; value: string };
      for (let j = 0; j < i; j += 1) if ((raw[j] as { name: string }).name === a.name) throw malformed(`duplicate attribute ${a.name}`);
      const p = a.name === 'xmlns' ? '' : a.name.startsWith('xmlns:') ? a.name.slice(6) : undefined;
      if (p === undefined) continue;
      if (p !== '' && a.value === '') throw malformed(`cannot undeclare prefix ${p} in XML 1.0`);
      if (p === 'xmlns' || (p === 'xml') !== (a.value === XML_NS) || a.value === XMLNS_NS) {
        throw malformed(`illegal namespace declaration ${a.name}`);
      }
      bindings.push(p, a.value);
      ns[p] = a.value;
    }
    const [prefix, local, uri] = resolveName(bindings, name, true);
    const attributes: C14nAttribute[] = [];
    for (const a of raw) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      const [ap, al, au] = resolveName(bindings, a.name, false);
      for (const b of attributes) if (b.local === al && b.uri === au) throw malformed(`duplicate attribute {${au}}${al}`);
      attributes.push({ name: a.name, prefix: ap, local: al, uri: au, value: a.value });
    }
    const el: C14nElement = { name, prefix, local, uri, attributes, ns };
    if (this.#names.length >= MAX_XML_DEPTH) throw new XmlReadError(`elements nested deeper than ${MAX_XML_DEPTH}`, 'too-deep');
    this.#sawRoot = true;
    this.#names.push(name);
    this.#marks.push(mark);
    this.#handlers.open(el);
    if (selfClosing) this.#closeTag(name);
  }

  #closeTag(name: string): void {
    const open = this.#names.pop();
    if (open !== name) throw malformed(open === undefined ? `unexpected </${name}>` : `</${name}> closes <${open}>`);
    this.#bindings.length = this.#marks.pop() as number;
    if (this.#names.length === 0) this.#closedRoot = true;
    this.#handlers.close();
  }

  /** Handles the markup at `pos`; returns the position after it, or -1 when it is not complete yet. */
  #markup(final: boolean): number {
    const buf = this.#buf;
    const pos = this.#pos;
    const names = this.#names;
    const c = buf[pos + 1];
    if (c === undefined) return -1;
    if (c === '/') {
      // Nearly always the open element's name right before '>': no need for the general end-tag parse.
      const open = names[names.length - 1];
      if (open !== undefined && buf.charCodeAt(pos + 2 + open.length) === 0x3e && buf.startsWith(open, pos + 2)) {
        this.#closeTag(open);
        return pos + 3 + open.length;
      }
      const end = buf.indexOf('>', pos);
      if (end === -1) return -1;
      const m = END_TAG.exec(buf.slice(pos + 2, end));
      if (m === null) throw malformed('malformed end tag');
      this.#closeTag(m[1] as string);
      return end + 1;
    }
    if (c === '?') {
      const end = buf.indexOf('?>', pos + 2);
      if (end === -1) return -1;
      const m = PI.exec(buf.slice(pos + 2, end));
      if (m === null || !isNcName(m[1] as string)) throw malformed('malformed processing instruction');
      const target = m[1] as string;
      if (target.toLowerCase() === 'xml') {
        if (this.#started) throw malformed('XML declaration not at the start');
        if (!XML_DECL.test(m[2] ?? '')) throw malformed('malformed XML declaration');
        const enc = /encoding\s*=\s*["']([^"']*)["']/.exec(m[2] ?? '')?.[1];
        if (enc !== undefined && !/^utf-?8$/i.test(enc)) throw malformed(`unsupported encoding ${enc}`);
      } else {
        this.#handlers.processingInstruction(target, m[2] ?? '');
      }
      return end + 2;
    }
    if (c === '!') {
      if (buf.startsWith('!--', pos + 1)) {
        const end = buf.indexOf('-->', pos + 4);
        if (end === -1) return -1;
        if (buf.slice(pos + 4, end).includes('--')) throw malformed('"--" inside a comment');
        return end + 3;
      }
      if (buf.startsWith('![CDATA[', pos + 1)) {
        if (names.length === 0) throw malformed('CDATA outside the root element');
        const end = buf.indexOf(']]>', pos + 9);
        if (end === -1) return -1;
        const data = buf.slice(pos + 9, end);
        if (ILLEGAL.test(data)) throw malformed('illegal character in CDATA');
        this.#handlers.text(data.replace(/\r\n?/g, '\n'));
        return end + 3;
      }
      if (buf.startsWith('!DOCTYPE', pos + 1)) throw new XmlReadError('a DOCTYPE is not allowed', 'doctype');
      if (!final && buf.length - pos < 9) return -1;
      throw malformed('unknown markup declaration');
    }
    const end = tagEnd(buf, pos + 1);
    if (end === -1) return -1;
    this.#startTag(buf.slice(pos + 1, end));
    return end + 1;
  }

  #run(final: boolean): void {
    const buf = this.#buf;
    while (this.#pos < buf.length) {
      const pos = this.#pos;
      const lt = buf.indexOf('<', pos);
      if (lt === -1) {
        let cut = buf.length;
        if (!final) {
          // Keep what could be the start of an entity, a CR of a CRLF, or part of "]]>" for the next chunk.
          const amp = buf.lastIndexOf('&');
          if (amp >= pos && !buf.includes(';', amp)) cut = amp;
          while (cut > pos && (buf[cut - 1] === '\r' || buf[cut - 1] === ']')) cut -= 1;
        }
        this.#text(buf.slice(pos, cut));
        if (cut > pos) this.#started = true;
        this.#pos = cut;
        return;
      }
      if (lt > pos) {
        this.#text(buf.slice(pos, lt));
        this.#started = true;
      }
      this.#pos = lt;
      const next = this.#markup(final);
      if (next === -1) {
        if (final) throw malformed('unexpected end of document');
        if (buf.length - lt > MAX_MARKUP) throw malformed('markup longer than 8 MiB');
        return;
      }
      this.#started = true;
      this.#pos = next;
    }
  }
}
