import type { C14nElement } from './exc-c14n.js';

/** What a reader reports; text arrives decoded (entities resolved, line ends normalised). */
export interface XmlEventHandlers {
  open(el: C14nElement): void;
  close(): void;
  text(text: string): void;
  processingInstruction(target: string, body: string): void;
}

/** Raised for input that is not well-formed XML or carries a DOCTYPE (never accepted on the wire). */
export class XmlReadError extends Error {
  constructor(
    message: string,
    readonly kind: 'malformed' | 'doctype' | 'too-deep',
  ) {
    super(message);
    this.name = 'XmlReadError';
  }
}

export interface XmlEventReader {
  /** Feed decoded text; throws XmlReadError on the first well-formedness problem. */
  write(text: string): void;
  /** Signal the end of input; throws XmlReadError when the document is incomplete. */
  end(): void;
  /**
   * Characters of the text written so far that lie before the markup being reported (during an event) or before
   * where the reader stopped (after an error): lets a caller holding the text give a finding its line and column.
   */
  readonly offset: number;
}
