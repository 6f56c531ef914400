import { TextDecoder } from 'node:util';
import { sniffEncoding } from '../../kmehr/xml-decode.js';
import type { Finding } from '../../status/finding.js';
import type { WsSecurityStreamVerifier } from '../../wssec/create-ws-security-stream-verifier.js';
import { createXmlEventReader, XmlReadError, type XmlEventHandlers, type XmlEventReader } from '../../wssec/xml-event-reader.js';
import { normaliseSoapAction } from '../../contracts/operations.js';
import { BatchBodyHandler } from './batch-body-handler.js';
import { BatchEnvelopeListener } from './batch-envelope-listener.js';
import { EnvelopeAbort, EnvelopeWalker } from './envelope-walker.js';
import { RawSubtreeCopier } from './raw-subtree-copier.js';
import { scannerReadsHead } from './scanner-readable.js';

/**
 * One read of a BatchUpload body, fed chunk by chunk. Bad input never throws: the first finding is kept in
 * `failure` (stop feeding then). A WS-Security verifier, when given, sees the same chunks.
 */
export interface BatchEnvelopeRead {
  readonly handler: BatchBodyHandler;
  write(chunk: Buffer): void;
  /** The end of the body: the last checks (an early end, a missing Body); then `failure`, or the handler's values. */
  end(): void;
  readonly failure: Finding | undefined;
}

/** Creates the signature verifier of a signed read; `observer` receives its scan's events (absent: saxes reads the request). */
export type VerifierFactory = (observer: XmlEventHandlers | undefined) => WsSecurityStreamVerifier;

/**
 * The read for a body that starts with `head` (scanner-readable.ts): the XML tokenizer's — one scan, shared with the
 * verifier — or, for a body that is not plain UTF-8, saxes's (the verifier then reads the bytes on its own).
 */
export function openBatchEnvelopeRead(
  head: Buffer,
  soapAction: string | undefined,
  maxDepth: number,
  emit: (piece: string) => void,
  verifier?: VerifierFactory,
): BatchEnvelopeRead {
  return scannerReadsHead(head)
    ? new ScannerBatchRead(soapAction, maxDepth, emit, verifier)
    : new SaxesBatchRead(soapAction, maxDepth, emit, sniffEncoding(head), verifier);
}

/** saxes's read whatever the bytes: the reference the tokenizer's read is differentially tested against. */
export function openSaxesBatchEnvelopeRead(head: Buffer, soapAction: string | undefined, maxDepth: number, emit: (piece: string) => void): BatchEnvelopeRead {
  return new SaxesBatchRead(soapAction, maxDepth, emit, sniffEncoding(head), undefined);
}

/* The tokenizer's read: its events feed the listener, through the verifier when the body is to be verified. */
class ScannerBatchRead implements BatchEnvelopeRead {
  readonly #listener: BatchEnvelopeListener;
  readonly #verifier: WsSecurityStreamVerifier | undefined;
  readonly #reader: XmlEventReader | undefined;
  readonly #decoder = new TextDecoder('utf-8');
  #scanFailure: Finding | undefined;
  #result: { failure: Finding | undefined } | undefined;

  constructor(soapAction: string | undefined, maxDepth: number, emit: (piece: string) => void, verifier: VerifierFactory | undefined) {
    this.#listener = new BatchEnvelopeListener(soapAction, maxDepth, emit);
    this.#verifier = verifier?.(this.#listener);
    if (this.#verifier !== undefined) {
      this.#listener.readFrom(this.#verifier.source);
    } else {
      const reader = createXmlEventReader(this.#listener);
      this.#reader = reader;
      this.#listener.readFrom(reader);
    }
  }

  get handler(): BatchBodyHandler {
    return this.#listener.handler;
  }

  get failure(): Finding | undefined {
    return this.#result !== undefined ? this.#result.failure : (this.#listener.failure ?? this.#scanFailure);
  }

  write(chunk: Buffer): void {
    if (this.failure !== undefined) return;
    this.#feed(this.#decoder.decode(chunk, { stream: true }));
  }

  #feed(text: string): void {
    const verifier = this.#verifier;
    if (verifier !== undefined) {
      verifier.write(text);
      this.#scanFailure = verifier.scanFailure;
      return;
    }
    try {
      this.#reader!.write(text);
    } catch (err) {
      this.#scanned(err);
    }
  }

  #scanned(err: unknown): void {
    if (!(err instanceof XmlReadError)) throw err;
    this.#scanFailure = this.#listener.scanFinding(err);
  }

  end(): void {
    if (this.failure === undefined) {
      this.#feed(this.#decoder.decode());
      if (this.#verifier !== undefined) {
        this.#verifier.end();
        this.#scanFailure = this.#verifier.scanFailure;
      } else if (this.#scanFailure === undefined) {
        try {
          this.#reader!.end();
        } catch (err) {
          this.#scanned(err);
        }
      }
    }
    this.#result = { failure: this.#listener.result(this.#scanFailure) };
  }
}

/* saxes's read, for bodies the tokenizer does not read (a BOM, UTF-16, another declared encoding). */
class SaxesBatchRead implements BatchEnvelopeRead {
  readonly handler: BatchBodyHandler;
  readonly #walker: EnvelopeWalker;
  readonly #decoder: TextDecoder;
  readonly #verifier: WsSecurityStreamVerifier | undefined;
  #failure: Finding | undefined;

  constructor(soapAction: string | undefined, maxDepth: number, emit: (piece: string) => void, encoding: string, verifier: VerifierFactory | undefined) {
    const copier = new RawSubtreeCopier(emit);
    this.handler = new BatchBodyHandler(normaliseSoapAction(soapAction), copier);
    this.#walker = new EnvelopeWalker(this.handler, maxDepth);
    this.#walker.onChunk = (c): void => copier.chunk(c);
    this.#decoder = new TextDecoder(encoding);
    this.#verifier = verifier?.(undefined);
  }

  get failure(): Finding | undefined {
    return this.#failure;
  }

  write(chunk: Buffer): void {
    this.#verifier?.write(chunk);
    this.#parse(() => this.#walker.write(this.#decoder.decode(chunk, { stream: true })));
  }

  end(): void {
    this.#parse(() => {
      this.#walker.write(this.#decoder.decode());
      this.#walker.close();
    });
  }

  #parse(step: () => void): void {
    if (this.#failure !== undefined) return;
    try {
      step();
    } catch (e) {
      if (!(e instanceof EnvelopeAbort)) throw e;
      this.#failure = e.finding;
    }
  }
}
