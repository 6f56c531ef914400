import type { C14nElement } from './exc-c14n.js';

/** What a reader reports; text arrives decoded (entities resolved, line ends normalised). */
export interface XmlEventHandlers {
  open(el: C14nElement): void;
  close(): void;
  text(text: string): void;
  processingInstruction(target: string, body: string): void;
}

/** Where a refusal was found, when the reader knows it (1-based), and for a DOCTYPE what it declared. */
export interface XmlReadErrorDetail {
  readonly line?: number;
  readonly column?: number;
  /** The DOCTYPE declaration refused (kind `doctype`), so that a reader can name an XXE or an entity declaration. */
  readonly declaration?: string;
}

/** Raised for input that is not well-formed XML or carries a DOCTYPE (never accepted on the wire). */
export class XmlReadError extends Error {
  constructor(
    message: string,
    readonly kind: 'malformed' | 'doctype' | 'too-deep',
    readonly detail: XmlReadErrorDetail = {},
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

/**
 * The text around the event being reported, for a reader that does not hold the text itself (the BatchUpload
 * stream): where a tag ends, how far the input is scanned, the input between two offsets (see
 * FastXmlScanner.source for which offsets are still held), and the line and column of the event.
 */
export interface XmlSourceWindow {
  /** As XmlEventReader.offset: during `close`, where the end tag's `<` is. */
  readonly offset: number;
  /** Just after the `>` of the tag being reported. */
  readonly tagEnd: number;
  /** How far the input was scanned when the last write returned. */
  readonly scanned: number;
  source(from: number, to: number): string;
  /** Line and column (1-based) of the event being reported: after its tag, where saxes places it. */
  position(): { line: number; column: number };
}
