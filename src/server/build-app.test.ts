import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from './build-app.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';

const quiet = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });

describe('buildApp', () => {
  it('answers /health from the database probe and 503 when it fails', async () => {
    let healthy = true;
    const app = await buildApp({
      logger: quiet, metrics: createMetrics(), bodyLimit: 1024, plugins: [],
      healthCheck: async () => {
        if (!healthy) throw new Error('database down');
      },
    });
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    healthy = false;
    expect((await app.inject('/health')).statusCode).toBe(503);
    await app.close();
  });

  it('serves Prometheus metrics including the registry counters', async () => {
    const metrics = createMetrics();
    metrics.vaccinationsStored.inc({ channel: 'registratie' }, 3);
    const app = await buildApp({ logger: quiet, metrics, bodyLimit: 1024, plugins: [], healthCheck: async () => {} });
    const res = await app.inject('/metrics');
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('vaccinnet_vaccinations_stored_total{channel="registratie"} 3');
    await app.close();
  });
});
