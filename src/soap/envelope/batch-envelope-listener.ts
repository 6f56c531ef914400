import type { SaxesTagNS } from 'saxes';
import { doctypeFinding } from '../../kmehr/xml-limits.js';
import { finding, type Finding } from '../../status/finding.js';
import type { C14nElement } from '../../wssec/exc-c14n.js';
import type { XmlReadError } from '../../wssec/xml-events.js';
import type { XmlEventHandlers, XmlSourceWindow } from '../../wssec/xml-events.js';
import { xmlReadFinding } from '../../wssec/xml-read-finding.js';
import { normaliseSoapAction } from '../../contracts/operations.js';
import { BatchBodyHandler } from './batch-body-handler.js';
import { EnvelopeAbort, EnvelopeWalker } from './envelope-walker.js';
import { RangeSubtreeCopier } from './range-subtree-copier.js';
import { saxesTagOf } from './scanner-tag.js';

/**
 * A BatchUpload envelope read from the XML tokenizer's events (issue 12 §2): the envelope walker and the batch body
 * handler, fed by the tokenizer directly (an unsigned read) or as the WS-Security verifier's observer (a signed one:
 * one scan for the signature and the request). Elements inside `kmehr:kmehrmessage` only count for the depth limit;
 * their text goes to `emit` by source ranges (RangeSubtreeCopier). The first finding (contract, limit) is kept and
 * the listening stops there; the reader's own refusal is passed to {@link result}.
 */
export class BatchEnvelopeListener implements XmlEventHandlers, XmlSourceWindow {
  readonly handler: BatchBodyHandler;
  readonly #walker: EnvelopeWalker;
  readonly #open: SaxesTagNS[] = [];
  /** Open elements below the KMEHR root (copied as text, never built as tags). */
  #copied = 0;
  #window: XmlSourceWindow | undefined;
  #failure: Finding | undefined;
  #closedRoot = false;

  constructor(soapAction: string | undefined, maxDepth: number, emit: (piece: string) => void) {
    this.handler = new BatchBodyHandler(normaliseSoapAction(soapAction), new RangeSubtreeCopier(this, emit));
    this.#walker = new EnvelopeWalker(this.handler, maxDepth, false);
    this.#walker.positionSource = this;
  }

  /** The reader whose events these are (the tokenizer's adapter, or the verifier's `source`). */
  readFrom(window: XmlSourceWindow): void {
    this.#window = window;
  }

  /** The first finding of the listening (contract, depth), when there was one. */
  get failure(): Finding | undefined {
    return this.#failure;
  }

  // The window, for the copier and for findings' positions.
  get offset(): number {
    return this.#reader().offset;
  }

  get tagEnd(): number {
    return this.#reader().tagEnd;
  }

  get scanned(): number {
    return this.#reader().scanned;
  }

  source(from: number, to: number): string {
    return this.#reader().source(from, to);
  }

  position(): { line: number; column: number } {
    return this.#reader().position();
  }

  #reader(): XmlSourceWindow {
    if (this.#window === undefined) throw new Error('BatchEnvelopeListener: readFrom was not called');
    return this.#window;
  }

  /** The tokenizer's refusal as a finding: a DOCTYPE named by what it declares, as the screen and saxes name it. */
  scanFinding(err: XmlReadError): Finding {
    const { declaration, line, column } = err.detail;
    if (err.kind === 'doctype' && declaration !== undefined) {
      return doctypeFinding(declaration, line !== undefined && column !== undefined ? { line, column } : undefined);
    }
    return xmlReadFinding(err);
  }

  open(el: C14nElement): void {
    if (this.#failure !== undefined) return;
    try {
      if (this.handler.copying) {
        this.#copied++;
        this.#walker.openCopied();
        return;
      }
      const window = this.#reader();
      const tag = saxesTagOf(el, window.source(window.tagEnd - 2, window.tagEnd) === '/>');
      this.#open.push(tag);
      this.#walker.openElement(tag);
    } catch (err) {
      this.#stop(err);
    }
  }

  close(): void {
    if (this.#failure !== undefined) return;
    try {
      if (this.#copied > 0) {
        this.#copied--;
        this.#walker.closeCopied();
        return;
      }
      this.#walker.closeElement(this.#open.pop() as SaxesTagNS);
      if (this.#open.length === 0) this.#closedRoot = true;
    } catch (err) {
      this.#stop(err);
    }
  }

  text(t: string): void {
    if (this.#failure !== undefined || this.handler.copying) return;
    try {
      this.#walker.characters(t);
    } catch (err) {
      this.#stop(err);
    }
  }

  processingInstruction(): void {
    // saxes mode ignores them too
  }

  #stop(err: unknown): void {
    if (!(err instanceof EnvelopeAbort)) throw err;
    this.#failure = err.finding;
  }

  /**
   * Once the reader is done (`scanFailure`: it refused the document): the first problem in document order — the
   * listener's, else the reader's refusal, else an early end or a missing Body — or undefined when the envelope is
   * a complete request (the handler holds its values).
   */
  result(scanFailure?: Finding): Finding | undefined {
    if (this.#failure !== undefined) return this.#failure;
    if (scanFailure !== undefined) return scanFailure;
    if (!this.#closedRoot) return finding('XML_MALFORMED', { params: { detail: 'the document ended early' } });
    try {
      this.#walker.endDocument();
    } catch (err) {
      if (!(err instanceof EnvelopeAbort)) throw err;
      return err.finding;
    }
    return undefined;
  }
}
