import { describe, expect, it } from 'vitest';
import { FindingError } from '../status/finding.js';
import { batchChunks, batchMessage } from './generate-batch.js';
import type { Folder, Header } from './model.js';
import { parseKmehr } from './parse-kmehr.js';
import { streamKmehr } from './stream-kmehr.js';

const UNLIMITED = { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: 64 };

async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('streamKmehr', () => {
  it('hands over the header, then every folder in order with its index, equal to what parseKmehr reads', async () => {
    const xml = batchMessage(25);
    const whole = parseKmehr(xml);
    if (!whole.ok) throw new Error('batch fixture must parse');
    const events: string[] = [];
    let header: Header | undefined;
    const folders: Folder[] = [];
    await streamKmehr(pieces(xml, 333), {
      header(h) {
        events.push('header');
        header = h;
      },
      async folder(f, index) {
        await new Promise((resolve) => setTimeout(resolve, 1)); // async handlers are awaited in order
        events.push(`folder ${index}`);
        folders.push(f);
      },
    });
    expect(events).toEqual(['header', ...Array.from({ length: 25 }, (_, i) => `folder ${i}`)]);
    expect(header).toEqual(whole.message.header);
    expect(folders).toEqual(whole.message.folders);
    expect(folders[24]!.transactions[0]!.items[0]!.batch).toBe('EW0025');
  });

  it('accepts string chunks, one huge chunk, and multi-byte characters split across chunks', async () => {
    const xml = batchMessage(3).replaceAll('>Jan<', '>Zoë 💉 Ŝ<');
    const byString: Folder[] = [];
    async function* strings(): AsyncGenerator<string> {
      for (let i = 0; i < xml.length; i += 5) yield xml.slice(i, i + 5); // also splits the surrogate pair
    }
    await streamKmehr(strings(), { header() {}, folder: (f) => void byString.push(f) });
    const byByte: Folder[] = [];
    await streamKmehr(pieces(xml, 1), { header() {}, folder: (f) => void byByte.push(f) });
    const oneChunk: Folder[] = [];
    await streamKmehr(pieces(xml, xml.length * 4), { header() {}, folder: (f) => void oneChunk.push(f) });
    for (const list of [byString, byByte, oneChunk]) {
      expect(list.map((f) => f.patient.firstnames[0])).toEqual(['Zoë 💉 Ŝ', 'Zoë 💉 Ŝ', 'Zoë 💉 Ŝ']);
    }
  });

  it('reads chunks bigger than its 64 KiB slices the same as small ones, multi-byte characters on the slice edges', async () => {
    // ~1.4 KB per folder, names of 1-4 bytes per character: some fall across a 65 536-byte edge of a big chunk.
    const xml = batchMessage(150).replaceAll('>Jan<', '>Zoë 💉 Ŝ€<');
    const read = async (size: number): Promise<Folder[]> => {
      const list: Folder[] = [];
      await streamKmehr(pieces(xml, size), { header() {}, folder: (f) => void list.push(f) });
      return list;
    };
    const small = await read(333);
    expect(small).toHaveLength(150);
    for (const size of [65_535, 65_536, 65_537, 200_000, xml.length * 4]) expect(await read(size)).toEqual(small);
  });

  it('throws a FindingError with location when a folder misses its patient, after emitting the earlier folders', async () => {
    const xml = batchMessage(3);
    const second = xml.indexOf('<folder>', xml.indexOf('<folder>') + 1);
    const broken = xml.slice(0, second) + xml.slice(second).replace(/<patient>[\s\S]*?<\/patient>/, '');
    const seen: number[] = [];
    const error = await streamKmehr(pieces(broken, 512), { header() {}, folder: (_f, i) => void seen.push(i) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FindingError);
    expect((error as FindingError).finding).toMatchObject({
      code: 'KMEHR_FIELD_MISSING',
      location: '/kmehrmessage/folder[2]',
      params: { field: 'patient' },
    });
    expect(seen).toEqual([0]);
    // Same with the whole message in one chunk: folder 1 is handed over before the refusal is thrown.
    const once: number[] = [];
    await streamKmehr(pieces(broken, broken.length), { header() {}, folder: (_f, i) => void once.push(i) }).catch(() => undefined);
    expect(once).toEqual([0]);
  });

  it('refuses a non-KMEHR root at once', async () => {
    const error = await streamKmehr(pieces('<kmehrmessage><header/></kmehrmessage>', 8), { header() {}, folder() {} }).catch((e: unknown) => e);
    expect((error as FindingError).finding).toMatchObject({ code: 'KMEHR_NAMESPACE', value: 'kmehrmessage' });
    const other = await streamKmehr(pieces(`<x:kmehrmessage xmlns:x="urn:not-kmehr"/>`, 8), { header() {}, folder() {} }).catch((e: unknown) => e);
    expect((other as FindingError).finding).toMatchObject({ code: 'KMEHR_NAMESPACE', value: '{urn:not-kmehr}kmehrmessage' });
  });

  it('keeps memory flat over 50 000 folders (folders are not retained)', { timeout: 120_000 }, async () => {
    // A lean folder (~0.4 KB) keeps this test quick on a busy CI core; 50 000 of them is ~20 MB of XML.
    const folder = (n: number): string =>
      `<folder><id S="ID-KMEHR" SV="1.0">${n}</id><patient><id S="ID-PATIENT" SV="1.0">85071412330</id><firstname>J</firstname>` +
      '<familyname>P</familyname><sex><cd S="CD-SEX" SV="1.0">male</cd></sex></patient><transaction><id S="ID-KMEHR" SV="1.0">1</id>' +
      '<cd S="CD-TRANSACTION" SV="1.0">vaccination</cd><item><id S="ID-KMEHR" SV="1.0">1</id><cd S="CD-ITEM" SV="1.0">vaccine</cd>' +
      `<content><cd S="CD-ATC" SV="1.0">J07BX03</cd></content><batch>L${n}</batch></item></transaction></folder>\n`;
    const total = 50_000;
    async function* source(): AsyncGenerator<string> {
      yield batchMessage(0).replace('</kmehrmessage>\n', '');
      for (let i = 0; i < total; i += 100) {
        let s = '';
        for (let j = i; j < i + 100; j++) s += folder(j);
        yield s;
      }
      yield '</kmehrmessage>';
    }
    const heap: number[] = [];
    let last = '';
    let count = 0;
    await streamKmehr(
      source(),
      {
        header() {},
        folder(f, index) {
          count++;
          last = f.transactions[0]!.items[0]!.batch!;
          if (index % 5000 === 4999) heap.push(process.memoryUsage().heapUsed);
        },
      },
      UNLIMITED,
    );
    expect(count).toBe(total);
    expect(last).toBe('L49999');
    // Retaining 45 000 parsed folders would add well over 64 MB; a streaming reader stays within GC noise.
    const growth = Math.max(...heap) - heap[0]!;
    expect(growth).toBeLessThan(48 * 1024 * 1024);
  });

  it('streams the batch generator used by the benches', async () => {
    let count = 0;
    await streamKmehr(batchChunks(1000, 17), { header() {}, folder: () => void count++ }, UNLIMITED);
    expect(count).toBe(1000);
  });
});
