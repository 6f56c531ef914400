import type { X509Certificate } from 'node:crypto';
import { unexpectedFailure } from '../registry/store-unavailable.js';
import type { TLSSocket } from 'node:tls';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { FHIR_JSON } from '../fhir/fhir-systems.js';
import { handleFhirRequest, SOFTWARE_ID_HEADER, type FhirAnswer, type FhirDeps } from '../fhir/fhir-api.js';
import { operationOutcome } from '../fhir/operation-outcome.js';
import { isClientAbort } from '../soap/client-abort.js';
import { finding, type Finding } from '../status/finding.js';
import { abortedRequest, clientGone } from './aborted-request.js';
import type { Metrics } from './metrics.js';

export interface FhirPluginOptions extends FhirDeps {
  /** Largest request body (one Immunization is a few KB). */
  readonly bodyLimit: number;
  readonly metrics: Metrics;
}

/** 64 KiB: ten times the largest Immunization we emit; a 10 MB body is refused without being buffered. */
export const FHIR_BODY_LIMIT = 64 * 1024;

const JSON_TYPES = [FHIR_JSON, 'application/json'];

function language(req: FastifyRequest): 'en' | 'nl' | 'fr' {
  const accept = String(req.headers['accept-language'] ?? '')
    .slice(0, 2)
    .toLowerCase();
  return accept === 'nl' || accept === 'fr' ? accept : 'en';
}

function peerCertificate(req: FastifyRequest): X509Certificate | undefined {
  const tls = req.raw.socket as TLSSocket;
  return typeof tls.getPeerX509Certificate === 'function' ? tls.getPeerX509Certificate() : undefined;
}

function send(reply: FastifyReply, a: FhirAnswer): FastifyReply {
  if (a.location) reply.header('location', a.location);
  return reply.code(a.status).header('content-type', `${FHIR_JSON}; charset=utf-8`).send(JSON.stringify(a.resource));
}

/**
 * `/fhir` on the registry's HTTPS server (docs/fhir.md): JSON bodies only, bounded; every request handed to the
 * FHIR adapter with its TLS client certificate and softwareID header. Errors the framework raises before the
 * handler (body too large, other media types) are OperationOutcomes too.
 */
export const fhirPlugin: FastifyPluginAsync<FhirPluginOptions> = async (app, options) => {
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: { code?: string }, req, reply) => {
    if (isClientAbort(error) || clientGone(req)) return abortedRequest(req, reply, options.metrics);
    const [f, status]: [Finding, number] =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? [finding('FHIR_TOO_LARGE', { params: { limit: options.bodyLimit } }), 413]
        : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? [finding('FHIR_MEDIA_TYPE', { value: String(req.headers['content-type'] ?? 'none').slice(0, 64) }), 415]
          : error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH'
            ? [finding('FHIR_NOT_JSON', { params: { detail: 'empty or unreadable body' } }), 400]
            : [unexpectedFailure(error, req.id), 500];
    if (status >= 500) req.log.error({ err: error }, 'FHIR request failed before the handler');
    return send(reply, { status, code: f.code, resource: operationOutcome([f], language(req)) });
  });

  app.route({
    method: ['GET', 'POST', 'DELETE', 'PUT', 'PATCH'],
    url: '/fhir/*',
    handler: async (req, reply) => {
      const started = process.hrtime.bigint();
      const url = req.raw.url ?? '';
      const q = url.indexOf('?');
      const software = req.headers[SOFTWARE_ID_HEADER];
      const cert = peerCertificate(req);
      const answer = await handleFhirRequest(
        {
          method: req.method,
          path: (q < 0 ? url : url.slice(0, q)).slice('/fhir'.length),
          query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
          ...(Buffer.isBuffer(req.body) && { body: req.body }),
          ...(cert && { peerCertificate: cert }),
          ...(typeof software === 'string' && { softwareId: software }),
          language: language(req),
          baseUrl: `${req.protocol}://${req.headers.host ?? req.hostname}/fhir`,
        },
        options,
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const operation = fhirOperation(req.method, url);
      options.metrics.apiCalls.inc({ channel: 'fhir', operation, code: answer.code });
      options.metrics.apiDuration.observe({ channel: 'fhir', operation }, seconds);
      req.log.info(
        {
          fhir: `${req.method} ${(q < 0 ? url : url.slice(0, q)).slice(0, 80)}`,
          status: answer.status,
          code: answer.code,
          ms: seconds * 1000,
        },
        'fhir call',
      );
      return send(reply, answer);
    },
  });
};

/** A bounded metrics label: the method and the resource type when it is one we serve (`GET Immunization`), else `other`. */
function fhirOperation(method: string, url: string): string {
  const type = /^\/fhir\/([A-Za-z]+)/.exec(url)?.[1];
  return type === 'metadata' || type === 'Immunization' || type === 'Patient' ? `${method} ${type}` : 'other';
}
