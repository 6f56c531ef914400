import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';
import { timedOutSockets } from './aborted-request.js';
import { settleUnreadBody } from './unread-body.js';

export interface TlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** CA certificates named in the CertificateRequest so clients pick the right certificate. */
  readonly ca?: readonly (string | Buffer)[];
  /** Ask for a client certificate; it is checked by our own verifier (so a bad one gets a SOAP answer, not a TLS alert). */
  readonly requestClientCertificate: boolean;
  /** `TLSv1.2` or `TLSv1.3` (config `server.tlsMinVersion`). */
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list, TLS 1.2 and 1.3 suites in one string (config `server.tlsCiphers`). */
  readonly ciphers: string;
}

/** What keeps slow or idle clients from holding sockets and memory (config `server.*TimeoutMs`, `maxConnections`). */
export interface ConnectionLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
}

export interface AppOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tls?: TlsOptions;
  readonly limits?: ConnectionLimits;
  /** Largest body any route accepts; routes lower it. */
  readonly bodyLimit: number;
  /** Health probe: resolves when the database answers. `/metrics` is not here: see metrics-listener.ts. */
  readonly healthCheck: () => Promise<void>;
  /** The adapters (SOAP services, …), each an encapsulated plugin with its own prefix, hooks and error handler. */
  readonly plugins: readonly FastifyPluginAsync[];
}

export const DEFAULT_LIMITS: ConnectionLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 120_000, keepAliveTimeoutMs: 65_000, maxConnections: 1024 };

/**
 * The HTTP(S) application, separate from `listen` so tests can use `inject()`; TLS and mutual-TLS tests use real sockets.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const server = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node looks for connections past their headers/request timeout this often (default 30 s): a quarter of the
    // shortest timeout, so a slow client is cut off close to its deadline, at most once a second.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  };
  const app = Fastify({
    loggerInstance: options.logger,
    // One log line per SOAP call is written by the SOAP plugins with the outcome; Fastify's two per request cost ~15 %.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
    ...(options.tls && {
      https: {
        key: options.tls.key,
        cert: options.tls.cert,
        ...(options.tls.ca && { ca: [...options.tls.ca] }),
        requestCert: options.tls.requestClientCertificate,
        rejectUnauthorized: false,
        minVersion: options.tls.minVersion,
        ciphers: options.tls.ciphers,
        // our choice: the server's order of suites wins (ECDHE-ECDSA/RSA with AES-GCM first), not the client's.
        honorCipherOrder: true,
        // A client that opens a TLS connection and never finishes the handshake is dropped as a slow header sender.
        handshakeTimeout: limits.headersTimeoutMs,
        ...server,
      },
    }),
    http: server,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
  }) as unknown as FastifyInstance;
  // Beyond the cap Node closes new connections at once; without it 100 stalled uploads held +187 MB (issue 11).
  app.server.maxConnections = limits.maxConnections;
  // Counted, not logged: a client can open connections at will.
  app.server.on('drop', () => options.metrics.connectionsDropped.inc());
  // Node answers a request past its timeout with 408 and destroys the socket; the route then sees an aborted body
  // and must not report it as the client's doing.
  app.server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') timedOutSockets.add(socket);
  });
  app.server.headersTimeout = limits.headersTimeoutMs;

  // Every answer sent before its request body was read to the end (early refusals on any route) drains the rest or
  // says Connection: close and means it; registered here so the services' encapsulated plugins inherit it.
  app.addHook('onSend', async (req, reply, payload) => {
    const closing = String(reply.getHeader('connection') ?? '').toLowerCase() === 'close';
    if (settleUnreadBody(req.raw, closing) === 'close') reply.header('connection', 'close');
    return payload;
  });

  let healthy = true;

  app.get('/health', async (_req, reply) => {
    try {
      await options.healthCheck();
      if (!healthy) app.log.info('health check passes again');
      healthy = true;
      return { status: 'ok' };
    } catch (error) {
      // Logged when it starts failing, not per probe: anyone can call /health as often as they like.
      if (healthy) app.log.error({ err: error }, 'health check failed');
      healthy = false;
      // Up or down, nothing more (no versions, counts or reasons) on the public port.
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  for (const plugin of options.plugins) await app.register(plugin);
  return app;
}
