/**
 * BatchUpload intake read (issue 12 §2): the cost of reading one ~50 MB delivery envelope — the request, the KMEHR
 * extracted to a sink, and for a signed delivery the WS-Security verification — CPU seconds, MB/s (of CPU) and peak
 * RSS, unsigned and signed, each in its own child process so each peak RSS is its own. Not the XSD, not the store.
 * `BATCH_INTAKE_READS=one` (default) measures the one read (`extractBatchRequestStream` with the verifier as the
 * scan, as the handler calls it); `two` composes what the handler did before (verifier over the bytes, then the saxes
 * extraction) — run with `two` in a checkout of the earlier commit, alternating, for before/after pairs.
 * Standalone: `npx tsx bench/batch-intake.bench.ts`. Knobs: BATCH_INTAKE_FOLDERS=27000 (2 doses each, ~50 MB).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fileDeliveryEnvelope } from '../src/client/batch-signed-envelope.js';
import { batchAction } from '../src/contracts/operations.js';
import { extractBatchRequestStream } from '../src/soap/envelope/extract-batch-request-stream.js';
import { generateDelivery } from '../src/soap/testing/batch-delivery-generator.js';
import { createWsSecurityStreamVerifier, type WsSecurityStreamVerifier } from '../src/wssec/create-ws-security-stream-verifier.js';
import { makeTestCredentials } from '../src/wssec/testing/test-credentials.js';
import { BENCH_CHILD_FLAGS } from './support/bench-child-flags.js';

const FOLDERS = Number(process.env.BATCH_INTAKE_FOLDERS ?? 27_000);
const READS = process.env.BATCH_INTAKE_READS ?? 'one';
const SELF = fileURLToPath(import.meta.url);
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

class NullSink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

/** What the handler did before the one read: every chunk to the verifier first, then to the extraction. */
async function* verifiedFirst(source: AsyncIterable<Buffer>, verifier: WsSecurityStreamVerifier): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    verifier.write(chunk);
    if (verifier.failure !== undefined) throw new Error(verifier.failure.code);
    yield chunk;
  }
}

/** Child: read one delivery envelope, report CPU, rate and peak RSS. */
async function readPhase(kmehrFile: string, signed: boolean): Promise<Record<string, unknown>> {
  const key = signed ? await makeTestCredentials('bench signer') : undefined;
  const envelope = await fileDeliveryEnvelope('Aanleveren', kmehrFile, { pakket: 'BENCH' }, key);
  const sink = new NullSink();
  const soapAction = batchAction('Aanleveren');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let verified: unknown = 'unsigned';
  if (!signed) {
    const read = await extractBatchRequestStream(envelope.chunks(), sink, { soapAction, maxBytes: 1e9 });
    if (!read.ok) throw new Error(read.finding.code);
  } else if (READS === 'two') {
    const verifier = createWsSecurityStreamVerifier({ now: new Date() });
    const read = await extractBatchRequestStream(verifiedFirst(envelope.chunks(), verifier), sink, { soapAction, maxBytes: 1e9 });
    if (!read.ok) throw new Error(read.finding.code);
    verified = verifier.end().ok;
  } else {
    let verifier: WsSecurityStreamVerifier | undefined;
    const read = await extractBatchRequestStream(envelope.chunks(), sink, {
      soapAction,
      maxBytes: 1e9,
      verifier: (observer) => (verifier = createWsSecurityStreamVerifier({ now: new Date(), ...(observer !== undefined && { observer }) })),
      checkpoint: () => {
        if (verifier?.failure !== undefined) throw new Error(verifier.failure.code);
      },
    });
    if (!read.ok) throw new Error(read.finding.code);
    verified = verifier!.end().ok;
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mb = envelope.contentLength / 1e6;
  return {
    reads: READS,
    signed,
    verified,
    inputMB: round(mb, 1),
    kmehrMB: round(sink.bytes / 1e6, 1),
    cpuSeconds: round(cpuSeconds),
    wallSeconds: round(wall),
    cpuMBPerSecond: round(mb / cpuSeconds, 1),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'batch-intake-'));
  try {
    const kmehrFile = path.join(dir, 'delivery.xml');
    const out = createWriteStream(kmehrFile);
    for (const piece of generateDelivery(FOLDERS, 2).expectedKmehr()) if (!out.write(piece)) await once(out, 'drain');
    out.end();
    await once(out, 'close');
    const run = (signed: boolean): Record<string, unknown> =>
      JSON.parse(
        execFileSync(process.execPath, [...BENCH_CHILD_FLAGS, SELF, '--child', kmehrFile, String(signed)], {
          encoding: 'utf8',
          env: { ...process.env, BATCH_INTAKE_READS: READS },
          maxBuffer: 1 << 20,
        }).trim(),
      ) as Record<string, unknown>;
    return { reads: READS, folders: FOLDERS, unsigned: run(false), signed: run(true) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--child');
  if (i !== -1) process.stdout.write(`${JSON.stringify(await readPhase(process.argv[i + 1]!, process.argv[i + 2] === 'true'))}\n`);
  else process.stdout.write(`${JSON.stringify(await bench())}\n`);
}
