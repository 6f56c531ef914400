import { SaxesParser, type SaxesTagNS } from 'saxes';
import { doctypeFinding } from '../../kmehr/xml-limits.js';
import { finding, type Finding } from '../../status/finding.js';
import { SOAP11_NS, SOAP12_NS } from '../../contracts/namespaces.js';

/** Receives the events inside `soap:Body`: the operation element (depth 0) and everything below it. */
export interface BodyHandler {
  /** `depth` 0 is the Body's element child (the operation); its children are depth 1, … */
  open(tag: SaxesTagNS, depth: number, walker: EnvelopeWalker): void;
  text(text: string, depth: number, walker: EnvelopeWalker): void;
  close(tag: SaxesTagNS, depth: number, walker: EnvelopeWalker): void;
}

/** Stops the parse with one finding; caught by the readers and returned, never escapes them. */
export class EnvelopeAbort extends Error {
  readonly finding: Finding;
  constructor(f: Finding) {
    super(f.message);
    this.finding = f;
  }
}

export const ENVELOPE_PATH = '/Envelope';
export const BODY_PATH = '/Envelope/Body';

type Place = 'before' | 'envelope' | 'header' | 'body' | 'after';

/**
 * Drives saxes over a SOAP 1.1 envelope (no DOM: memory stays flat for 120 MB bodies) and checks the frame:
 * root `Envelope` in the SOAP 1.1 namespace, an optional `Header` (skipped: WS-Security is verified separately on
 * the raw bytes), then exactly one `Body` with exactly one element child, handed to a {@link BodyHandler}.
 * Refuses DOCTYPEs (backstop for `screenXml`) and nesting deeper than `maxDepth`.
 * Errors are thrown as {@link EnvelopeAbort}.
 *
 * Without a parser (`parse: false`) the walker takes its events from another XML reader through
 * {@link openElement}, {@link closeElement}, {@link characters} and {@link endDocument} (RegistratieService feeds it
 * from the WS-Security scanner); its findings then take their line and column from {@link positionSource}, which
 * that reader's caller sets (0 when none is set).
 */
export class EnvelopeWalker {
  readonly #parser: SaxesParser<{ xmlns: true; position: true }> | undefined;
  readonly #handler: BodyHandler;
  readonly #maxDepth: number;
  #depth = 0;
  #place: Place = 'before';
  #sawOperation = false;
  #sawBody = false;
  // Namespace declarations of each open element, to give an extracted subtree its in-scope declarations.
  readonly #nsStack: Readonly<Record<string, string>>[] = [];
  /** The operation element as opened (its namespace and local name), for error locations. */
  operationPath = BODY_PATH;
  /** The text chunk being parsed and its offset in the whole document (UTF-16 code units, as saxes counts). */
  currentChunk = '';
  chunkStart = 0;
  /** Called with each chunk before it is parsed (the raw subtree copier keeps the text it must pass on). */
  onChunk: ((chunk: string) => void) | undefined;
  /** Without a parser: where the event being handled is, for findings. */
  positionSource: { position(): { line: number; column: number } } | undefined;

  constructor(handler: BodyHandler, maxDepth: number, parse = true) {
    this.#handler = handler;
    this.#maxDepth = maxDepth;
    if (!parse) return;
    const p = new SaxesParser({ xmlns: true, position: true });
    this.#parser = p;
    p.on('doctype', (d) => this.abort(doctypeFinding(d, this.#pos())));
    // At most six handlers: saxes adds one property per handler to the parser, and a seventh made every parse
    // 3-4x slower here (V8 leaves the fast object shape). The XML declaration is therefore read from
    // `parser.xmlDecl` at the root element instead of through an `xmldecl` handler.
    p.on('error', (e) => {
      // saxes prefixes its messages with "line:column: "; our finding carries them separately.
      const detail = e.message.replace(/^\d+:\d+:\s*/, '');
      throw new EnvelopeAbort(finding('XML_MALFORMED', { ...this.#pos(), params: { detail } }));
    });
    p.on('opentag', (tag) => this.openElement(tag));
    p.on('closetag', (tag) => this.closeElement(tag));
    p.on('text', (t) => this.characters(t));
    p.on('cdata', (t) => this.characters(t));
  }

  #pos(): { line: number; column: number } {
    if (this.#parser === undefined) return this.positionSource?.position() ?? { line: 0, column: 0 };
    return { line: this.line, column: this.column };
  }

  /** Throws a finding that stops the parse. */
  abort(f: Finding): never {
    throw new EnvelopeAbort(f);
  }

  /** A SOAP_CONTRACT finding at `location` with the current line/column. */
  contract(location: string, detail: string, value?: string): never {
    this.abort(finding('SOAP_CONTRACT', { location, ...(value !== undefined && { value }), ...this.#pos(), params: { detail } }));
  }

  get line(): number {
    return this.#parser?.line ?? this.positionSource?.position().line ?? 0;
  }

  get column(): number {
    return this.#parser?.column ?? this.positionSource?.position().column ?? 0;
  }

  /** Offset just after the last character saxes consumed, in the whole document. */
  get position(): number {
    return this.#saxes().position;
  }

  #saxes(): SaxesParser<{ xmlns: true; position: true }> {
    if (this.#parser === undefined) throw new Error('this EnvelopeWalker takes events, not text');
    return this.#parser;
  }

  write(chunk: string): void {
    const parser = this.#saxes();
    this.chunkStart += this.currentChunk.length;
    this.currentChunk = chunk;
    this.onChunk?.(chunk);
    parser.write(chunk);
  }

  /** Ends the document; checks that a Body with an operation was seen. */
  close(): void {
    this.#saxes().close();
    this.endDocument();
  }

  /** The end of a document read by another reader: checks that a Body with an operation was seen. */
  endDocument(): void {
    if (!this.#sawBody) this.contract(ENVELOPE_PATH, 'the Body element is missing');
    if (!this.#sawOperation) this.contract(BODY_PATH, 'the Body has no operation element');
  }

  /** Namespace bindings in scope at the current element's parent (prefix '' = default namespace). */
  inheritedNamespaces(): Map<string, string> {
    const scope = new Map<string, string>();
    for (const declared of this.#nsStack.slice(0, -1)) {
      for (const [prefix, uri] of Object.entries(declared)) scope.set(prefix, uri);
    }
    return scope;
  }

  /** An element starts (saxes calls this itself; another reader must give namespace-resolved names). */
  openElement(tag: SaxesTagNS): void {
    this.#depth++;
    this.#nsStack.push(tag.ns ?? {});
    if (this.#depth > this.#maxDepth) {
      this.abort(finding('XML_TOO_DEEP', { ...this.#pos(), params: { limit: this.#maxDepth } }));
    }
    switch (this.#place) {
      case 'before': {
        // The body is decoded as UTF-8 (or UTF-16 by BOM); another declared encoding would be misread.
        // Without saxes the feeding reader checked the declaration (the WS-Security scanner accepts UTF-8 only).
        const encoding = this.#parser?.xmlDecl.encoding;
        if (encoding !== undefined && !/^utf-?(8|16)$/i.test(encoding)) {
          this.contract('/', `the encoding ${encoding} is not supported; use UTF-8`);
        }
        if (tag.local !== 'Envelope' || tag.uri !== SOAP11_NS) {
          const detail =
            tag.uri === SOAP12_NS
              ? 'SOAP 1.2 is not supported; use a SOAP 1.1 envelope'
              : `the root element must be {${SOAP11_NS}}Envelope, not {${tag.uri}}${tag.local}`;
          this.contract('/', detail);
        }
        this.#place = 'envelope';
        return;
      }
      case 'envelope':
        if (this.#depth !== 2) return;
        if (tag.uri === SOAP11_NS && tag.local === 'Header' && !this.#sawBody) {
          this.#place = 'header';
          return;
        }
        if (tag.uri === SOAP11_NS && tag.local === 'Body' && !this.#sawBody) {
          this.#sawBody = true;
          this.#place = 'body';
          return;
        }
        return this.contract(`${ENVELOPE_PATH}/${tag.local}`, `unexpected element {${tag.uri}}${tag.local} in the Envelope`);
      case 'header':
        return;
      case 'body':
        if (this.#depth === 3) {
          if (this.#sawOperation) {
            this.contract(`${BODY_PATH}/${tag.local}`, 'the Body must contain exactly one element');
          }
          this.#sawOperation = true;
          this.operationPath = `${BODY_PATH}/${tag.local}`;
        }
        this.#handler.open(tag, this.#depth - 3, this);
        return;
      case 'after':
        this.contract(`${ENVELOPE_PATH}/${tag.local}`, 'nothing may follow the Body');
    }
  }

  /**
   * An element inside a subtree the body handler copies as text (`BatchBodyHandler.copying`): only its depth counts,
   * so the tokenizer's reader builds no tag for the millions of elements of a delivery. Pair with {@link closeCopied}.
   */
  openCopied(): void {
    if (++this.#depth > this.#maxDepth) {
      this.abort(finding('XML_TOO_DEEP', { ...this.#pos(), params: { limit: this.#maxDepth } }));
    }
  }

  closeCopied(): void {
    this.#depth--;
  }

  closeElement(tag: SaxesTagNS): void {
    const depth = this.#depth--;
    this.#nsStack.pop();
    if (this.#place === 'body' && depth >= 3) this.#handler.close(tag, depth - 3, this);
    if (depth === 2 && (this.#place === 'header' || this.#place === 'body')) {
      this.#place = this.#place === 'body' ? 'after' : 'envelope';
    }
  }

  /** Text or CDATA content, entities decoded. */
  characters(t: string): void {
    if (this.#place === 'body' && this.#depth >= 3) {
      this.#handler.text(t, this.#depth - 3, this);
      return;
    }
    if (this.#place === 'header') return;
    if (this.#place === 'body' && this.#depth === 2 && t.trim() !== '') {
      this.contract(BODY_PATH, 'text is not allowed directly in the Body');
    }
    if ((this.#place === 'envelope' || this.#place === 'after') && this.#depth === 1 && t.trim() !== '') {
      this.contract(ENVELOPE_PATH, 'text is not allowed directly in the Envelope');
    }
  }
}
