import type { X509Certificate } from 'node:crypto';
import { unexpectedFailure } from '../registry/store-unavailable.js';
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BatchAnswer } from '../soap/batch/batch-answer.js';
import type { BatchCall } from '../soap/batch/batch-handler.js';
import { renderWsdl, renderXsd } from '../contracts/render-contract.js';
import { SOAP_SERVICES } from '../contracts/soap-services.js';
import { writeFault } from '../soap/envelope/write-fault.js';
import { faultHttpStatus } from '../status/fault-http-status.js';
import { finding } from '../status/finding.js';
import { isClientAbort } from '../soap/client-abort.js';
import { abortedRequest, clientGone } from './aborted-request.js';
import type { Metrics } from './metrics.js';
import type { SecurityLog } from './security-log.js';

export interface BatchPluginOptions {
  readonly metrics: Metrics;
  readonly security: SecurityLog;
  readonly handle: (call: BatchCall) => Promise<BatchAnswer>;
}

const SERVICE = 'UPLVaccinatieGegevens';
const XML_TYPES = ['text/xml', 'application/soap+xml', 'application/xml'];

function peerCertificate(req: FastifyRequest): X509Certificate | undefined {
  const tls = req.raw.socket as TLSSocket;
  return typeof tls.getPeerX509Certificate === 'function' ? tls.getPeerX509Certificate() : undefined;
}

function language(req: FastifyRequest): 'en' | 'nl' | 'fr' {
  const accept = String(req.headers['accept-language'] ?? '')
    .slice(0, 2)
    .toLowerCase();
  return accept === 'nl' || accept === 'fr' ? accept : 'en';
}

function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? `${req.hostname}`}`;
}

function sendXml(reply: FastifyReply, status: number, body: string | Readable): FastifyReply {
  return reply.code(status).header('content-type', 'text/xml; charset=utf-8').send(body);
}

/**
 * BatchUpload on `SOAP_SERVICES.UPLVaccinatieGegevens.path`: `GET ?wsdl` / `?xsd=<file>` serve the contract; `POST`
 * hands the request STREAM to the handler (no body parser buffers it: a 120 MB delivery is read once, as it
 * arrives). The size limit is the handler's (config `server.maxDeliveryBytes`), counted while streaming.
 */
export const batchPlugin: FastifyPluginAsync<BatchPluginOptions> = async (app, options) => {
  const path = SOAP_SERVICES[SERVICE].path;

  // Leave the body unread: the route streams `req.raw` itself.
  app.addContentTypeParser(XML_TYPES, (_req, _payload, done) => done(null, undefined));

  // Errors the framework raises before the handler (wrong content type, …) are answered as SOAP Faults too.
  app.setErrorHandler((error: { code?: string }, req, reply) => {
    if (isClientAbort(error) || clientGone(req)) return abortedRequest(req, reply, options.metrics);
    const f =
      error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? finding('SOAP_CONTRACT', { location: 'Content-Type', params: { detail: `use one of ${XML_TYPES.join(', ')}` } })
        : unexpectedFailure(error, req.id);
    if (f.code === 'INTERNAL_ERROR' || f.code === 'STORE_UNAVAILABLE') req.log.error({ err: error }, 'BatchUpload request failed before the handler');
    options.metrics.soapCalls.inc({ service: SERVICE, operation: 'unknown', code: f.code });
    return sendXml(reply, faultHttpStatus(f.code), writeFault(f, language(req)));
  });

  app.get(path, async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    if ('wsdl' in query || 'WSDL' in query) return sendXml(reply, 200, renderWsdl(SERVICE, baseUrl(req)));
    if (query.xsd) {
      const xsd = renderXsd(SERVICE, query.xsd, baseUrl(req));
      return xsd ? sendXml(reply, 200, xsd) : reply.code(404).send('unknown schema');
    }
    return reply.code(405).header('allow', 'POST').send('POST a SOAP 1.1 envelope here, or GET ?wsdl');
  });

  app.post(path, async (req, reply) => {
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!XML_TYPES.includes(type)) {
      // Fastify's own parsers (JSON, text) would have consumed the body already: refuse before the handler.
      const f = finding('SOAP_CONTRACT', { location: 'Content-Type', params: { detail: `use one of ${XML_TYPES.join(', ')}` } });
      options.metrics.soapCalls.inc({ service: SERVICE, operation: 'unknown', code: f.code });
      return sendXml(reply, faultHttpStatus(f.code), writeFault(f, language(req)));
    }
    const started = process.hrtime.bigint();
    const cert = peerCertificate(req);
    const action = req.headers['soapaction'];
    const answer = await options.handle({
      // Not destroyed when the handler stops reading early: the answer still has to reach the client over this
      // socket (the onSend hook in build-app drains the rest or closes the connection after the answer).
      body: req.raw.iterator({ destroyOnReturn: false }),
      ...(typeof action === 'string' && { soapAction: action }),
      ...(cert && { peerCertificate: cert }),
      language: language(req),
    });
    if (clientGone(req)) return abortedRequest(req, reply, options.metrics);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    options.metrics.soapCalls.inc({ service: SERVICE, operation: answer.operation, code: answer.code });
    if (answer.security) {
      options.security.refused(answer.security, {
        service: SERVICE,
        operation: answer.operation,
        remoteAddress: req.ip,
        ...(cert && { peerCertificate: cert }),
      });
    }
    options.metrics.soapDuration.observe({ service: SERVICE, operation: answer.operation }, seconds);
    req.log.info(
      {
        soapService: SERVICE,
        operation: answer.operation,
        code: answer.code,
        caller: answer.caller,
        transactionId: answer.transactionId,
        ms: Math.round(seconds * 1000),
      },
      'soap call',
    );
    return sendXml(reply, answer.httpStatus, typeof answer.body === 'string' ? answer.body : Readable.from(answer.body));
  });
};
