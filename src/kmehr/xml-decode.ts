import { TextDecoder } from 'node:util';
import { isAscii } from 'node:buffer';
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

/**
 * Streaming decoder for an XML byte stream, with the exact result of one `TextDecoder(sniffEncoding(first chunk))`
 * fed every chunk with `{ stream: true }` (replacement characters included), but a pure-ASCII UTF-8 chunk is copied
 * as Latin-1 instead: V8's copy of one-byte text costs a fraction of `TextDecoder`'s streaming decode, which was
 * ~10 % of a batch's parse + validation CPU (docs/benchmarks.md "KMEHR reader, session 3").
 * The shortcut is taken only when it cannot change the text: the decoder holds no partial character (the last byte
 * it was given was ASCII, which ends any pending sequence) and the chunk is ASCII. A decoder created after ASCII
 * bytes went by keeps a later U+FEFF (`ignoreBOM`), as a decoder that had seen those bytes would.
 */
export class XmlChunkDecoder {
  #encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | undefined;
  #decoder: TextDecoder | undefined;
  #bytesSeen = 0;
  #clean = true;

  /** The text of the next chunk (possibly empty: a partial character waits for the next chunk). */
  write(chunk: Buffer): string {
    this.#encoding ??= sniffEncoding(chunk);
    if (this.#encoding === 'utf-8' && this.#clean && isAscii(chunk)) {
      this.#bytesSeen += chunk.length;
      return chunk.toString('latin1');
    }
    this.#decoder ??= new TextDecoder(this.#encoding, { ignoreBOM: this.#bytesSeen > 0 });
    this.#bytesSeen += chunk.length;
    if (chunk.length > 0) this.#clean = chunk[chunk.length - 1]! < 0x80;
    return this.#decoder.decode(chunk, { stream: true });
  }

  /** The end of input: a pending partial character becomes U+FFFD (UTF-8) as `TextDecoder` makes it. */
  end(): string {
    return this.#decoder === undefined ? '' : this.#decoder.decode();
  }
}
