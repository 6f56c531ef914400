import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import { canonicalizeXml } from '../wssec/canonicalize-xml.js';
import { ExcC14nWriter } from '../wssec/exc-c14n.js';
import type { SigningKey } from '../wssec/sign-envelope.js';
import { binarySecurityToken, newSecurityIds, signatureElement, timestampElement } from '../wssec/security-header-parts.js';
import { NS } from '../wssec/ws-security-profile.js';
import { createXmlEventReader } from '../wssec/xml-event-reader.js';
import { deliveryEnvelopeFrame, type DeliveryOperation, type DeliveryOptions } from './batch-requests.js';

/** An envelope whose KMEHR message stays in a file: send `head`, the file's bytes from `kmehrStart`, then `tail`. */
export interface FileEnvelope {
  readonly head: string;
  readonly tail: string;
  readonly file: string;
  /** Byte offset where the KMEHR root starts (after a BOM, XML declaration and whitespace). */
  readonly kmehrStart: number;
  /** Total bytes on the wire. */
  readonly contentLength: number;
  /** The body as a stream of chunks, read from the file while sending. */
  chunks(): AsyncGenerator<Buffer>;
}

const PROLOGUE = /^(?:\uFEFF)?(?:<\?xml[^>]*\?>)?\s*/;

async function prologueBytes(file: string): Promise<{ start: number; size: number }> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(size, 4096));
    await fh.read(buf, 0, buf.length, 0);
    const m = PROLOGUE.exec(buf.toString('utf8'));
    return { start: Buffer.byteLength(m?.[0] ?? '', 'utf8'), size };
  } finally {
    await fh.close();
  }
}

/** SHA-256 of the exclusive C14N of the Body, computed while the envelope streams past (depth-bounded memory). */
async function digestBody(prefixXml: string, file: string, start: number, tail: string): Promise<string> {
  const hash = createHash('sha256');
  let writer: ExcC14nWriter | undefined;
  let depth = 0;
  let envelopeNs: Record<string, string> = {};
  const reader = createXmlEventReader({
    open(el) {
      if (depth === 0) envelopeNs = { ...el.ns };
      else if (depth === 1 && el.local === 'Body' && el.uri === NS.soap11) writer = new ExcC14nWriter((s) => hash.update(s, 'utf8'), { inScope: envelopeNs });
      depth += 1;
      writer?.startElement(el);
    },
    close() {
      depth -= 1;
      if (writer !== undefined) {
        writer.endElement();
        if (writer.depth === 0) writer = undefined;
      }
    },
    text(t) {
      writer?.text(t);
    },
    processingInstruction(target, body) {
      writer?.processingInstruction(target, body);
    },
  });
  reader.write(prefixXml);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of createReadStream(file, { start, highWaterMark: 1 << 20 })) {
    reader.write(decoder.decode(chunk as Buffer, { stream: true }));
  }
  reader.write(decoder.decode() + tail);
  reader.end();
  return hash.digest('base64');
}

/**
 * An Aanleveren/Aanvulling envelope around a KMEHR file, WS-Security signed in the same profile as
 * `signEnvelope` (BinarySecurityToken, Timestamp, RSA-SHA256 over Body and Timestamp, exclusive C14N) without ever
 * holding the message in memory: the file is read once to digest the Body and once more while sending.
 * Why not `signEnvelope`: it works on one string, and a 120 MB delivery as a string plus its canonical form would
 * cost several hundred MB. Without `key` the envelope is left unsigned (for mutual TLS).
 */
export async function fileDeliveryEnvelope(
  operation: DeliveryOperation,
  file: string,
  options: DeliveryOptions,
  key?: SigningKey,
  opts: { readonly now?: Date; readonly ttlSeconds?: number } = {},
): Promise<FileEnvelope> {
  const { start, size } = await prologueBytes(file);
  const frame = deliveryEnvelopeFrame(operation, options);
  let head = frame.head;
  if (key !== undefined) {
    const ids = newSecurityIds();
    const bodyOpen = `<soapenv:Body xmlns:wsu="${NS.wsu}" wsu:Id="${ids.bodyId}">`;
    const [envelopeOpen, afterBody] = splitAt(frame.head, '<soapenv:Header/><soapenv:Body>');
    const token = binarySecurityToken(key.certificateDer, ids.tokenId);
    const timestamp = timestampElement(ids.timestampId, opts.now ?? new Date(), opts.ttlSeconds ?? 300);
    const securityOpen = `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" soapenv:mustUnderstand="1">`;
    const timestampDigest = createHash('sha256')
      .update(
        canonicalizeXml(`${envelopeOpen}<soapenv:Header>${securityOpen}${timestamp}</wsse:Security></soapenv:Header></soapenv:Envelope>`, {
          select: (el) => el.local === 'Timestamp' && el.uri === NS.wsu,
        }),
        'utf8',
      )
      .digest('base64');
    const bodyDigest = await digestBody(`${envelopeOpen}${bodyOpen}${afterBody}`, file, start, frame.tail);
    const signature = signatureElement(ids, { timestamp: timestampDigest, body: bodyDigest }, key.privateKeyPem);
    head = `${envelopeOpen}<soapenv:Header>${securityOpen}${token}${timestamp}${signature}</wsse:Security></soapenv:Header>${bodyOpen}${afterBody}`;
  }
  const tail = frame.tail;
  return {
    head,
    tail,
    file,
    kmehrStart: start,
    contentLength: Buffer.byteLength(head, 'utf8') + (size - start) + Buffer.byteLength(tail, 'utf8'),
    async *chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from(head, 'utf8');
      for await (const chunk of createReadStream(file, { start, highWaterMark: 1 << 20 })) yield chunk as Buffer;
      yield Buffer.from(tail, 'utf8');
    },
  };
}

function splitAt(s: string, marker: string): [string, string] {
  const i = s.indexOf(marker);
  if (i < 0) throw new Error(`envelope frame without ${marker}`);
  return [s.slice(0, i), s.slice(i + marker.length)];
}
