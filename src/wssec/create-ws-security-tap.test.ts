import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { FindingError } from '../status/finding.js';
import { createWsSecurityTap } from './create-ws-security-tap.js';
import { bigSignedEnvelope, type BigEnvelope } from './testing/big-signed-envelope.js';
import { makeTestCredentials } from './testing/test-credentials.js';
import { createWsSecurityStreamVerifier } from './verify-ws-security.js';

const NOW = new Date('2026-03-04T10:00:00Z');
let big: BigEnvelope;

beforeAll(async () => {
  big = bigSignedEnvelope(await makeTestCredentials(), 4 * 1024 * 1024, new Date('2026-03-04T09:59:30Z'));
});

function sink(): { stream: Writable; bytes: () => number; sha: () => string } {
  let n = 0;
  const hash = createHash('sha256');
  const stream = new Writable({
    write(chunk: Buffer, _e, cb): void {
      n += chunk.length;
      hash.update(chunk);
      cb();
    },
  });
  return { stream, bytes: () => n, sha: () => hash.digest('hex') };
}

describe('createWsSecurityTap', () => {
  it('passes every byte through unchanged while verifying', async () => {
    const v = createWsSecurityStreamVerifier({ now: NOW });
    const out = sink();
    await pipeline(Readable.from(big.chunks()), createWsSecurityTap(v), out.stream);
    const expected = createHash('sha256');
    for (const c of big.chunks()) expected.update(c);
    expect(out.bytes()).toBe(big.bytes);
    expect(out.sha()).toBe(expected.digest('hex'));
    expect(v.end().ok).toBe(true);
  });

  it('stops the pipeline early with the finding when the signature is bad', async () => {
    const v = createWsSecurityStreamVerifier({ now: new Date('2027-01-01T00:00:00Z') });
    const out = sink();
    const error = await pipeline(Readable.from(big.chunks()), createWsSecurityTap(v), out.stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FindingError);
    expect((error as FindingError).finding.code).toBe('AUTH_TIMESTAMP_INVALID');
    expect(out.bytes()).toBeLessThan(big.bytes / 4);
  });
});
