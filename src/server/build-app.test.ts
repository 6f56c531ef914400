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
      logger: quiet,
      metrics: createMetrics(),
      bodyLimit: 1024,
      plugins: [],
      healthCheck: async () => {
        if (!healthy) throw new Error('database down');
      },
    });
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    healthy = false;
    expect((await app.inject('/health')).statusCode).toBe(503);
    await app.close();
  });

  it('does not serve /metrics on the public app (it has a listener of its own)', async () => {
    const app = await buildApp({ logger: quiet, metrics: createMetrics(), bodyLimit: 1024, plugins: [], healthCheck: async () => {} });
    expect((await app.inject('/metrics')).statusCode).toBe(404);
    await app.close();
  });

  it('/health says up or down and nothing else, and logs a failure once, not per probe', async () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }) });
    let healthy = true;
    const app = await buildApp({
      logger,
      metrics: createMetrics(),
      bodyLimit: 1024,
      plugins: [],
      healthCheck: async () => {
        if (!healthy) throw new Error('database down at 10.0.0.5');
      },
    });
    expect((await app.inject('/health')).body).toBe('{"status":"ok"}');
    healthy = false;
    for (let i = 0; i < 3; i++) expect((await app.inject('/health')).body).toBe('{"status":"unavailable"}');
    expect(lines.filter((l) => l.includes('health check failed'))).toHaveLength(1);
    await app.close();
  });
});
