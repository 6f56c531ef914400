import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { sniffEncoding } from '../../kmehr/xml-decode.js';
import { finding } from '../../status/finding.js';
import { BatchBodyHandler } from './batch-body-handler.js';
import type { BatchStreamResult } from '../../contracts/batch-request.js';
import { EnvelopeAbort, EnvelopeWalker } from './envelope-walker.js';
import { normaliseSoapAction } from '../../contracts/operations.js';

export interface BatchStreamOptions {
  /** The `SOAPAction` header as received. */
  readonly soapAction?: string;
  /** Largest body accepted, in bytes. Default 256 MiB (a 100 000-vaccination delivery is ~120 MB). */
  readonly maxBytes?: number;
  /** Deepest element nesting accepted. Default 64. */
  readonly maxDepth?: number;
}

export const DEFAULT_BATCH_STREAM_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Reads a BatchUpload request from a byte stream and writes the inline `kmehr:kmehrmessage` to `kmehrSink` as a
 * standalone UTF-8 document while reading, never holding it in memory (the submitted text is passed on as it is,
 * with the root's inherited namespace declarations added; written once per source chunk, respecting the sink's
 * back-pressure). DOCTYPEs are refused by the parser's `doctype` event
 * (the streaming equivalent of `screenXml`), and the byte limit is counted as chunks arrive.
 *
 * The sink is NOT ended: the caller ends it (and discards what was written when the result is not ok).
 * Never throws on bad input; rejects only when the source or the sink fails.
 *
 * @param source - the request body, e.g. the Fastify raw request
 * @param kmehrSink - where the KMEHR document goes, e.g. `fs.createWriteStream(spoolFile)`
 * @param options - SOAPAction and limits
 */
export async function extractBatchRequestStream(
  source: AsyncIterable<Buffer>,
  kmehrSink: Writable,
  options: BatchStreamOptions = {},
): Promise<BatchStreamResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_BATCH_STREAM_MAX_BYTES;
  let pending: string[] = [];
  let kmehrBytes = 0;
  const handler = new BatchBodyHandler(normaliseSoapAction(options.soapAction), (p) => pending.push(p));
  const walker = new EnvelopeWalker(handler, options.maxDepth ?? 64);
  walker.onChunk = (c): void => handler.copier.chunk(c);
  let decoder: TextDecoder | undefined;
  let total = 0;

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

  try {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) {
        return {
          ok: false,
          finding: finding('XML_TOO_LARGE', { location: '/', params: { limit: maxBytes } }),
          ...(handler.operation !== undefined && { operation: handler.operation }),
        };
      }
      decoder ??= new TextDecoder(sniffEncoding(chunk));
      walker.write(decoder.decode(chunk, { stream: true }));
      handler.copier.flush();
      await flush();
    }
    walker.write(decoder?.decode() ?? '');
    walker.close();
    await flush();
  } catch (e) {
    if (!(e instanceof EnvelopeAbort)) throw e;
    return { ok: false, finding: e.finding, ...(handler.operation !== undefined && { operation: handler.operation }) };
  }
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
