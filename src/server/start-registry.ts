import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { DestinationStream, Logger } from 'pino';
import type { RegistryConfig } from '../config/registry-config.js';
import { defaultVaccineReference } from '../kmehr/codelists/index.js';
import { DEFAULT_XML_LIMITS, type XmlLimits } from '../kmehr/xml-limits.js';
import { stopXsdWorker } from '../kmehr/xsd/validate-file-in-worker.js';
import { libxml2Versions } from '../kmehr/xsd/libxml2.js';
import { createXsdValidator, type XsdValidator } from '../kmehr/xsd/xsd-validator.js';
import { createCertificateVerifier } from '../pki/certificate-verifier.js';
import type { Clock } from '../registry/ports.js';
import type { RegistryPorts } from '../registry/registry-ports.js';
import { handleRegistratieCall } from '../soap/registratie/registratie-handler.js';
import { openStore } from '../store/open-store.js';
import { registryPortsOf } from '../store/registry-ports-of.js';
import type { Store } from '../store/store.js';
import { buildApp } from './build-app.js';
import { seedDemo, type DemoInfo } from './demo/demo-seed.js';
import { ensureDevPki, loadTrustStore } from './dev-pki.js';
import { createLogger } from './logger.js';
import { addQueueDepth, createMetrics, type Metrics } from './metrics.js';
import { startMetricsListener } from './metrics-listener.js';
import type { TrustEvent } from '../pki/trust-store.js';
import { createSecurityLog } from './security-log.js';
import { soapPlugin } from './soap-plugin.js';
import { kmehrReadPlugin } from './kmehr-read-plugin.js';
import { handleKmehrRead } from '../kmehr-read/kmehr-read-handler.js';
import { FHIR_BODY_LIMIT, fhirPlugin } from './fhir-plugin.js';
import { startSpoolSweeper } from './spool-sweeper.js';
import { validateSpoolInWorker } from './spool-xsd.js';
import { batchPlugin } from './batch-plugin.js';
import { createBatchWorker, type BatchWorker } from '../batch/batch-worker.js';
import { handleBatchCall } from '../soap/batch/batch-handler.js';
import { DeliveryRepository } from '../store/delivery-repository.js';
import { registrySettingsOf } from '../config/registry-settings-of.js';

export interface StartOptions {
  readonly config: RegistryConfig;
  /** Seed demo profiles and issue their certificates (`npm start`). */
  readonly demo?: boolean;
  readonly logDestination?: DestinationStream;
  /** Tests pin the clock. */
  readonly clock?: Clock;
}

export interface RunningRegistry {
  readonly url: string;
  /** The Prometheus endpoint on its own listener (`metrics.*`); absent when `metrics.enabled` is false. */
  readonly metricsUrl?: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly ports: RegistryPorts;
  readonly config: RegistryConfig;
  readonly log: Logger;
  /** Its Prometheus metrics (tests read counters without going through HTTP). */
  readonly metrics: Metrics;
  /** The development CA certificate that issued the server certificate (clients trust it). */
  readonly caPem?: string;
  readonly caCreated: boolean;
  /** Whether certificates of the development CA are accepted from callers (`pki.trustDevCa`). */
  readonly devCaTrusted: boolean;
  readonly demo?: DemoInfo;
  readonly xsdEnabled: boolean;
  /** BatchUpload: the deliveries store and the in-process worker (absent when `batch.workerInProcess` is off). */
  readonly batch: { readonly deliveries: DeliveryRepository; readonly worker?: BatchWorker };
  close(): Promise<void>;
}

/**
 * The composition root: builds every port and adapter from the configuration, starts them in order and closes them
 * in reverse. The only module that knows them all.
 */
export async function startRegistry(options: StartOptions): Promise<RunningRegistry> {
  const { config } = options;
  mkdirSync(config.dataDir, { recursive: true });
  const log = createLogger({ level: config.log.level, ...(options.logDestination && { destination: options.logDestination }) });
  const closers: (() => Promise<void>)[] = [];
  try {
    const metrics = createMetrics();
    const pki = await ensureDevPki(config);
    const { trust, devCaTrusted } = loadTrustStore(config, pki.ca, options.demo ?? false, reportTrustEvent(log, metrics));
    if (devCaTrusted && config.pki.trustedCaFiles.length > 0)
      log.warn({ devCa: pki.ca.certificatePath }, 'the development CA is trusted next to the configured CAs (pki.trustDevCa)');
    // A CRL already stale at start is reported now (crl-expired), not only at the first refused call.
    for (const ca of trust.authorities) trust.staleSince(ca, (options.clock?.now() ?? new Date()).getTime());
    for (const ca of trust.authoritiesWithoutCrl())
      log.warn({ ca: ca.subject }, 'no CRL is configured for this trusted CA: its certificates are not checked for revocation (pki.crlFiles)');
    if (devCaTrusted) {
      // The development CA's CRL is valid 7 days: re-signed daily so a long-running demo never fails closed on it.
      const timer = setInterval(
        () => void pki.ca.writeCrl().catch((error: unknown) => log.error({ err: error }, 'the development CA could not re-sign its CRL')),
        86_400_000,
      );
      timer.unref();
      closers.push(async () => clearInterval(timer));
    }
    const certificates = createCertificateVerifier(trust);

    if (config.database.url.startsWith('sqlite:')) mkdirSync(path.dirname(config.database.url.slice('sqlite:'.length)), { recursive: true });
    const store = await openStore(config.database.url);
    closers.push(() => store.close());
    const applied = await store.migrate();
    if (applied.length) log.info({ migrations: applied }, 'database migrated');

    const xsd = loadXsd(config.kmehr.schemaDir, log);
    // Closed after the app (closers run in reverse): no intake is waiting on it any more.
    if (xsd) closers.push(() => stopXsdWorker());
    const limits: XmlLimits = { ...DEFAULT_XML_LIMITS, maxBytes: config.kmehr.maxMessageBytes, maxDepth: config.kmehr.maxDepth };
    const ports = registryPortsOf(store, {
      reference: defaultVaccineReference(),
      settings: registrySettingsOf(config),
      ...(options.clock && { clock: options.clock }),
    });
    const demo = options.demo ? await seedDemo(store, ports, pki.ca, config.dataDir) : undefined;

    const deliveries = DeliveryRepository.of(store);
    addQueueDepth(metrics, () => deliveries.queueDepth());
    const spoolDir = path.join(config.dataDir, 'batch-spool');
    const stopSweeper = startSpoolSweeper(spoolDir, log);
    closers.push(async () => stopSweeper());
    const security = createSecurityLog(log, metrics);
    const authentication = {
      certificates,
      maxAgeSeconds: config.security.timestampMaxAgeSeconds,
      clockSkewSeconds: config.security.clockSkewSeconds,
      identityRule: config.security.identityRule,
      signatureReplays: store.signatureReplays,
    };
    const app = await buildApp({
      logger: log,
      metrics,
      // Only Fastify's own JSON/text parsers use this (SOAP routes set theirs; BatchUpload streams and counts itself):
      // a delivery-sized limit here (maxDeliveryBytes) let anyone have a JSON or text body that big buffered and parsed
      // before any authentication.
      bodyLimit: config.server.maxRequestBytes,
      healthCheck: async () => {
        await sql`select 1`.execute(store.db);
      },
      ...(config.server.tls && {
        tls: {
          key: pki.tls.keyPem,
          cert: pki.tls.certPem,
          // The CertificateRequest names the CAs callers' certificates are accepted from.
          ca: trust.caPems(),
          requestClientCertificate: config.server.clientCertificates === 'optional',
          minVersion: config.server.tlsMinVersion,
          ciphers: config.server.tlsCiphers,
        },
      }),
      limits: {
        headersTimeoutMs: config.server.headersTimeoutMs,
        requestTimeoutMs: config.server.requestTimeoutMs,
        keepAliveTimeoutMs: config.server.keepAliveTimeoutMs,
        maxConnections: config.server.maxConnections,
      },
      plugins: [
        (instance) => fhirPlugin(instance, { ports, certificates, log, metrics, bodyLimit: FHIR_BODY_LIMIT }),
        (instance) =>
          soapPlugin(instance, {
            service: 'VaccinationService-2_1',
            bodyLimit: config.server.maxRequestBytes,
            metrics,
            security,
            handle: (call) => handleRegistratieCall(call, { ports, authentication, ...(xsd && { xsd }), limits, log }),
          }),
        (instance) => kmehrReadPlugin(instance, { security, metrics, handle: (call) => handleKmehrRead(call, { ports, authentication, log }) }),
        (instance) =>
          batchPlugin(instance, {
            metrics,
            security,
            handle: (call) =>
              handleBatchCall(call, {
                repo: deliveries,
                ports,
                authentication,
                // Deliveries are validated in the XSD worker process; single RegistratieService messages stay on this thread.
                ...(xsd && { validateSpool: validateSpoolInWorker(config.kmehr.schemaDir) }),
                spoolDir,
                maxBytes: config.server.maxDeliveryBytes,
                retentionDays: config.batch.retentionDays,
                log,
              }),
          }),
      ],
    });
    closers.push(() => app.close());
    const worker = config.batch.workerInProcess
      ? createBatchWorker({
          repo: deliveries,
          ports,
          log,
          intervalSeconds: config.batch.intervalSeconds,
          retentionDays: config.batch.retentionDays,
          maxAttempts: config.batch.maxAttempts,
          retryDelaySeconds: config.batch.retryDelaySeconds,
          leaseSeconds: config.batch.leaseSeconds,
          ...(!config.batch.planningThread && { planningThreadFromBytes: Number.POSITIVE_INFINITY }),
        })
      : undefined;
    if (worker) {
      // Stopped before the app and the store close (closers run in reverse): a delivery in progress is released.
      closers.push(() => worker.stop());
      worker.start();
    }
    await app.listen({ host: config.server.host, port: config.server.port });
    const metricsListener = config.metrics.enabled
      ? await startMetricsListener(metrics, { host: config.metrics.host, port: config.metrics.port, log })
      : undefined;
    if (metricsListener) closers.push(() => metricsListener.close());
    const address = app.server.address() as AddressInfo;
    const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
    const url = `${config.server.tls ? 'https' : 'http'}://${host}:${address.port}`;
    log.info({ url, metrics: metricsListener?.url ?? 'off', database: redactUrl(config.database.url), xsd: xsd ? 'on' : 'off' }, 'registry started');
    let closed = false;
    return {
      url,
      app,
      store,
      ports,
      ...(metricsListener && { metricsUrl: metricsListener.url }),
      config,
      log,
      metrics,
      caCreated: pki.created,
      devCaTrusted,
      xsdEnabled: xsd !== undefined,
      batch: { deliveries, ...(worker && { worker }) },
      ...(pki.tls.caPem && { caPem: pki.tls.caPem }),
      ...(demo && { demo }),
      async close() {
        if (closed) return;
        closed = true;
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

/** CRL trouble is the operator's to act on: each event an error (or info) line and a count. */
function reportTrustEvent(log: Logger, metrics: Metrics): (event: TrustEvent) => void {
  return (event) => {
    switch (event.kind) {
      case 'crl-reloaded':
        log.info({ file: event.file }, 'CRL reloaded');
        return;
      case 'crl-reload-failed':
        metrics.crlEvents.inc({ event: 'reload_failed' });
        log.error({ file: event.file, detail: event.detail }, 'CRL reload failed: the last good revocation list stays in force');
        return;
      case 'crl-older-refused':
        metrics.crlEvents.inc({ event: 'older_refused' });
        log.error(
          { file: event.file, issuer: event.issuer, thisUpdate: event.thisUpdate, current: event.current },
          'CRL refused: older than the one in force (thisUpdate / CRL number may only move forward)',
        );
        return;
      case 'crl-expired':
        metrics.crlEvents.inc({ event: 'expired' });
        log.error(
          { issuer: event.issuer, nextUpdate: event.nextUpdate },
          'CRL past nextUpdate: certificates of this CA are refused (AUTH_CRL_EXPIRED) until a current CRL is installed',
        );
        return;
    }
  };
}

/** XSD validation is optional: a missing or broken schema folder turns it off with a logged reason; the server still starts. */
function loadXsd(schemaDir: string, log: Logger): XsdValidator | undefined {
  if (!schemaDir) {
    log.warn('XSD validation is OFF: no kmehr.schemaDir configured (every answer says so)');
    return undefined;
  }
  try {
    const validator = createXsdValidator(schemaDir);
    // Issue 18: which libxml2 parses untrusted input, on record (the system one is patched by Debian, not by us).
    const libxml2 = libxml2Versions();
    log.info({ libxml2 }, 'XSD validation: libxml2-wasm for messages, Debian libxml2 (xmllint --stream) for batch files');
    if (libxml2.xmllint.startsWith('missing')) {
      log.warn('xmllint is missing (Debian package libxml2-utils): BatchUpload deliveries will be answered BATCH_XSD_UNAVAILABLE');
    }
    return validator;
  } catch (error) {
    log.error({ err: error, schemaDir }, 'XSD validation is OFF: the KMEHR schema could not be compiled');
    return undefined;
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
