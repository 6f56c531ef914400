/**
 * The project's one strict, namespace-aware, streaming XML 1.0 tokenizer: the KMEHR reader (`KmehrSaxBuilder`) uses
 * it directly, the WS-Security verifier, the signer and the SOAP envelope read through `src/wssec/scanner-event-reader.ts`,
 * which turns its tokens into the namespace-resolved elements canonicalisation needs. Written by hand because it has
 * to be fast on batch messages of millions of elements: it jumps between markup with `indexOf`, reads names and
 * attributes in place with `charCodeAt`, keeps namespace scopes as flat arrays, and builds nothing a reader does not
 * ask for. saxes (the general-purpose reader it replaces here) spends most of a batch's parse time on per-character
 * state machines; see docs/benchmarks.md "KMEHR reader".
 *
 * Strictness is the input gate of the registry, so it refuses what saxes refuses (checked against saxes on a
 * corpus in fast-xml-scanner.test.ts and, through the adapter, src/wssec/scanner-event-reader.test.ts): illegal
 * characters, bad names (the rules of ./xml-names.ts), unquoted / duplicate / `<`-containing attributes, undefined
 * entities and invalid character references, `]]>` in text, `--` in comments, misplaced XML declarations, mismatched
 * or unclosed tags, text or a second element outside the root, unbound prefixes, bad namespace declarations,
 * duplicate expanded attribute names. A DOCTYPE is handed to `doctype` (so the refusal can name an XXE or an entity
 * declaration) and then refused here, whatever the handler does. Line endings are normalised (CRLF, CR → LF) and
 * attribute values whitespace-normalised, as XML says. Its own bounds (SCANNER_LIMITS, src/kmehr/xml-limits.ts): the
 * nesting depth and the size of one unfinished construct (a tag, comment, CDATA section, PI, DOCTYPE, or a reference
 * in text), so input that never closes a construct cannot make it hold a whole body.
 *
 * What the two scanners it replaces did that the other did not (issue 12 §2), and where that lives now:
 * - KMEHR scanner only: text handed over as ranges of its buffer (white space between elements is never copied),
 *   lazy line/column of a refusal, `xmlDeclEncoding` for the reader's encoding rule, the DOCTYPE text for the
 *   refusal's code, linear time when a huge construct arrives in tiny chunks, a per-character name table, entity
 *   references with the position of the bad one, lone surrogates refused. All kept here.
 * - WS-Security scanner only: the character `offset` of the construct being reported (the envelope read turns it
 *   into a finding's line and column), prefixes, in-scope declarations and namespace-resolved attributes of each
 *   element (exclusive C14N needs them: `elementName`, `elementDeclarations`, `namespaceOf`, read by the adapter),
 *   processing instructions (C14N keeps them), text reported as it streams so a long text never waits for its end,
 *   the depth and construct-size limits, UTF-8-only encoding declarations (the adapter's rule: it reads UTF-8 text
 *   only; the KMEHR reader also accepts UTF-16). Offsets, PIs, streamed text and the limits are here now; building
 *   the C14N element objects and the encoding rule are in the adapter, so the KMEHR reader does not pay for them.
 */

import { SCANNER_LIMITS } from '../xml-limits.js';
import { ASCII_NAME, isNcName, isXmlName } from './xml-names.js';

/** What the scanner reports; handlers may throw to stop it. */
export interface XmlScanHandlers {
  /**
   * A start tag (an empty-element tag is followed by `close`). `attributes` is a flat `[qname, value, …]` list
   * without namespace declarations; a fresh array per call (or a shared frozen empty one).
   */
  open(uri: string, local: string, attributes: readonly string[]): void;
  close(): void;
  /**
   * Character data or CDATA inside the root element, decoded: `source.slice(start, end)`, handed over as a range so
   * that text nobody keeps (white space between elements) is never copied. May come in several pieces.
   */
  text(source: string, start: number, end: number): void;
  /**
   * A DOCTYPE declaration in the prolog, from `<!DOCTYPE` to its closing `>`: reported so that a refusal can say what
   * it held; the scanner refuses the document right after (kind `doctype`) if this returns.
   */
  doctype(declaration: string): void;
  /**
   * A processing instruction other than the XML declaration: its target and its data (from the first character after
   * the white space that follows the target). Optional: only canonicalisation keeps them.
   */
  processingInstruction?(target: string, data: string): void;
}

/** What a refusal is about: not well-formed, a DOCTYPE, or nesting beyond the scanner's depth limit. */
export type XmlSyntaxErrorKind = 'malformed' | 'doctype' | 'too-deep';

/** The scanner's own bounds (defaults: SCANNER_LIMITS). */
export interface XmlScanLimits {
  /** Deepest element nesting accepted. */
  readonly maxDepth: number;
  /** Longest unfinished construct held while waiting for its end (characters). */
  readonly maxMarkupChars: number;
}

/** A well-formedness error, with the line and column (1-based) where it was found. */
export class XmlSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly line: number,
    readonly column: number,
    readonly kind: XmlSyntaxErrorKind = 'malformed',
  ) {
    super(`${line}:${column}: ${detail}`);
    this.name = 'XmlSyntaxError';
  }
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const EMPTY: readonly string[] = Object.freeze([]);

// Characters XML 1.0 does not allow anywhere (lone surrogates included: the `u` flag sees them as code points).
// Matching control characters is this regex's purpose, which the lint rule cannot know.
// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\uD800-\uDFFF]/u;
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * `buf.charCodeAt(i)` for a scan that may reach the end of the buffer (a tag split between two writes), with -1
 * instead of NaN past the end (the scans test `i < n` before using it, so both compare the same). An
 * out-of-bounds charCodeAt deoptimises the optimised scanner, once per call site: the tag scanner was compiled
 * 7 times per 50 MB batch (~115 ms of compiler-thread CPU, docs/benchmarks.md "KMEHR reader, session 3").
 */
function codeAt(buf: string, i: number, n: number): number {
  return i < n ? buf.charCodeAt(i) : -1;
}

/** Whether `c` is an XML 1.0 Char. */
function isXmlChar(c: number): boolean {
  return c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/**
 * 1 when an attribute value needs no work (no character below U+0020, no `&`, `<`, no surrogate or U+FFFE/F):
 * one pass over a short value instead of several regular expressions.
 */
function plain(v: string): number {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x26 || c === 0x3c || c >= 0xd800) return 0;
  }
  return 1;
}

/** What `plainText` looks for, and `<` (so that a search from inside text stops at the text's end at the latest). */
const TEXT_WORK = /[^\t\n\x20-\x25\x27-\x3b\x3d-\x5c\x5e-\ud7ff]/g;

/** 1 when character data needs no work: as `plain`, and no `]` (for `]]>`); tab and LF are fine in text. */
function plainText(v: string, from: number, to: number): number {
  // A long run (a base64 message, a certificate) is searched by one regex, ~4× faster per character than the loop;
  // a short one by the loop, which costs less than starting the regex. `test` rather than `exec`: no match object.
  if (to - from > 64) {
    TEXT_WORK.lastIndex = from;
    return !TEXT_WORK.test(v) || TEXT_WORK.lastIndex > to ? 1 : 0;
  }
  for (let i = from; i < to; i++) {
    const c = v.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || c === 0x26 || c === 0x5d || c >= 0xd800) return 0;
  }
  return 1;
}

/** A sequential (flat) copy of `s`: `join` of two parts builds one; `[s].join('')` or `'' + s` would return `s` itself. */
function flatCopy(s: string): string {
  return s.length < 2 ? s : [s.slice(0, 1), s.slice(1)].join('');
}

/**
 * Where text that has no `<` after it yet may be cut to be reported now: before what the next chunk could complete
 * — an `&` without its `;` (-1: wait for a `;`), the `]]` of a `]]>`, the CR of a CRLF, a surrogate pair's first half.
 */
function textCut(buf: string, from: number, to: number): number {
  // Forward from the text's start (`lastIndexOf` would search back through the whole buffer when there is no `&`).
  for (let amp = buf.indexOf('&', from); amp !== -1 && amp < to;) {
    const semi = buf.indexOf(';', amp);
    if (semi === -1 || semi >= to) return -1 - amp;
    amp = buf.indexOf('&', semi);
  }
  let cut = to;
  let c = buf.charCodeAt(cut - 1);
  if (cut > from && c >= 0xd800 && c <= 0xdbff) c = buf.charCodeAt(--cut - 1);
  if (cut > from && c === 0x0d) c = buf.charCodeAt(--cut - 1);
  if (cut > from && c === 0x5d) c = buf.charCodeAt(--cut - 1);
  if (cut > from && c === 0x5d) cut--;
  return cut;
}

/** A strict streaming XML scanner; see the module comment. Feed with `write`, finish with `end`. */
export class FastXmlScanner {
  /** The XML declaration's `encoding`, when it has one (read once the declaration is complete). */
  xmlDeclEncoding: string | undefined = undefined;

  #buf = '';
  #pos = 0;
  // Characters dropped from the front of buf (compacted away), and buf's offset of the construct being reported or
  // refused: `offset` is their sum.
  #base = 0;
  #start = 0;
  // The namespace declarations of the element being opened ([prefix, uri, …], '' the default), during `open`.
  #declared: string[] | undefined = undefined;
  // Position bookkeeping, computed lazily: lines and the start of the current line before `buf[0]`.
  #lineBase = 1;
  #lineStartBase = 0; // offset of the current line's start relative to buf[0] (≤ 0)
  #mark = 0; // offset in buf of the construct being reported (for positions)
  #started = false; // anything but a BOM seen
  #rootSeen = false;
  #rootClosed = false;
  // Open elements: qualified names; namespace scope as a flat [prefix, uri, …] list with per-element marks.
  readonly #names: string[] = [];
  readonly #scope: string[] = ['xml', XML_NS, 'xmlns', XMLNS_NS];
  #defaultNs = '';
  // Only elements that declare namespaces push a frame: [depth, scope length, previous default namespace].
  readonly #frames: (number | string)[] = [];
  // Retry only when new input holds this character (0: always): a tag or comment arriving in tiny chunks is
  // not re-scanned from its start on every chunk.
  #waitFor = 0;
  #resumeAt = 0;
  // A big unfinished construct is re-scanned only once the input from its start has doubled: a huge tag or
  // DOCTYPE sent in tiny chunks then costs linear, not quadratic, time (bounded further by the size limit).
  #retrySize = 0;

  readonly #maxDepth: number;
  readonly #maxMarkup: number;
  readonly #h: XmlScanHandlers;

  constructor(h: XmlScanHandlers, limits: XmlScanLimits = SCANNER_LIMITS) {
    this.#h = h;
    this.#maxDepth = limits.maxDepth;
    this.#maxMarkup = limits.maxMarkupChars;
  }

  /**
   * The position (1-based line and column) of what is being reported or refused: after a start or end tag during
   * its `open` / `close` (where saxes places it), else the construct's start.
   */
  position(): { line: number; column: number } {
    return this.#positionAt(this.#mark);
  }

  /**
   * Characters of the input (as written, a BOM included) before the construct being reported — the `<` of a tag
   * during its `open` and `close`, the start of text during `text` — or before the construct refused.
   */
  get offset(): number {
    return this.#base + this.#start;
  }

  /** Characters of the input before the end of the tag being reported: just after its `>` during `open` and `close`. */
  get tagEnd(): number {
    return this.#base + this.#mark;
  }

  /**
   * Characters of the input scanned when the last `write` returned: everything before it has been reported, what
   * follows waits for more input. (During a write it is where that write began.)
   */
  get scanned(): number {
    return this.#base + this.#pos;
  }

  /**
   * The input as written between two offsets (in `offset` units), without a copy of what lies outside: lets a reader
   * pass a subtree on as submitted. Both must lie at or after `scanned` as it was when the current write began —
   * the scanner drops what is before that at the next write — and at most at the end of what was written.
   */
  source(from: number, to: number): string {
    return this.#buf.slice(from - this.#base, to - this.#base);
  }

  /** The qualified name of the element being opened (during `open`), or of the innermost open element. */
  get elementName(): string {
    return this.#names[this.#names.length - 1]!;
  }

  /** The namespace declarations on the element being opened (during `open`): [prefix, uri, …], prefix '' the default; undefined when it has none. */
  get elementDeclarations(): readonly string[] | undefined {
    return this.#declared;
  }

  /** The namespace URI bound to a (non-empty) prefix where the scanner is, or undefined when it is unbound. */
  namespaceOf(prefix: string): string | undefined {
    return this.#resolve(prefix);
  }

  /** Scans the next piece of text. Throws `XmlSyntaxError` (or what a handler throws). */
  write(chunk: string): void {
    if (chunk.length === 0) return;
    if (this.#pos > 0) this.#compact();
    this.#buf = this.#buf.length === 0 ? chunk : this.#buf + chunk;
    if (this.#retrySize !== 0) {
      if (this.#buf.length - this.#pos < this.#retrySize) return this.#checkWaiting();
      this.#retrySize = 0;
      this.#waitFor = 0;
    }
    if (this.#waitFor !== 0) {
      if (chunk.indexOf(String.fromCharCode(this.#waitFor)) === -1) return this.#checkWaiting();
      this.#waitFor = 0;
    }
    // Scan a flat copy: a concatenated string is read through an indirection at every charCodeAt and indexOf, which
    // cost ~10 % of a batch's scan (instruction counts, docs/benchmarks.md). Copied only when scanning, so input that
    // waits (a huge tag in tiny chunks) is not copied per chunk; and not when the buffer is the chunk itself (a whole
    // message or envelope in one write, decoded flat): copying 6 KB per signed envelope cost more than it saved.
    if (this.#buf !== chunk) this.#buf = flatCopy(this.#buf);
    this.#run();
  }

  /** Ends the input: refuses an unfinished construct, unclosed elements and a missing root. */
  end(): void {
    this.#waitFor = 0;
    this.#retrySize = 0;
    this.#run();
    if (this.#pos < this.#buf.length) {
      this.#mark = this.#start = this.#pos;
      if (this.#buf.indexOf('<', this.#pos) !== -1) this.#fail('unexpected end of input');
      this.#textRun(this.#pos, this.#buf.length); // trailing text: white space after the root is fine
      this.#pos = this.#buf.length;
    }
    this.#mark = this.#start = this.#buf.length;
    if (this.#names.length > 0) this.#fail(`unclosed tag: ${this.#names[this.#names.length - 1]}`);
    if (!this.#rootSeen) this.#fail('document must contain a root element');
  }

  /** Input waits for the end of a construct (from `pos`): refused once it is longer than the scanner holds. */
  #checkWaiting(): void {
    if (this.#buf.length - this.#pos <= this.#maxMarkup) return;
    this.#mark = this.#start = this.#pos;
    this.#fail(`an unfinished construct (markup, or a reference in text) longer than ${this.#maxMarkup} characters`);
  }

  #compact(): void {
    const buf = this.#buf;
    const pos = this.#pos;
    this.#base += pos;
    // Count the lines being dropped (LF, CRLF and lone CR each end one).
    let lines = 0;
    let lastStart = -1;
    for (let i = buf.indexOf('\n'); i !== -1 && i < pos; i = buf.indexOf('\n', i + 1)) {
      lines++;
      lastStart = i + 1;
    }
    for (let i = buf.indexOf('\r'); i !== -1 && i < pos; i = buf.indexOf('\r', i + 1)) {
      const next = buf.charCodeAt(i + 1);
      if (next === 10) continue;
      if (i + 1 >= buf.length) break; // a CR at the very end: decided when the next character comes
      lines++;
      if (i + 1 > lastStart) lastStart = i + 1;
    }
    this.#lineBase += lines;
    this.#lineStartBase = lastStart >= 0 ? lastStart - pos : this.#lineStartBase - pos;
    this.#buf = buf.slice(pos);
    this.#resumeAt = Math.max(0, this.#resumeAt - pos);
    this.#pos = 0;
  }

  #positionAt(offset: number): { line: number; column: number } {
    const buf = this.#buf;
    let line = this.#lineBase;
    let lineStart = this.#lineStartBase;
    for (let i = 0; i < offset && i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c === 10 || (c === 13 && buf.charCodeAt(i + 1) !== 10)) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: Math.max(1, offset - lineStart + 1) };
  }

  #fail(detail: string, at: number = this.#mark, kind?: XmlSyntaxErrorKind): never {
    const { line, column } = this.#positionAt(at);
    throw new XmlSyntaxError(detail, line, column, kind);
  }

  #run(): void {
    const buf = this.#buf;
    const n = buf.length;
    let pos = this.#pos;
    if (!this.#started && pos === 0 && buf.charCodeAt(0) === 0xfeff) pos = 1;
    while (pos < n) {
      const lt = buf.indexOf('<', pos);
      if (lt === -1) {
        // Text without its end yet: report what the next chunk cannot change, so a long text is never held whole.
        const cut = textCut(buf, pos, n);
        const to = cut < 0 ? -1 - cut : cut;
        if (cut < 0) this.#waitFor = 0x3b; // an `&` waits for its `;`
        if (to > pos) {
          this.#mark = this.#start = pos;
          this.#textRun(pos, to);
          this.#started = true;
          pos = to;
        }
        break;
      }
      if (lt > pos) {
        this.#mark = this.#start = pos;
        this.#textRun(pos, lt);
        this.#started = true;
      }
      this.#mark = this.#start = lt;
      const c = codeAt(buf, lt + 1, n);
      let end: number;
      if (lt + 1 >= n) end = -1;
      else if (c === 0x2f) end = this.#endTag(lt);
      else if (c === 0x21) end = this.#bang(lt);
      else if (c === 0x3f) end = this.#pi(lt);
      else end = this.#startTag(lt);
      if (end === -1) {
        pos = lt;
        if (n - lt > this.#maxMarkup) this.#fail(`an unfinished construct (markup, or a reference in text) longer than ${this.#maxMarkup} characters`, lt);
        if (this.#waitFor === 0) this.#waitFor = 0x3e;
        if (n - lt > 4096) this.#retrySize = 2 * (n - lt);
        break;
      }
      this.#started = true;
      this.#resumeAt = 0;
      pos = end;
    }
    this.#pos = pos;
  }

  /** Character data in [from, to): checked, decoded and (inside the root) reported. */
  #textRun(from: number, to: number): void {
    const buf = this.#buf;
    if (this.#names.length !== 0 && plainText(buf, from, to) !== 0) {
      this.#h.text(buf, from, to);
      return;
    }
    let raw = buf.slice(from, to);
    if (ILLEGAL.test(raw)) this.#fail('disallowed character', from + raw.search(ILLEGAL));
    if (this.#names.length === 0) {
      for (let i = 0; i < raw.length; i++) {
        if (!isSpace(raw.charCodeAt(i))) this.#fail(this.#rootClosed ? 'text data outside of root node' : 'text data outside of root node', from + i);
      }
      return;
    }
    const cdEnd = raw.indexOf(']]>');
    if (cdEnd !== -1) this.#fail('the string "]]>" is disallowed in char data', from + cdEnd);
    if (raw.indexOf('\r') !== -1) raw = raw.replace(/\r\n?/g, '\n');
    if (raw.indexOf('&') !== -1) raw = this.#decode(raw, from, false);
    this.#h.text(raw, 0, raw.length);
  }

  /** Replaces entity and character references; `attribute` also normalises white space. */
  #decode(s: string, at: number, attribute: boolean): string {
    let out = '';
    let last = 0;
    for (let amp = s.indexOf('&'); amp !== -1; amp = s.indexOf('&', last)) {
      const semi = s.indexOf(';', amp + 1);
      if (semi === -1) this.#fail('unterminated entity reference', at);
      const name = s.slice(amp + 1, semi);
      let value: string;
      switch (name) {
        case 'lt':
          value = '<';
          break;
        case 'gt':
          value = '>';
          break;
        case 'amp':
          value = '&';
          break;
        case 'quot':
          value = '"';
          break;
        case 'apos':
          value = "'";
          break;
        default: {
          if (name.charCodeAt(0) !== 0x23) {
            this.#fail(name === '' || !isXmlName(name) ? 'malformed entity reference' : `undefined entity: ${name}`, at);
          }
          const hex = name.charCodeAt(1) === 0x78;
          const digits = name.slice(hex ? 2 : 1);
          if (digits === '' || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) this.#fail('malformed character entity', at);
          const cp = parseInt(digits, hex ? 16 : 10);
          if (!isXmlChar(cp)) this.#fail('malformed character entity', at);
          value = String.fromCodePoint(cp);
        }
      }
      const before = s.slice(last, amp);
      out += attribute ? before.replace(/[\t\n]/g, ' ') : before;
      out += value;
      last = semi + 1;
    }
    const rest = s.slice(last);
    return out + (attribute ? rest.replace(/[\t\n]/g, ' ') : rest);
  }

  /** `</name S?>`; returns the offset after `>` or -1 when incomplete. */
  #endTag(lt: number): number {
    const buf = this.#buf;
    const names = this.#names;
    if (names.length !== 0) {
      // The usual case, `</name>` of the open element: compared in place, no copy of the name.
      const open = names[names.length - 1]!;
      const gt = lt + 2 + open.length;
      if (gt < buf.length && buf.charCodeAt(gt) === 0x3e && buf.startsWith(open, lt + 2)) {
        this.#mark = gt + 1;
        this.#closeElement();
        return gt + 1;
      }
    }
    const gt = buf.indexOf('>', lt + 2);
    if (gt === -1) return -1;
    let e = gt;
    while (isSpace(buf.charCodeAt(e - 1))) e--;
    const name = buf.slice(lt + 2, e);
    if (names.length === 0) this.#fail(this.#rootClosed ? `unmatched closing tag: ${name}` : `unmatched closing tag: ${name}`);
    const open = names[names.length - 1]!;
    if (name !== open) {
      if (name === '' || !this.#validName(name)) this.#fail('disallowed character in closing tag name');
      this.#fail(`unexpected close tag: ${name}`);
    }
    this.#mark = gt + 1;
    this.#closeElement();
    return gt + 1;
  }

  #closeElement(): void {
    const frames = this.#frames;
    if (frames.length !== 0 && frames[frames.length - 3] === this.#names.length) {
      this.#defaultNs = frames.pop() as string;
      this.#scope.length = frames.pop() as number;
      frames.pop();
    }
    this.#names.pop();
    if (this.#names.length === 0) this.#rootClosed = true;
    this.#h.close();
  }

  #validName(name: string): boolean {
    return isXmlName(name);
  }

  /** A qualified name's parts, or undefined when it is not a QName (empty prefix/local, two colons). */
  static #splitQName(name: string): [string, string] | undefined {
    const colon = name.indexOf(':');
    if (colon === -1) return ['', name];
    if (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) !== -1) return undefined;
    const prefix = name.slice(0, colon);
    const local = name.slice(colon + 1);
    if (!FastXmlScanner.#ncname(prefix) || !FastXmlScanner.#ncname(local)) return undefined;
    return [prefix, local];
  }

  static #ncname(s: string): boolean {
    return isNcName(s);
  }

  #resolve(prefix: string): string | undefined {
    const scope = this.#scope;
    for (let i = scope.length - 2; i >= 0; i -= 2) if (scope[i] === prefix) return scope[i + 1];
    return undefined;
  }

  /** A start or empty-element tag; returns the offset after `>` or -1 when incomplete. */
  #startTag(lt: number): number {
    const buf = this.#buf;
    const n = buf.length;
    if (this.#rootClosed) this.#fail('text data outside of root node');
    let i = lt + 1;
    const nameStart = i;
    let wide = 0; // any non-ASCII character: checked by the full Unicode rule
    for (let c = codeAt(buf, i, n); i < n && (c >= 128 ? (wide = 1) : ASCII_NAME[c] !== 0); c = codeAt(buf, ++i, n));
    let prefixed = 0; // any attribute name with a colon: only then are attribute namespaces checked
    if (i >= n) return -1;
    if (i === nameStart) this.#fail('disallowed character in tag name');
    const qname = buf.slice(nameStart, i);
    if (wide !== 0 ? !isXmlName(qname) : ASCII_NAME[qname.charCodeAt(0)] !== 2) this.#fail('disallowed character in tag name');
    let attributes: string[] | undefined;
    let declarations: string[] | undefined; // [prefix, uri, …]; '' prefix: default namespace
    let selfClosing = false;
    for (;;) {
      let c = codeAt(buf, i, n);
      const spaced = isSpace(c);
      while (isSpace(c)) c = codeAt(buf, ++i, n);
      if (i >= n) return -1;
      if (c === 0x3e) {
        i++;
        break;
      }
      if (c === 0x2f) {
        if (i + 1 >= n) return -1;
        if (buf.charCodeAt(i + 1) !== 0x3e) this.#fail('forward-slash in opening tag not followed by >', i);
        selfClosing = true;
        i += 2;
        break;
      }
      if (!spaced) this.#fail('no whitespace between attributes', i);
      const an0 = i;
      wide = 0;
      for (c = codeAt(buf, i, n); i < n && (c >= 128 ? (wide = 1) : ASCII_NAME[c] !== 0); c = codeAt(buf, ++i, n));
      if (i >= n) return -1;
      if (i === an0) this.#fail('disallowed character in attribute name', i);
      const an = buf.slice(an0, i);
      if (wide !== 0 ? !isXmlName(an) : ASCII_NAME[an.charCodeAt(0)] !== 2) this.#fail('disallowed character in attribute name', an0);
      c = codeAt(buf, i, n);
      while (isSpace(c)) c = codeAt(buf, ++i, n);
      if (i >= n) return -1;
      if (c !== 0x3d) this.#fail('attribute without value', i);
      c = codeAt(buf, ++i, n);
      while (isSpace(c)) c = codeAt(buf, ++i, n);
      if (i >= n) return -1;
      if (c !== 0x22 && c !== 0x27) this.#fail('unquoted attribute value', i);
      const q = buf.indexOf(c === 0x22 ? '"' : "'", i + 1);
      if (q === -1) {
        this.#waitFor = c;
        return -1;
      }
      let v = buf.slice(i + 1, q);
      if (plain(v) === 0) {
        if (v.indexOf('<') !== -1) this.#fail('disallowed character in attribute value', i + 1 + v.indexOf('<'));
        if (ILLEGAL.test(v)) this.#fail('disallowed character', i + 1 + v.search(ILLEGAL));
        if (v.indexOf('\r') !== -1) v = v.replace(/\r\n?/g, '\n');
        v = v.indexOf('&') !== -1 ? this.#decode(v, i + 1, true) : v.replace(/[\t\n]/g, ' ');
      }
      i = q + 1;
      if (an.charCodeAt(0) === 0x78 && (an === 'xmlns' || an.startsWith('xmlns:'))) {
        declarations ??= [];
        const prefix = an.length === 5 ? '' : an.slice(6);
        if (an.length > 5 && prefix === '') this.#fail(`malformed qualified name: ${an}`, an0);
        for (let k = 0; k < declarations.length; k += 2) if (declarations[k] === prefix) this.#fail(`duplicate attribute: ${an}`, an0);
        this.#checkDeclaration(prefix, v, an0);
        declarations.push(prefix, v);
        continue;
      }
      attributes ??= [];
      for (let k = 0; k < attributes.length; k += 2) if (attributes[k] === an) this.#fail(`duplicate attribute: ${an}`, an0);
      attributes.push(an, v);
      if (wide !== 0 || an.indexOf(':') !== -1) prefixed = 1;
    }
    if (this.#names.length >= this.#maxDepth) this.#fail(`elements nested deeper than ${this.#maxDepth}`, lt, 'too-deep');
    // Namespaces: this element's declarations apply to its own name and attributes.
    if (declarations !== undefined) {
      this.#frames.push(this.#names.length + 1, this.#scope.length, this.#defaultNs);
      for (let k = 0; k < declarations.length; k += 2) {
        if (declarations[k] === '') this.#defaultNs = declarations[k + 1]!;
        else this.#scope.push(declarations[k]!, declarations[k + 1]!);
      }
    }
    this.#names.push(qname);
    let uri: string;
    let local: string;
    const colon = qname.indexOf(':');
    if (colon === -1) {
      uri = this.#defaultNs;
      local = qname;
    } else {
      const parts = FastXmlScanner.#splitQName(qname);
      if (parts === undefined) this.#fail(`malformed qualified name: ${qname}`);
      if (parts[0] === 'xmlns') this.#fail('the xmlns prefix cannot be used on an element');
      const resolved = this.#resolve(parts[0]);
      if (resolved === undefined) this.#fail(`unbound namespace prefix: "${parts[0]}"`);
      uri = resolved;
      local = parts[1];
    }
    if (prefixed !== 0) this.#checkAttributeNames(attributes!);
    if (!this.#rootSeen) this.#rootSeen = true;
    this.#mark = i;
    this.#declared = declarations;
    this.#h.open(uri, local, attributes ?? EMPTY);
    if (selfClosing) this.#closeElement();
    return i;
  }

  #checkDeclaration(prefix: string, uri: string, at: number): void {
    if (prefix === '') {
      if (uri === XML_NS || uri === XMLNS_NS) this.#fail(`the default namespace cannot be bound to ${uri}`, at);
      return;
    }
    if (!FastXmlScanner.#ncname(prefix)) this.#fail(`malformed qualified name: xmlns:${prefix}`, at);
    if (uri === '') this.#fail(`invalid empty namespace for prefix ${prefix}`, at);
    if (prefix === 'xmlns') this.#fail('the xmlns prefix cannot be declared', at);
    if (prefix === 'xml' ? uri !== XML_NS : uri === XML_NS) this.#fail(`xml prefix must be bound to ${XML_NS}`, at);
    if (uri === XMLNS_NS) this.#fail(`the prefix ${prefix} cannot be bound to ${XMLNS_NS}`, at);
  }

  /** Prefixed attributes: bound prefixes and no two with the same expanded name. */
  #checkAttributeNames(attributes: readonly string[]): void {
    let expanded: string[] | undefined;
    for (let k = 0; k < attributes.length; k += 2) {
      const an = attributes[k]!;
      if (an.indexOf(':') === -1) continue;
      const parts = FastXmlScanner.#splitQName(an);
      if (parts === undefined) this.#fail(`malformed qualified name: ${an}`);
      const uri = this.#resolve(parts[0]);
      if (uri === undefined) this.#fail(`unbound namespace prefix: "${parts[0]}"`);
      const key = `{${uri}}${parts[1]}`;
      expanded ??= [];
      if (expanded.includes(key)) this.#fail(`duplicate attribute: ${key}`);
      expanded.push(key);
    }
  }

  /** `<?target body?>`, the XML declaration included; returns the offset after `?>` or -1. */
  #pi(lt: number): number {
    const buf = this.#buf;
    const end = buf.indexOf('?>', Math.max(lt + 2, this.#resumeAt));
    if (end === -1) {
      this.#resumeAt = Math.max(lt + 2, buf.length - 1);
      return -1;
    }
    const body = buf.slice(lt + 2, end);
    let t = 0;
    while (t < body.length && !isSpace(body.charCodeAt(t))) t++;
    const target = body.slice(0, t);
    if (target === '' || !this.#validName(target)) this.#fail('disallowed character in processing instruction target');
    if (ILLEGAL.test(body)) this.#fail('disallowed character');
    if (target.toLowerCase() === 'xml') {
      if (target !== 'xml' || this.#started || lt > (buf.charCodeAt(0) === 0xfeff ? 1 : 0)) {
        this.#fail('an XML declaration must be at the start of the document');
      }
      this.#xmlDeclaration(body.slice(3));
    } else if (target.indexOf(':') !== -1) {
      this.#fail('colons are forbidden in processing instruction targets');
    } else if (this.#h.processingInstruction !== undefined) {
      while (t < body.length && isSpace(body.charCodeAt(t))) t++;
      this.#h.processingInstruction(target, body.slice(t));
    }
    return end + 2;
  }

  #xmlDeclaration(rest: string): void {
    // version, then optional encoding, then optional standalone, each preceded by white space.
    const m = /^(\s+version\s*=\s*(?:"([^"]*)"|'([^']*)'))(\s+encoding\s*=\s*(?:"([^"]*)"|'([^']*)'))?(\s+standalone\s*=\s*(?:"([^"]*)"|'([^']*)'))?\s*$/.exec(
      rest,
    );
    if (m === null) this.#fail('malformed XML declaration');
    const version = m[2] ?? m[3]!;
    if (!/^1\.[0-9]+$/.test(version)) this.#fail(`version number ${version} is not supported`);
    const encoding = m[5] ?? m[6];
    if (encoding !== undefined && !/^[A-Za-z][A-Za-z0-9._-]*$/.test(encoding)) this.#fail('encoding value must match [A-Za-z][A-Za-z0-9._-]*');
    const standalone = m[8] ?? m[9];
    if (standalone !== undefined && standalone !== 'yes' && standalone !== 'no') this.#fail('standalone value must be "yes" or "no"');
    this.xmlDeclEncoding = encoding;
  }

  /** `<!--…-->`, `<![CDATA[…]]>` or `<!DOCTYPE…>`; returns the offset after it or -1. */
  #bang(lt: number): number {
    const buf = this.#buf;
    const n = buf.length;
    if (n - lt < 9) {
      const head = buf.slice(lt, n);
      if ('<!--'.startsWith(head) || '<![CDATA['.startsWith(head) || '<!DOCTYPE'.startsWith(head)) return -1;
    }
    if (buf.startsWith('<!--', lt)) {
      const end = buf.indexOf('--', Math.max(lt + 4, this.#resumeAt));
      if (end === -1 || end + 2 >= n) {
        this.#resumeAt = end === -1 ? Math.max(lt + 4, n - 1) : end;
        return -1;
      }
      if (buf.charCodeAt(end + 2) !== 0x3e) this.#fail('double-hyphen in comment', end);
      const body = buf.slice(lt + 4, end);
      if (ILLEGAL.test(body)) this.#fail('disallowed character');
      return end + 3;
    }
    if (buf.startsWith('<![CDATA[', lt)) {
      if (this.#names.length === 0) this.#fail('CDATA section outside of the root element');
      const end = buf.indexOf(']]>', Math.max(lt + 9, this.#resumeAt));
      if (end === -1) {
        this.#resumeAt = Math.max(lt + 9, n - 2);
        return -1;
      }
      let body = buf.slice(lt + 9, end);
      if (ILLEGAL.test(body)) this.#fail('disallowed character');
      if (body.indexOf('\r') !== -1) body = body.replace(/\r\n?/g, '\n');
      this.#h.text(body, 0, body.length);
      return end + 3;
    }
    if (buf.startsWith('<!DOCTYPE', lt)) {
      if (this.#rootSeen) this.#fail('doctype can only appear before the root element');
      const end = doctypeEnd(buf, lt + 9);
      if (end === -1) return -1;
      this.#h.doctype(buf.slice(lt, end));
      this.#fail('a DOCTYPE is not allowed', lt, 'doctype');
    }
    this.#fail('disallowed markup declaration');
  }
}

/** The offset after the `>` closing a DOCTYPE that starts before `from`, skipping quoted strings and the subset. */
function doctypeEnd(buf: string, from: number): number {
  let quote = 0;
  let depth = 0;
  for (let i = from; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x5b) depth++;
    else if (c === 0x5d) depth--;
    else if (c === 0x3e && depth <= 0) return i + 1;
  }
  return -1;
}
