import { beforeAll, describe, expect, it } from 'vitest';
import { bigSignedEnvelope } from './testing/big-signed-envelope.js';
import { makeTestCredentials, type TestCredentials } from './testing/test-credentials.js';
import { createWsSecurityStreamVerifier, type WsSecurityResult } from './verify-ws-security.js';

const NOW = new Date('2026-03-04T10:00:00Z');
let creds: TestCredentials;

beforeAll(async () => {
  creds = await makeTestCredentials();
});

function outcome(r: WsSecurityResult): string {
  return r.ok ? 'ok' : `${r.finding.code} @ ${r.finding.location ?? ''}`;
}

describe('streaming verifier on big BatchUpload-sized bodies', () => {
  it('verifies a 120 MB signed body with bounded memory', () => {
    const big = bigSignedEnvelope(creds, 120 * 1024 * 1024, new Date('2026-03-04T09:59:30Z'));
    expect(big.bytes).toBeGreaterThan(115 * 1024 * 1024);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let n = 0;
    const started = performance.now();
    const v = createWsSecurityStreamVerifier({ now: NOW });
    for (const chunk of big.chunks()) {
      v.write(chunk);
      if ((n += 1) % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const r = v.end();
    peak = Math.max(peak, process.memoryUsage().rss);
    const seconds = (performance.now() - started) / 1000;
    const growthMb = (peak - before) / 1024 / 1024;
    console.log(
      `120 MB streaming verify: ${seconds.toFixed(1)} s, ${(big.bytes / 1024 / 1024 / seconds).toFixed(1)} MB/s, RSS growth ${growthMb.toFixed(0)} MB`,
    );
    expect(outcome(r)).toBe('ok');
    // The body is never held: growth stays far below its 120 MB (a DOM of it would need GBs).
    expect(growthMb).toBeLessThan(80);
  }, 180_000);

  it('detects a change in the last entry of a big body', () => {
    const big = bigSignedEnvelope(creds, 8 * 1024 * 1024, new Date('2026-03-04T09:59:30Z'));
    const v = createWsSecurityStreamVerifier({ now: NOW });
    for (const chunk of big.chunks({ tamperAtEnd: true })) v.write(chunk);
    expect(outcome(v.end())).toBe('AUTH_BODY_TAMPERED @ soap:Body');
  }, 60_000);
});
