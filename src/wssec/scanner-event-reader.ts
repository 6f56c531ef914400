import { FastXmlScanner, XmlSyntaxError, type XmlScanHandlers } from '../kmehr/xml/fast-xml-scanner.js';
import type { C14nAttribute, C14nElement } from './exc-c14n.js';
import { XmlReadError, type XmlEventHandlers, type XmlEventReader, type XmlSourceWindow } from './xml-events.js';

/*
 * The signature path's events from the project's one XML tokenizer (src/kmehr/xml/fast-xml-scanner.ts, which says
 * what it checks): each element as exclusive C14N needs it — prefix, the namespace declarations written on it,
 * attributes with their namespace — built here from the tokenizer's state, so the KMEHR reader, which reads the same
 * tokens, never pays for those objects. The rule the KMEHR reader does not share: only UTF-8 is read here (the text
 * comes from a UTF-8 decoder), so another declared encoding is refused.
 */

const UTF8 = /^utf-?8$/i;
/** Shared by every element without namespace declarations (C14N only reads it). */
const NO_DECLARATIONS: Readonly<Record<string, string>> = Object.freeze({});

/** Creates the reader: strict, namespace-aware, streaming; handlers may throw to abort (the error propagates). */
export function createScannerEventReader(handlers: XmlEventHandlers): XmlEventReader & XmlSourceWindow {
  return new ScannerEventReader(handlers);
}

/* The tokenizer's handler itself: one object per read, whose methods are the handlers. */
class ScannerEventReader implements XmlEventReader, XmlSourceWindow, XmlScanHandlers {
  readonly #handlers: XmlEventHandlers;
  readonly #scanner: FastXmlScanner;
  #rootSeen = false;
  #doctype: string | undefined;

  constructor(handlers: XmlEventHandlers) {
    this.#handlers = handlers;
    this.#scanner = new FastXmlScanner(this);
  }

  get offset(): number {
    return this.#scanner.offset;
  }

  get tagEnd(): number {
    return this.#scanner.tagEnd;
  }

  get scanned(): number {
    return this.#scanner.scanned;
  }

  source(from: number, to: number): string {
    return this.#scanner.source(from, to);
  }

  position(): { line: number; column: number } {
    return this.#scanner.position();
  }

  /** The tokenizer's refusal as the signature path's error; anything else (a handler's own error) passes unchanged. */
  #readError(err: unknown): unknown {
    if (!(err instanceof XmlSyntaxError)) return err;
    const declaration = err.kind === 'doctype' ? this.#doctype : undefined;
    return new XmlReadError(err.detail, err.kind, { line: err.line, column: err.column, ...(declaration !== undefined && { declaration }) });
  }

  write(text: string): void {
    try {
      this.#scanner.write(text);
    } catch (err) {
      throw this.#readError(err);
    }
  }

  end(): void {
    try {
      this.#scanner.end();
    } catch (err) {
      throw this.#readError(err);
    }
  }

  open(uri: string, local: string, flat: readonly string[]): void {
    const scanner = this.#scanner;
    if (!this.#rootSeen) {
      // The XML declaration, if any, is complete before the root's start tag.
      const encoding = scanner.xmlDeclEncoding;
      if (encoding !== undefined && !UTF8.test(encoding)) throw new XmlReadError(`unsupported encoding ${encoding}`, 'malformed');
      this.#rootSeen = true;
    }
    const name = scanner.elementName;
    const colon = name.indexOf(':');
    const attributes: C14nAttribute[] = [];
    for (let k = 0; k < flat.length; k += 2) {
      const qname = flat[k]!;
      const value = flat[k + 1]!;
      const c = qname.indexOf(':');
      if (c === -1) attributes.push({ name: qname, prefix: '', local: qname, uri: '', value });
      else {
        const prefix = qname.slice(0, c);
        // The tokenizer has refused an unbound prefix already.
        attributes.push({ name: qname, prefix, local: qname.slice(c + 1), uri: scanner.namespaceOf(prefix)!, value });
      }
    }
    const declared = scanner.elementDeclarations;
    let ns = NO_DECLARATIONS;
    if (declared !== undefined) {
      const own: Record<string, string> = {};
      for (let k = 0; k < declared.length; k += 2) own[declared[k]!] = declared[k + 1]!;
      ns = own;
    }
    const el: C14nElement = { name, prefix: colon === -1 ? '' : name.slice(0, colon), local, uri, attributes, ns };
    this.#handlers.open(el);
  }

  close(): void {
    this.#handlers.close();
  }

  text(source: string, start: number, end: number): void {
    this.#handlers.text(source.slice(start, end));
  }

  processingInstruction(target: string, data: string): void {
    this.#handlers.processingInstruction(target, data);
  }

  doctype(declaration: string): void {
    // Refused by the tokenizer right after this (kind 'doctype'); kept so the refusal can say what it declared.
    this.#doctype = declaration;
  }
}
