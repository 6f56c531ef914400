import { DEFAULT_XML_LIMITS, screenXml, type XmlLimits } from '../../kmehr/xml-limits.js';
import type { BatchReadResult, BatchRequest } from '../../contracts/batch-request.js';
import { openBatchEnvelopeRead } from './batch-envelope-read.js';

/**
 * Reads a BatchUpload (UPLVaccinatieGegevens) SOAP request held in memory. For deliveries the inline
 * `kmehr:kmehrmessage` comes back as a standalone UTF-8 document: the submitted text as it is, its root carrying the
 * namespace declarations it inherited from the envelope. The same read as {@link extractBatchRequestStream}, after
 * the screen (size, DOCTYPE); large deliveries should use that instead. Never throws on bad input.
 *
 * @param body - the HTTP request body
 * @param soapAction - the `SOAPAction` header as received; absent or empty means "not sent"
 * @param limits - size and depth limits (default 10 MiB, 64 levels: raise `maxBytes` for batches)
 */
export function readBatchRequest(body: Buffer, soapAction?: string, limits: XmlLimits = DEFAULT_XML_LIMITS): BatchReadResult {
  const screened = screenXml(body, limits);
  if (screened !== undefined) return { ok: false, finding: screened };
  const parts: string[] = [];
  const read = openBatchEnvelopeRead(body, soapAction, limits.maxDepth, (p) => parts.push(p));
  read.write(body);
  read.end();
  const handler = read.handler;
  const op = handler.operation;
  if (read.failure !== undefined) return { ok: false, finding: read.failure, ...(op !== undefined && { operation: op }) };
  const v = handler.values;
  const request: BatchRequest =
    op === 'ResultaatVerwerking'
      ? { operation: op, requestId: v.get('requestId')!, gebruikersId: v.get('gebruikersId')! }
      : {
          operation: op!,
          extraInfo: Object.freeze({ type: v.get('type')!, pakket: v.get('pakket')! }),
          kmehr: Buffer.from(parts.join(''), 'utf8'),
        };
  return { ok: true, request: Object.freeze(request) };
}
