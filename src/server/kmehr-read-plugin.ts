import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { KmehrReadAnswer, KmehrReadCall } from '../kmehr-read/kmehr-read-handler.js';
import { KMEHR_READ_ROOT } from '../contracts/kmehr-read.js';
import { language, peerCertificate } from './request-caller.js';
import type { Metrics } from './metrics.js';
import type { SecurityLog } from './security-log.js';

export interface KmehrReadPluginOptions {
  readonly security: SecurityLog;
  readonly metrics: Metrics;
  readonly handle: (call: KmehrReadCall) => Promise<KmehrReadAnswer>;
}

interface Params {
  readonly ssin: string;
  readonly id?: string;
  readonly version?: string;
}

/**
 * The KMEHR read over HTTPS, on the same mutual-TLS server as the SOAP services: the list of a person's
 * vaccinations and each vaccination at its vitalinkuri. GET only; every answer is personal data, never cached.
 */
export const kmehrReadPlugin: FastifyPluginAsync<KmehrReadPluginOptions> = async (app, options) => {
  const answer = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply): Promise<FastifyReply> => {
    const started = process.hrtime.bigint();
    const cert = peerCertificate(req);
    const { ssin, id, version } = req.params;
    const result = await options.handle({
      ssin,
      ...(id !== undefined && version !== undefined && { entry: { id, version } }),
      query: (req.query ?? {}) as Record<string, unknown>,
      ...(cert && { peerCertificate: cert }),
      language: language(req),
    });
    if (result.security) {
      options.security.refused(result.security, {
        service: 'kmehr-read',
        operation: 'KmehrRead',
        remoteAddress: req.ip,
        ...(cert && { peerCertificate: cert }),
      });
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const operation = id === undefined ? 'list' : 'entry';
    options.metrics.apiCalls.inc({ channel: 'kmehr-read', operation, code: result.code });
    options.metrics.apiDuration.observe({ channel: 'kmehr-read', operation }, seconds);
    req.log.info({ kmehrRead: true, code: result.code, caller: result.caller, ms: Math.round(seconds * 1000) }, 'kmehr read');
    return reply.code(result.httpStatus).header('content-type', result.contentType).header('cache-control', 'no-store').send(result.body);
  };
  app.get<{ Params: Params }>(`${KMEHR_READ_ROOT}/subject/:ssin/vaccination`, answer);
  app.get<{ Params: Params }>(`${KMEHR_READ_ROOT}/subject/:ssin/vaccination/:id/:version`, answer);
};
