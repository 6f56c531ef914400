import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { unexpectedFailure } from '../registry/store-unavailable.js';
import { renderWsdl, renderXsd } from '../contracts/render-contract.js';
import { SOAP_SERVICES, type SoapServiceName } from '../contracts/soap-services.js';
import { writeFault } from '../soap/envelope/write-fault.js';
import { faultHttpStatus } from '../status/fault-http-status.js';
import type { SoapAnswer, SoapCall } from '../soap/soap-call.js';
import { finding } from '../status/finding.js';
import { isClientAbort } from '../soap/client-abort.js';
import { abortedRequest, clientGone } from './aborted-request.js';
import type { Metrics } from './metrics.js';
import type { SecurityLog } from './security-log.js';
import { language, peerCertificate } from './request-caller.js';

export interface SoapPluginOptions {
  readonly service: SoapServiceName;
  readonly bodyLimit: number;
  readonly metrics: Metrics;
  readonly security: SecurityLog;
  readonly handle: (call: SoapCall) => Promise<SoapAnswer>;
}

const XML_TYPES = ['text/xml', 'application/soap+xml', 'application/xml'];

function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? `${req.hostname}`}`;
}

function sendXml(reply: FastifyReply, status: number, xml: string): FastifyReply {
  return reply.code(status).header('content-type', 'text/xml; charset=utf-8').send(xml);
}

/**
 * One SOAP 1.1 service on its endpoint path: `GET ?wsdl` / `GET ?xsd=<file>` serve the contract, `POST` runs the
 * handler on the raw bytes. Encapsulated: its body parser and error handler apply to this service only. Errors
 * the framework raises before the handler (oversize body, wrong content type) are answered as SOAP Faults too.
 */
export const soapPlugin: FastifyPluginAsync<SoapPluginOptions> = async (app, options) => {
  const path = SOAP_SERVICES[options.service].path;

  app.addContentTypeParser(XML_TYPES, { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: { code?: string; statusCode?: number }, req, reply) => {
    if (isClientAbort(error) || clientGone(req)) return abortedRequest(req, reply, options.metrics);
    const f =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? finding('XML_TOO_LARGE', { params: { limit: options.bodyLimit } })
        : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? finding('SOAP_CONTRACT', { location: 'Content-Type', params: { detail: `use one of ${XML_TYPES.join(', ')}` } })
          : unexpectedFailure(error, req.id);
    if (f.code === 'INTERNAL_ERROR' || f.code === 'STORE_UNAVAILABLE') req.log.error({ err: error }, 'SOAP request failed before the handler');
    options.metrics.soapCalls.inc({ service: options.service, operation: 'unknown', code: f.code });
    return sendXml(reply, faultHttpStatus(f.code), writeFault(f, language(req)));
  });

  app.get(path, async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    if ('wsdl' in query || 'WSDL' in query) return sendXml(reply, 200, renderWsdl(options.service, baseUrl(req)));
    if (query.xsd) {
      const xsd = renderXsd(options.service, query.xsd, baseUrl(req));
      return xsd ? sendXml(reply, 200, xsd) : reply.code(404).send('unknown schema');
    }
    return reply.code(405).header('allow', 'POST').send('POST a SOAP 1.1 envelope here, or GET ?wsdl');
  });

  app.post(path, async (req, reply) => {
    const started = process.hrtime.bigint();
    const cert = peerCertificate(req);
    const action = req.headers['soapaction'];
    const answer = await options.handle({
      body: req.body as Buffer,
      ...(typeof action === 'string' && { soapAction: action }),
      ...(cert && { peerCertificate: cert }),
      language: language(req),
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    options.metrics.soapCalls.inc({ service: options.service, operation: answer.operation, code: answer.code });
    if (answer.security) {
      options.security.refused(answer.security, {
        service: options.service,
        operation: answer.operation,
        remoteAddress: req.ip,
        ...(cert && { peerCertificate: cert }),
      });
    }
    options.metrics.soapDuration.observe({ service: options.service, operation: answer.operation }, seconds);
    req.log.info(
      { soapService: options.service, operation: answer.operation, code: answer.code, caller: answer.caller, ms: Math.round(seconds * 1000) },
      'soap call',
    );
    return sendXml(reply, answer.httpStatus, answer.xml);
  });
};
