import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

export interface TlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** CA certificates named in the CertificateRequest so clients pick the right certificate. */
  readonly ca?: readonly (string | Buffer)[];
  /** Ask for a client certificate; it is checked by our own verifier (so a bad one gets a SOAP answer, not a TLS alert). */
  readonly requestClientCertificate: boolean;
}

export interface AppOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tls?: TlsOptions;
  /** Largest body any route accepts; routes lower it. */
  readonly bodyLimit: number;
  /** Health probe: resolves when the database answers. */
  readonly healthCheck: () => Promise<void>;
  /** The adapters (SOAP services, …), each an encapsulated plugin with its own prefix, hooks and error handler. */
  readonly plugins: readonly FastifyPluginAsync[];
}

/**
 * The HTTP(S) application, separate from `listen` so tests can use `inject()`; TLS and mutual-TLS tests use real sockets.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
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
      },
    }),
    keepAliveTimeout: 65_000,
  }) as unknown as FastifyInstance;

  app.get('/health', async (_req, reply) => {
    try {
      await options.healthCheck();
      return { status: 'ok' };
    } catch (error) {
      app.log.error({ err: error }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });
  for (const plugin of options.plugins) await app.register(plugin);
  return app;
}
