import { TextDecoder } from 'node:util';
import { describe, expect, it } from 'vitest';
import { XmlChunkDecoder, sniffEncoding } from './xml-decode.js';

/** What streamKmehr did before the ASCII shortcut: one TextDecoder for the whole stream. */
function reference(chunks: readonly Buffer[]): string {
  const decoder = new TextDecoder(sniffEncoding(chunks[0] ?? Buffer.alloc(0)));
  let out = '';
  for (const chunk of chunks) out += decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}

function decoded(chunks: readonly Buffer[]): string {
  const decoder = new XmlChunkDecoder();
  let out = '';
  for (const chunk of chunks) out += decoder.write(chunk);
  return out + decoder.end();
}

// A small deterministic generator (xorshift32): failures are reproducible from the seed.
function rng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

// Pieces that stress the shortcut: long ASCII runs, BOMs, valid multi-byte characters, and invalid or truncated
// sequences (lone lead and continuation bytes, overlong forms, surrogates, beyond U+10FFFF).
const PIECES: readonly number[][] = [
  [...Buffer.from('<a>some ascii text</a>\n')],
  [...Buffer.from('x')],
  [0xef, 0xbb, 0xbf],
  [...Buffer.from('é')],
  [...Buffer.from('💉')],
  [...Buffer.from('€')],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x92],
  [0x80],
  [0xbf],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xff],
];

function randomChunks(next: () => number, start: readonly number[]): Buffer[] {
  const bytes: number[] = [...start];
  const pieces = 1 + Math.floor(next() * 30);
  for (let p = 0; p < pieces; p++) bytes.push(...PIECES[Math.floor(next() * PIECES.length)]!);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length;) {
    const size = Math.floor(next() * 12); // empty chunks included
    chunks.push(Buffer.from(bytes.slice(i, i + size)));
    i += size;
  }
  return chunks;
}

describe('XmlChunkDecoder', () => {
  it('decodes exactly as one streaming TextDecoder on 20 000 random byte streams and chunkings', () => {
    const next = rng(20261129);
    const starts: number[][] = [[], [0xef, 0xbb, 0xbf], [...Buffer.from('<?xml version="1.0"?>')], [0xff, 0xfe], [0xfe, 0xff], [0x3c, 0x00]];
    for (let round = 0; round < 20_000; round++) {
      const chunks = randomChunks(next, starts[round % starts.length]!);
      const expected = reference(chunks);
      const actual = decoded(chunks);
      if (actual !== expected) {
        expect({ chunks: chunks.map((c) => [...c]), actual }).toEqual({ chunks: chunks.map((c) => [...c]), actual: expected });
      }
    }
  });

  it('strips a BOM only at the start of the stream, and keeps one after ASCII chunks went by the shortcut', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(decoded([bom, Buffer.from('<a/>')])).toBe('<a/>');
    expect(decoded([Buffer.from('<a>'), bom, Buffer.from('</a>')])).toBe('<a>\ufeff</a>');
    expect(decoded([Buffer.from('<a>'), Buffer.from([0xc3]), Buffer.from('x</a>')])).toBe('<a>\ufffdx</a>');
    expect(decoded([Buffer.from('<a>'), Buffer.from([0xc3]), Buffer.from([0xa9]), Buffer.from('</a>')])).toBe('<a>é</a>');
    expect(decoded([Buffer.from('<a>'), Buffer.from([0xe2, 0x82])])).toBe('<a>\ufffd');
  });
});
