import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.js';

/** Sockets Node cut off for sending a request too slowly (a `clientError` with a timeout code, see build-app). */
export const timedOutSockets = new WeakSet<object>();

/** The client closed or reset the connection (or was cut off) before its request was read to the end. */
export function clientGone(req: FastifyRequest): boolean {
  return req.raw.destroyed && !req.raw.complete;
}

/**
 * One info line, no stack, and a count for a request the client aborted; nobody is left to read an answer, so the
 * socket is just let go. our choice: info, not warn — a client can abort at will, and must not be able to fill the
 * operator's error log with it (issue 11.10).
 */
export function abortedRequest(req: FastifyRequest, reply: FastifyReply, metrics: Metrics): FastifyReply {
  const timedOut = timedOutSockets.has(req.raw.socket);
  metrics.requestsAborted.inc({ reason: timedOut ? 'timeout' : 'client' });
  req.log.info(
    { method: req.method, url: req.url.split('?')[0] },
    timedOut ? 'request cut off: not complete within server.requestTimeoutMs' : 'request aborted by the client',
  );
  reply.raw.destroy();
  return reply;
}
