import { createHash } from 'node:crypto';
import { canonicalizeXml } from '../canonicalize-xml.js';
import { NS, TOKEN_TYPE } from '../ws-security-profile.js';
import type { TestCredentials } from './test-credentials.js';
import { signatureElement } from './ws-security-vectors.js';

/** One ~1.2 KB repeated Body entry, written already in canonical form (so its digest needs no canonicaliser). */
function item(i: number): string {
  const filler = `line ${i} of a synthetic batch entry used to measure streaming verification; `.repeat(14);
  return (
    `<k:entry xmlns:k="urn:test:batch" n="${i}"><k:id>${String(i).padStart(8, '0')}</k:id>` +
    `<k:text>${filler}</k:text><k:date>2026-03-0${(i % 7) + 1}</k:date></k:entry>\n`
  );
}

export interface BigEnvelope {
  /** Total size in bytes. */
  readonly bytes: number;
  /** The envelope as ~64 KB chunks, produced on the fly (never held whole). */
  chunks(options?: { readonly tamperAtEnd?: boolean }): Iterable<Buffer>;
}

/**
 * A signed SOAP envelope with a Body of about `targetBytes`, signed at `created`. The Body digest is SHA-256 over
 * the raw bytes of the Body element, which are canonical by construction — an independent check of our streaming
 * canonicaliser.
 */
export function bigSignedEnvelope(creds: TestCredentials, targetBytes: number, created: Date): BigEnvelope {
  const itemBytes = Buffer.byteLength(item(0));
  const count = Math.max(1, Math.round(targetBytes / itemBytes));
  const bodyStart = `<soapenv:Body xmlns:soapenv="${NS.soap11}" xmlns:wsu="${NS.wsu}" wsu:Id="id-big">`;
  const bodyEnd = '</soapenv:Body>';
  const hash = createHash('sha256').update(bodyStart);
  let itemsBytes = 0;
  for (let i = 0; i < count; i += 1) {
    const s = item(i);
    itemsBytes += Buffer.byteLength(s);
    hash.update(s);
  }
  const bodyDigest = hash.update(bodyEnd).digest('base64');

  const expires = new Date(created.getTime() + 300_000);
  const token =
    `<wsse:BinarySecurityToken EncodingType="${TOKEN_TYPE.base64}" ValueType="${TOKEN_TYPE.x509v3}" wsu:Id="X509-big">` +
    `${creds.certificateDer.toString('base64')}</wsse:BinarySecurityToken>`;
  const timestamp =
    `<wsu:Timestamp wsu:Id="TS-big"><wsu:Created>${created.toISOString()}</wsu:Created>` +
    `<wsu:Expires>${expires.toISOString()}</wsu:Expires></wsu:Timestamp>`;
  const securityOpen = `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" soapenv:mustUnderstand="1">`;
  const envOpen = `<soapenv:Envelope xmlns:soapenv="${NS.soap11}">`;
  const timestampC14n = canonicalizeXml(`${envOpen}<soapenv:Header>${securityOpen}${timestamp}</wsse:Security></soapenv:Header></soapenv:Envelope>`, {
    select: (el) => el.local === 'Timestamp',
  });
  const signature = signatureElement(
    [
      { id: 'TS-big', digest: createHash('sha256').update(timestampC14n).digest('base64') },
      { id: 'id-big', digest: bodyDigest },
    ],
    creds,
    'X509-big',
  );
  const head =
    `<?xml version="1.0" encoding="UTF-8"?>\n${envOpen}<soapenv:Header>${securityOpen}${token}${timestamp}${signature}` +
    `</wsse:Security></soapenv:Header>${bodyStart}`;
  const tail = `${bodyEnd}</soapenv:Envelope>\n`;
  const bytes = Buffer.byteLength(head) + itemsBytes + Buffer.byteLength(tail);

  return {
    bytes,
    *chunks(options = {}): Iterable<Buffer> {
      yield Buffer.from(head);
      let pending: string[] = [];
      let size = 0;
      for (let i = 0; i < count; i += 1) {
        const s = options.tamperAtEnd === true && i === count - 1 ? item(i).replace('line', 'LINE') : item(i);
        pending.push(s);
        size += s.length;
        if (size >= 65536) {
          yield Buffer.from(pending.join(''));
          pending = [];
          size = 0;
        }
      }
      yield Buffer.from(pending.join('') + tail);
    },
  };
}
