import { TextDecoder } from 'node:util';
/**
 * Which text encoding a byte stream uses, from its first bytes (XML 1.0 appendix F): a UTF-16 BOM or a `<` in
 * UTF-16 byte order; everything else is read as UTF-8 (KMEHR is UTF-8; a UTF-8 BOM is dropped by the decoder).
 */
export function sniffEncoding(head: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  const b0 = head[0];
  const b1 = head[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0x3c && b1 === 0x00)) return 'utf-16le';
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0x00 && b1 === 0x3c)) return 'utf-16be';
  return 'utf-8';
}

/** Decodes a whole XML document to a string (BOM removed). */
export function decodeXml(bytes: Uint8Array): string {
  return new TextDecoder(sniffEncoding(bytes)).decode(bytes);
}
