import { decodeXml } from '../../kmehr/xml-decode.js';
import { DEFAULT_XML_LIMITS, screenXml, type XmlLimits } from '../../kmehr/xml-limits.js';
import { BatchBodyHandler } from './batch-body-handler.js';
import type { BatchReadResult, BatchRequest } from '../../contracts/batch-request.js';
import { EnvelopeAbort, EnvelopeWalker } from './envelope-walker.js';
import { normaliseSoapAction } from '../../contracts/operations.js';

/**
 * Reads a BatchUpload (UPLVaccinatieGegevens) SOAP request held in memory. For deliveries the inline
 * `kmehr:kmehrmessage` comes back as a standalone UTF-8 document: the submitted text as it is, its root carrying the
 * namespace declarations it inherited from the envelope. Large deliveries should use {@link extractBatchRequestStream} instead. Never throws on bad input.
 *
 * @param body - the HTTP request body
 * @param soapAction - the `SOAPAction` header as received; absent or empty means "not sent"
 * @param limits - size and depth limits (default 10 MiB, 64 levels: raise `maxBytes` for batches)
 */
export function readBatchRequest(body: Buffer, soapAction?: string, limits: XmlLimits = DEFAULT_XML_LIMITS): BatchReadResult {
  const screened = screenXml(body, limits);
  if (screened !== undefined) return { ok: false, finding: screened };
  const parts: string[] = [];
  const handler = new BatchBodyHandler(normaliseSoapAction(soapAction), (p) => parts.push(p));
  const walker = new EnvelopeWalker(handler, limits.maxDepth);
  walker.onChunk = (c): void => handler.copier.chunk(c);
  try {
    walker.write(decodeXml(body));
    walker.close();
  } catch (e) {
    if (!(e instanceof EnvelopeAbort)) throw e;
    return { ok: false, finding: e.finding, ...(handler.operation !== undefined && { operation: handler.operation }) };
  }
  const v = handler.values;
  const op = handler.operation!;
  const request: BatchRequest =
    op === 'ResultaatVerwerking'
      ? { operation: op, requestId: v.get('requestId')!, gebruikersId: v.get('gebruikersId')! }
      : {
          operation: op,
          extraInfo: Object.freeze({ type: v.get('type')!, pakket: v.get('pakket')! }),
          kmehr: Buffer.from(parts.join(''), 'utf8'),
        };
  return { ok: true, request: Object.freeze(request) };
}
