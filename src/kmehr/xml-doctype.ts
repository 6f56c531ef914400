import type { StatusCode } from '../status/catalogue.js';
import { decodeXml, sniffEncoding } from './xml-decode.js';

/** The three screen codes a document type declaration can earn. */
export type DoctypeCode = 'XML_EXTERNAL_ENTITY' | 'XML_ENTITY_DECLARATION' | 'XML_DOCTYPE_FORBIDDEN';

// An external identifier anywhere in the declaration: on an entity (XXE, external parameter entity) or on the
// DOCTYPE itself (the external DTD subset is an external entity too, and fetching it is the same attack surface).
const EXTERNAL_ID = /\b(?:SYSTEM|PUBLIC)\b/i;
const ENTITY_DECL = /<!ENTITY\b/i;

/**
 * Classifies the text of a `<!DOCTYPE …>` declaration (with or without the `<!DOCTYPE` prefix): the most specific
 * reason wins, so the XXE and entity-expansion attacks are told apart from a harmless but forbidden DOCTYPE.
 */
export function classifyDoctype(declaration: string): DoctypeCode & StatusCode {
  if (EXTERNAL_ID.test(declaration)) return 'XML_EXTERNAL_ENTITY';
  if (ENTITY_DECL.test(declaration)) return 'XML_ENTITY_DECLARATION';
  return 'XML_DOCTYPE_FORBIDDEN';
}

const LT = 0x3c;
const BANG = 0x21;
const QUESTION = 0x3f;

/**
 * The prolog's characters from a string or the bytes of a Buffer (the prolog markup is ASCII either way): one small
 * object per submitted message, whatever the input's type.
 */
class PrologText {
  readonly #text: string | undefined;
  readonly #bytes: Buffer | undefined;
  readonly length: number;

  constructor(input: Buffer | string) {
    this.#text = typeof input === 'string' ? input : undefined;
    this.#bytes = typeof input === 'string' ? undefined : input;
    this.length = input.length;
  }

  get isText(): boolean {
    return this.#text !== undefined;
  }

  at(i: number): number {
    return this.#text !== undefined ? this.#text.charCodeAt(i) : this.#bytes![i]!;
  }

  indexOf(needle: string, from: number): number {
    return this.#text !== undefined ? this.#text.indexOf(needle, from) : this.#bytes!.indexOf(needle, from, 'latin1');
  }

  slice(from: number, to: number): string {
    return this.#text !== undefined ? this.#text.slice(from, to) : this.#bytes!.toString('latin1', from, to);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Finds a DOCTYPE in the prolog only: skips a BOM, whitespace, the XML declaration, processing instructions and
 * comments, and stops at the first other markup (normally the root element), so the cost is the prolog's length,
 * not the document's. Returns the declaration text (up to its closing `>` or the end of input) or undefined.
 * A `<!DOCTYPE` in any letter case counts: we refuse rather than argue about what a lenient parser might accept.
 */
export function findPrologDoctype(input: Buffer | string): string | undefined {
  // UTF-16 bytes would hide the markup from a byte scan: decode them (the size limit has already been checked).
  if (typeof input !== 'string' && sniffEncoding(input) !== 'utf-8') return findPrologDoctype(decodeXml(input));
  const prolog = new PrologText(input);
  const length = prolog.length;
  let i = 0;
  // UTF-8 BOM as bytes, or U+FEFF as a decoded character.
  if (prolog.isText ? prolog.at(0) === 0xfeff : length >= 3 && prolog.at(0) === 0xef && prolog.at(1) === 0xbb && prolog.at(2) === 0xbf) {
    i = prolog.isText ? 1 : 3;
  }
  for (;;) {
    while (i < length && isSpace(prolog.at(i))) i++;
    if (i >= length || prolog.at(i) !== LT) return undefined;
    const next = prolog.at(i + 1);
    if (next === QUESTION) {
      const end = prolog.indexOf('?>', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (next === BANG) {
      if (prolog.slice(i, i + 4) === '<!--') {
        const end = prolog.indexOf('-->', i + 4);
        if (end < 0) return undefined;
        i = end + 3;
      } else if (prolog.slice(i + 2, i + 9).toUpperCase() === 'DOCTYPE') {
        return prolog.slice(i, doctypeEnd(prolog, i + 9));
      } else {
        return undefined;
      }
    } else {
      return undefined;
    }
  }
}

/** Index just past the `>` closing a DOCTYPE, skipping quoted strings and the `[…]` internal subset. */
function doctypeEnd(prolog: PrologText, from: number): number {
  const length = prolog.length;
  let quote = 0;
  let depth = 0;
  for (let i = from; i < length; i++) {
    const c = prolog.at(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x5b) {
      depth++;
    } else if (c === 0x5d) {
      depth--;
    } else if (c === 0x3e && depth <= 0) {
      return i + 1;
    }
  }
  return length;
}
