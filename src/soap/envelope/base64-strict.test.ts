import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from './base64-strict.js';

/** The decoder as it was before its round-trip fast path: the reference its answers must equal. */
function reference(text: string): Buffer | undefined {
  const compact = text.replace(/[\t\n\r ]+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

describe('decodeBase64Strict', () => {
  it.each([
    ['canonical', 'PGttZWhy', '<kmehr'],
    ['padded', 'QUI=', 'AB'],
    ['line-wrapped', 'PGtt\r\nZW hy\t', '<kmehr'],
    ['non-zero bits before the padding (accepted, as always)', 'QR==', 'A'],
  ])('decodes %s', (_name, text, decoded) => {
    expect(decodeBase64Strict(text)?.toString('latin1')).toBe(decoded);
  });

  it.each(['', '   ', 'QUJ', 'QU=I', 'Q===', 'QUI*', 'QUI-', '=QUI', 'QUJD=', 'QU I=A'])('refuses %j', (text) => {
    expect(decodeBase64Strict(text)).toBeUndefined();
  });

  it('answers exactly what the regular-expression check answers, on valid and corrupted values', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \n-_*';
    for (let i = 0; i < 3000; i++) {
      let text = randomBytes(1 + (i % 40)).toString('base64');
      const changes = i % 3;
      for (let c = 0; c < changes; c++) {
        const at = (i * 7 + c * 13) % text.length;
        text = text.slice(0, at) + alphabet[(i + c * 31) % alphabet.length] + text.slice(at + 1);
      }
      expect(decodeBase64Strict(text), text).toEqual(reference(text));
    }
  });
});
