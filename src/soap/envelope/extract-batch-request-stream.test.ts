import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { generateDelivery } from '../testing/batch-delivery-generator.js';
import { extractBatchRequestStream } from './extract-batch-request-stream.js';
import { readBatchRequest } from './read-batch-request.js';

/** A sink that keeps only a hash and a byte count, and is slow now and then to exercise back-pressure. */
class HashSink extends Writable {
  readonly hash = createHash('sha256');
  bytes = 0;
  #n = 0;
  constructor() {
    super({ highWaterMark: 16 * 1024 });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (++this.#n % 50 === 0) setImmediate(done);
    else done();
  }
}

/** The extractor leaves the sink open; end it and wait until every write reached `_write`. */
async function finished(sink: HashSink): Promise<string> {
  await new Promise<void>((resolve, reject) => sink.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return sink.hash.digest('hex');
}

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

describe('extractBatchRequestStream', () => {
  it('gives the same KMEHR document as the in-memory reader', async () => {
    const delivery = generateDelivery(3, 2);
    const chunks: Buffer[] = [];
    for await (const c of delivery.chunks()) chunks.push(c);
    const body = Buffer.concat(chunks);
    const inMemory = readBatchRequest(body);
    if (!inMemory.ok || inMemory.request.operation !== 'Aanleveren') throw new Error(JSON.stringify(inMemory));
    const sink = new HashSink();
    // Feed in 7-byte slices: element names, entities and UTF-8 sequences split across chunks.
    async function* slices(): AsyncGenerator<Buffer> {
      for (let i = 0; i < body.length; i += 7) yield body.subarray(i, i + 7);
    }
    const streamed = await extractBatchRequestStream(slices(), sink, {
      soapAction: 'urn:be:vaccinnet:wupl:UPLVaccinatieGegevens:AanleverenVaccinatieGegevens',
    });
    expect(streamed).toEqual({
      ok: true,
      request: { operation: 'Aanleveren', extraInfo: { type: 'auth_eHealth_org', pakket: 'DXC_VACCINNET_TEST' }, kmehrBytes: inMemory.request.kmehr.length },
    });
    expect(await finished(sink)).toBe(createHash('sha256').update(inMemory.request.kmehr).digest('hex'));
    expect(inMemory.request.kmehr.toString()).toBe([...delivery.expectedKmehr()].join(''));
  });

  it('streams a large delivery with flat memory and writes exactly the expected document', { timeout: 120_000 }, async () => {
    // 16 000 vaccinations, ~15 MB: enough to show the heap does not follow the input, short enough for a shared CI core.
    const folders = 8_000;
    const doses = 2;
    const delivery = generateDelivery(folders, doses);
    const expected = createHash('sha256');
    let expectedBytes = 0;
    for (const piece of delivery.expectedKmehr()) {
      expected.update(piece, 'utf8');
      expectedBytes += Buffer.byteLength(piece, 'utf8');
    }
    // Retained heap, measured after a full GC every ~1.3 MB of input: what the extractor keeps, not passing garbage.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let inputBytes = 0;
    let peakRetained = 0;
    let n = 0;
    async function* measured(): AsyncGenerator<Buffer> {
      for await (const c of delivery.chunks()) {
        inputBytes += c.length;
        if (++n % 20 === 0) {
          gc();
          peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed - baseline);
        }
        yield c;
      }
    }
    const sink = new HashSink();
    const started = performance.now();
    const result = await extractBatchRequestStream(measured(), sink);
    const seconds = (performance.now() - started) / 1000;
    expect(result).toMatchObject({ ok: true, request: { operation: 'Aanleveren', kmehrBytes: expectedBytes } });
    expect(await finished(sink)).toBe(expected.digest('hex'));
    expect(sink.bytes).toBe(expectedBytes);
    expect(inputBytes).toBeGreaterThan(14_000_000);
    // Flat: what stays on the heap is a few chunks, whatever the input size (a buffering reader would keep > 15 MB).
    console.log(
      JSON.stringify({
        inputMB: +(inputBytes / 1e6).toFixed(1),
        seconds: +seconds.toFixed(2),
        mbPerSecond: +(inputBytes / 1e6 / seconds).toFixed(1),
        peakRetainedMB: +(peakRetained / 1e6).toFixed(2),
      }),
    );
    expect(peakRetained).toBeLessThan(4_000_000);
  });

  it('refuses a DOCTYPE, an oversized body and a contract violation while streaming', async () => {
    const sink = new HashSink();
    const doctype = Buffer.from('<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>');
    expect(await extractBatchRequestStream(once(doctype), sink)).toMatchObject({ ok: false, finding: { code: 'XML_EXTERNAL_ENTITY' } });
    const delivery = generateDelivery(50, 1);
    expect(await extractBatchRequestStream(delivery.chunks(), sink, { maxBytes: 10_000 })).toMatchObject({ ok: false, finding: { code: 'XML_TOO_LARGE' } });
    const noKmehr = Buffer.from(
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:GetAanvullingVaccinatieGegevensRequest xmlns:u="http://www.vaccinnet.be/wupl/UPLVaccinatieGegevens"><u:extraInfo><u:type>t</u:type><u:pakket>p</u:pakket></u:extraInfo></u:GetAanvullingVaccinatieGegevensRequest></s:Body></s:Envelope>',
    );
    expect(await extractBatchRequestStream(once(noKmehr), sink)).toMatchObject({
      ok: false,
      operation: 'Aanvulling',
      finding: { code: 'SOAP_CONTRACT', location: '/Envelope/Body/GetAanvullingVaccinatieGegevensRequest/kmehrmessage' },
    });
  });

  it('refuses a 10 000-deep KMEHR with our XML_TOO_DEEP while streaming, before anything is spooled for libxml2 (issue 11.9)', async () => {
    const sink = new HashSink();
    const kmehr = `<kmehrmessage xmlns="http://www.ehealth.fgov.be/standards/kmehr/schema/v1">${'<folder>'.repeat(10_000)}${'</folder>'.repeat(10_000)}</kmehrmessage>`;
    const deep = Buffer.from(
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:GetAanleverenVaccinatieGegevensRequest xmlns:u="http://www.vaccinnet.be/wupl/UPLVaccinatieGegevens"><u:extraInfo><u:type>t</u:type><u:pakket>p</u:pakket></u:extraInfo>${kmehr}</u:GetAanleverenVaccinatieGegevensRequest></s:Body></s:Envelope>`,
    );
    expect(await extractBatchRequestStream(once(deep), sink)).toMatchObject({ ok: false, finding: { code: 'XML_TOO_DEEP', params: { limit: 64 } } });
  });
});
