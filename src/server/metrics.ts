import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one registry process; one registry per app so tests can build several apps. */
export interface Metrics {
  readonly registry: Registry;
  readonly soapCalls: Counter<'service' | 'operation' | 'code'>;
  readonly soapDuration: Histogram<'service' | 'operation'>;
  readonly vaccinationsStored: Counter<'channel'>;
  readonly batchTransactions: Counter<'result'>;
  /** CRL trouble: `reload_failed`, `older_refused`, `expired` (a CA's CRL went past nextUpdate + grace). */
  readonly crlEvents: Counter<'event'>;
  /** Requests cut short before the answer: `client` (aborted or reset by it), `timeout` (server.requestTimeoutMs). */
  readonly requestsAborted: Counter<'reason'>;
  /** Connections closed at once because server.maxConnections were open. */
  readonly connectionsDropped: Counter;
  /** Refused authentications (security-log.ts), by status code. */
  readonly securityEvents: Counter<'code'>;
  /** The HTTP channels beside SOAP (FHIR, the KMEHR read): calls by operation and answered status code. */
  readonly apiCalls: Counter<'channel' | 'operation' | 'code'>;
  readonly apiDuration: Histogram<'channel' | 'operation'>;
}

/** Read at each scrape: BatchUpload deliveries waiting (`accepted`) and being processed (`processing`). */
export type QueueDepth = () => Promise<{ readonly accepted: number; readonly processing: number }>;

/**
 * `vaccinnet_batch_queue_depth{status}`, computed when Prometheus scrapes (one grouped count on the deliveries table):
 * the number an operator watches to see whether the workers keep up. A failing count leaves the gauge unset for that
 * scrape rather than failing the whole scrape.
 */
export function addQueueDepth(metrics: Metrics, depth: QueueDepth): void {
  new Gauge({
    name: 'vaccinnet_batch_queue_depth',
    help: 'BatchUpload deliveries accepted and waiting, and being processed, at scrape time',
    labelNames: ['status'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      try {
        const d = await depth();
        this.set({ status: 'accepted' }, d.accepted);
        this.set({ status: 'processing' }, d.processing);
      } catch {
        // the store is out of reach: no value this scrape (STORE_UNAVAILABLE shows in the call metrics)
      }
    },
  });
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    soapCalls: new Counter({
      name: 'vaccinnet_soap_calls_total',
      help: 'SOAP calls by service, operation and call-level status code',
      labelNames: ['service', 'operation', 'code'],
      registers: [registry],
    }),
    soapDuration: new Histogram({
      name: 'vaccinnet_soap_duration_seconds',
      help: 'SOAP call handling time',
      labelNames: ['service', 'operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [registry],
    }),
    vaccinationsStored: new Counter({
      name: 'vaccinnet_vaccinations_stored_total',
      help: 'Vaccinations stored, by channel',
      labelNames: ['channel'],
      registers: [registry],
    }),
    batchTransactions: new Counter({
      name: 'vaccinnet_batch_transactions_total',
      help: 'Batch transactions processed, by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    crlEvents: new Counter({
      name: 'vaccinnet_crl_events_total',
      help: 'CRL reload failures, refused older CRLs and CRLs gone stale',
      labelNames: ['event'],
      registers: [registry],
    }),
    requestsAborted: new Counter({
      name: 'vaccinnet_requests_aborted_total',
      help: 'Requests cut short before the answer: by the client, or by the request timeout',
      labelNames: ['reason'],
      registers: [registry],
    }),
    connectionsDropped: new Counter({
      name: 'vaccinnet_connections_dropped_total',
      help: 'Connections closed at once because server.maxConnections were open',
      registers: [registry],
    }),
    securityEvents: new Counter({
      name: 'vaccinnet_security_events_total',
      help: 'Refused authentications (certificate, signature, identity, replay, service), by status code',
      labelNames: ['code'],
      registers: [registry],
    }),
    apiCalls: new Counter({
      name: 'vaccinnet_api_calls_total',
      help: 'FHIR and KMEHR-read calls by channel, operation and answered status code',
      labelNames: ['channel', 'operation', 'code'],
      registers: [registry],
    }),
    apiDuration: new Histogram({
      name: 'vaccinnet_api_duration_seconds',
      help: 'FHIR and KMEHR-read call handling time',
      labelNames: ['channel', 'operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [registry],
    }),
  };
}
