import http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryWithLog, type RegistryWithLog } from './testing/registry-with-log.js';

function get(url: string, ca?: string): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    mod
      .get(url, { ...(ca && { ca }) }, (res: import('node:http').IncomingMessage) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ...(res.headers['content-type'] && { type: res.headers['content-type'] }) }));
      })
      .on('error', reject);
  });
}

describe('/metrics on its own listener', () => {
  let t: RegistryWithLog;
  beforeAll(async () => {
    t = await startRegistryWithLog();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is served on loopback on a port other than the public one, and not on the public port', async () => {
    const metricsUrl = t.registry.metricsUrl!;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl).port).not.toBe(new URL(t.registry.url).port);
    const m = await get(metricsUrl);
    expect(m.status).toBe(200);
    expect(m.type).toContain('text/plain');
    expect(m.body).toContain('vaccinnet_soap_calls_total');
    expect(m.body).toContain('vaccinnet_crl_events_total');
    expect((await get(`${t.registry.url}/metrics`, t.registry.caPem)).status).toBe(404);
    expect((await get(metricsUrl.replace('/metrics', '/health'))).status).toBe(404);
  });

  it('counts FHIR and KMEHR-read calls by operation and code, and reports the batch queue depth at each scrape', async () => {
    expect((await get(`${t.registry.url}/fhir/metadata`, t.registry.caPem)).status).toBe(200);
    // No client certificate: refused, and counted under its code.
    expect((await get(`${t.registry.url}/kmehr/subject/85071412330/vaccination`, t.registry.caPem)).status).toBe(401);
    const m = (await get(t.registry.metricsUrl!)).body;
    expect(m).toMatch(/^vaccinnet_api_calls_total\{channel="fhir",operation="GET metadata",code="OK"\} 1$/m);
    expect(m).toMatch(/^vaccinnet_api_calls_total\{channel="kmehr-read",operation="list",code="AUTH_NOT_AUTHENTICATED"\} 1$/m);
    expect(m).toMatch(/^vaccinnet_api_duration_seconds_count\{channel="fhir",operation="GET metadata"\} 1$/m);
    expect(m).toMatch(/^vaccinnet_batch_queue_depth\{status="accepted"\} 0$/m);
    expect(m).toMatch(/^vaccinnet_batch_queue_depth\{status="processing"\} 0$/m);
  });

  it('/health on the public port says only up/down', async () => {
    const h = await get(`${t.registry.url}/health`, t.registry.caPem);
    expect(h).toMatchObject({ status: 200, body: '{"status":"ok"}' });
  });
});

describe('metrics.enabled = false', () => {
  it('starts no metrics listener', async () => {
    const t = await startRegistryWithLog({ 'metrics.enabled': false });
    try {
      expect(t.registry.metricsUrl).toBeUndefined();
      expect(t.lines.find((l) => l.msg === 'registry started')).toMatchObject({ metrics: 'off' });
    } finally {
      await t.close();
    }
  });
});
