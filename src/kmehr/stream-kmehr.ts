import { FindingError, finding } from '../status/finding.js';
import { KmehrSaxBuilder } from './kmehr-sax-builder.js';
import type { Folder, Header } from './model.js';
import { XmlChunkDecoder } from './xml-decode.js';
import { DEFAULT_XML_LIMITS, type XmlLimits } from './xml-limits.js';

export interface KmehrStreamHandlers {
  header(h: Header): void | Promise<void>;
  folder(f: Folder, index: number): void | Promise<void>;
}

// Text is fed to the scanner in slices of this size, so one huge chunk cannot queue an unbounded number of folders
// before the (possibly async) handlers run.
const SLICE = 64 * 1024;

type Event = { readonly header: Header } | { readonly folder: Folder; readonly index: number };

/**
 * Reads a (batch) KMEHR message from a byte or text stream and hands over the header, then each folder as soon as
 * its end tag is read; folders are not kept, so memory does not grow with their number. Handlers are awaited in
 * order (back-pressure). Stops reading as soon as the input passes `limits.maxBytes`.
 * @throws FindingError on the first refusal (size, DOCTYPE, depth, well-formedness, namespace, missing field).
 */
export async function streamKmehr(
  source: AsyncIterable<Buffer | string>,
  handlers: KmehrStreamHandlers,
  limits: XmlLimits = DEFAULT_XML_LIMITS,
): Promise<void> {
  const queue: Event[] = [];
  const builder = new KmehrSaxBuilder(limits, {
    header: (header) => {
      queue.push({ header });
    },
    folder: (folder, index) => {
      queue.push({ folder, index });
    },
  });
  const drain = async (): Promise<void> => {
    // Index loop then reset: the queue is short (one slice's worth) and shift() would be O(n) per event.
    for (let i = 0; i < queue.length; i++) {
      const event = queue[i]!;
      queue[i] = undefined as unknown as Event;
      if ('header' in event) await handlers.header(event.header);
      else await handlers.folder(event.folder, event.index);
    }
    queue.length = 0;
  };
  // Folders completed before a refusal in the same slice are still handed over, then the refusal is thrown:
  // the caller sees exactly the folders that precede the error, whatever the chunking.
  const step = async (work: () => void): Promise<void> => {
    try {
      work();
    } catch (err) {
      await drain();
      throw err;
    }
    await drain();
  };
  const feed = async (text: string): Promise<void> => {
    for (let start = 0; start < text.length;) {
      let end = Math.min(start + SLICE, text.length);
      // Never split a surrogate pair between two writes.
      if (end < text.length && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
      const slice = text.slice(start, end);
      await step(() => builder.write(slice));
      start = end;
    }
  };

  let bytes = 0;
  let decoder: XmlChunkDecoder | undefined;
  let first = true;
  for await (const chunk of source) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf8') : chunk.length;
    if (bytes > limits.maxBytes) {
      throw new FindingError(finding('XML_TOO_LARGE', { location: '/', params: { limit: limits.maxBytes } }));
    }
    if (typeof chunk === 'string') {
      const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
      if (text.length > 0) first = false;
      await feed(text);
      continue;
    }
    decoder ??= new XmlChunkDecoder();
    // Decoded a slice at a time (an empty chunk too: the first chunk decides the encoding): each piece is one flat
    // string of at most SLICE characters in the young generation, where a whole 256 KiB chunk's string was a large
    // object of its own, allocated apart and then sliced.
    for (let at = 0; ;) {
      const end = Math.min(at + SLICE, chunk.length);
      const text = decoder.write(at === 0 && end === chunk.length ? chunk : chunk.subarray(at, end));
      if (text.length > 0) first = false;
      await feed(text);
      at = end;
      if (at >= chunk.length) break;
    }
  }
  if (decoder !== undefined) await feed(decoder.end());
  await step(() => builder.end());
}
