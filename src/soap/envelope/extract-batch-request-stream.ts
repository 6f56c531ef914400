import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finding, type Finding } from '../../status/finding.js';
import type { BatchStreamResult } from '../../contracts/batch-request.js';
import { openBatchEnvelopeRead, type BatchEnvelopeRead, type VerifierFactory } from './batch-envelope-read.js';
import { READER_CHOICE_BYTES } from './scanner-readable.js';

export interface BatchStreamOptions {
  /** The `SOAPAction` header as received. */
  readonly soapAction?: string;
  /** Largest body accepted, in bytes. Default 256 MiB (a 100 000-vaccination delivery is ~120 MB). */
  readonly maxBytes?: number;
  /** Deepest element nesting accepted. Default 64. */
  readonly maxDepth?: number;
  /**
   * Verify the WS-Security signature in the same read: called once, when the reader is chosen, to create the
   * verifier; `observer` is the request's listener (the verifier's scan is then the one scan), or undefined for a
   * body saxes reads (the verifier then reads the bytes itself).
   */
  readonly verifier?: VerifierFactory;
  /**
   * Called after each chunk was read, before the request's own findings are looked at (a signature refusal found in
   * the same chunk wins, as when the verifier read ahead of the extraction); throw to stop the read (the error
   * propagates). Not called after the end of the body: the signature's final verdict is the caller's.
   */
  readonly checkpoint?: () => void;
}

export const DEFAULT_BATCH_STREAM_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Reads a BatchUpload request from a byte stream and writes the inline `kmehr:kmehrmessage` to `kmehrSink` as a
 * standalone UTF-8 document while reading, never holding it in memory (the submitted text is passed on as it is,
 * with the root's inherited namespace declarations added; written once per source chunk, respecting the sink's
 * back-pressure). One read (issue 12 §2): the XML tokenizer's scan — shared with the signature verifier when one is
 * given — or saxes for a body that is not plain UTF-8 (chosen from its first bytes, see scanner-readable.ts).
 * DOCTYPEs are refused by the reader, and the byte limit is counted as chunks arrive.
 *
 * The sink is NOT ended: the caller ends it (and discards what was written when the result is not ok).
 * Never throws on bad input; rejects only when the source or the sink fails, or a checkpoint throws.
 *
 * @param source - the request body, e.g. the Fastify raw request
 * @param kmehrSink - where the KMEHR document goes, e.g. `fs.createWriteStream(spoolFile)`
 * @param options - SOAPAction, limits, signature verification
 */
export async function extractBatchRequestStream(
  source: AsyncIterable<Buffer>,
  kmehrSink: Writable,
  options: BatchStreamOptions = {},
): Promise<BatchStreamResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_BATCH_STREAM_MAX_BYTES;
  const maxDepth = options.maxDepth ?? 64;
  let pending: string[] = [];
  let kmehrBytes = 0;
  const emit = (piece: string): void => {
    pending.push(piece);
  };
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const piece = pending.join('');
    pending = [];
    kmehrBytes += Buffer.byteLength(piece, 'utf8');
    if (!kmehrSink.write(piece, 'utf8')) {
      // A destroyed sink never emits 'drain': waiting for it would hang the request.
      if (kmehrSink.destroyed) throw kmehrSink.errored ?? new Error('the KMEHR sink was destroyed');
      await once(kmehrSink, 'drain');
    }
  };
  let read: BatchEnvelopeRead | undefined;
  const refused = (f: Finding): BatchStreamResult => {
    const operation = read?.handler.operation;
    return { ok: false, finding: f, ...(operation !== undefined && { operation }) };
  };
  // The first bytes wait until the reader can be chosen from them (an XML declaration fits in READER_CHOICE_BYTES).
  let head: Buffer[] = [];
  let headBytes = 0;
  const feed = (bytes: Buffer): Finding | undefined => {
    read ??= openBatchEnvelopeRead(bytes, options.soapAction, maxDepth, emit, options.verifier);
    read.write(bytes);
    options.checkpoint?.();
    return read.failure;
  };

  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) return refused(finding('XML_TOO_LARGE', { location: '/', params: { limit: maxBytes } }));
    let bytes = chunk;
    if (read === undefined) {
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < READER_CHOICE_BYTES) continue;
      bytes = head.length === 1 ? chunk : Buffer.concat(head);
      head = [];
    }
    const failure = feed(bytes);
    if (failure !== undefined) return refused(failure);
    read!.handler.copier.flush();
    await flush();
  }
  if (read === undefined) {
    const failure = feed(Buffer.concat(head));
    if (failure !== undefined) return refused(failure);
  }
  read!.end();
  if (read!.failure !== undefined) return refused(read!.failure);
  await flush();
  const handler = read!.handler;
  const v = handler.values;
  const op = handler.operation!;
  return {
    ok: true,
    request:
      op === 'ResultaatVerwerking'
        ? Object.freeze({ operation: op, requestId: v.get('requestId')!, gebruikersId: v.get('gebruikersId')! })
        : Object.freeze({ operation: op, extraInfo: Object.freeze({ type: v.get('type')!, pakket: v.get('pakket')! }), kmehrBytes }),
  };
}
