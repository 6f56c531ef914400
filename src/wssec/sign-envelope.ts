import { createHash } from 'node:crypto';
import { canonicalizeXml } from './canonicalize-xml.js';
import type { C14nElement } from './exc-c14n.js';
import { binarySecurityToken, newSecurityIds, signatureElement, timestampElement } from './security-header-parts.js';
import { NS } from './ws-security-profile.js';
import { createXmlEventReader } from './xml-event-reader.js';

export interface SigningKey {
  /** PKCS#8 or PKCS#1 PEM of the RSA private key. */
  readonly privateKeyPem: string;
  /** The matching X.509 certificate, DER. */
  readonly certificateDer: Buffer;
}

export interface SignEnvelopeOptions {
  /** Timestamp Created; default the current time. */
  readonly now?: Date;
  /** Timestamp Expires − Created; default 300. */
  readonly ttlSeconds?: number;
}

interface EnvelopeShape {
  readonly prefix: string;
  readonly hasHeader: boolean;
}

function readShape(xml: string): EnvelopeShape {
  let root: C14nElement | undefined;
  let hasHeader = false;
  let depth = 0;
  const reader = createXmlEventReader({
    open(el) {
      if (depth === 0) root = el;
      else if (depth === 1 && el.uri === NS.soap11 && el.local === 'Header') hasHeader = true;
      depth += 1;
    },
    close() {
      depth -= 1;
    },
    text() {},
    processingInstruction() {},
  });
  reader.write(xml);
  reader.end();
  if (root === undefined || root.uri !== NS.soap11 || root.local !== 'Envelope') {
    throw new Error('signEnvelope: not a SOAP 1.1 Envelope');
  }
  return { prefix: root.prefix, hasHeader };
}

function startTag(xml: string, qname: string): RegExpExecArray {
  const m = new RegExp(`<${qname.replace('.', '\\.')}(?=[\\s/>])[^>]*?(/?)>`).exec(xml);
  if (m === null) throw new Error(`signEnvelope: no <${qname}> start tag`);
  return m;
}

function digest(xml: string, id: string): string {
  const c14n = canonicalizeXml(xml, { select: (el) => el.attributes.some((a) => a.local === 'Id' && a.uri === NS.wsu && a.value === id) });
  return createHash('sha256').update(c14n, 'utf8').digest('base64');
}

/**
 * Signs a SOAP 1.1 envelope with WS-Security X.509 in exactly the profile the server accepts: adds `wsu:Id` to the
 * Body and a `wsse:Security` header (BinarySecurityToken, Timestamp, Signature over Body and Timestamp; exclusive
 * C14N, RSA-SHA256, SHA-256). Used by our client library and the benchmarks; the input must not carry a Security
 * header already.
 */
export function signEnvelope(envelopeXml: string, key: SigningKey, opts: SignEnvelopeOptions = {}): string {
  const { prefix, hasHeader } = readShape(envelopeXml);
  const q = (local: string): string => (prefix === '' ? local : `${prefix}:${local}`);
  const ids = newSecurityIds();
  const { bodyId, tokenId, timestampId } = ids;

  // The Body start tag gets its wsu:Id (and the wsu declaration, so the Body canonicalises on its own).
  let xml = envelopeXml;
  const body = startTag(xml, q('Body'));
  const bodyTagEnd = body.index + body[0].length - (body[1] === '/' ? 2 : 1);
  xml = `${xml.slice(0, bodyTagEnd)} xmlns:wsu="${NS.wsu}" wsu:Id="${bodyId}"${xml.slice(bodyTagEnd)}`;

  const token = binarySecurityToken(key.certificateDer, tokenId);
  const timestamp = timestampElement(timestampId, opts.now ?? new Date(), opts.ttlSeconds ?? 300);
  // mustUnderstand must be in the SOAP namespace; an envelope using it as default namespace needs a prefix here.
  const mustUnderstand = prefix === '' ? `xmlns:soapenv="${NS.soap11}" soapenv:mustUnderstand="1"` : `${prefix}:mustUnderstand="1"`;
  const securityOpen = `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" ${mustUnderstand}>`;
  const marker = '\u0000SIGNATURE\u0000';
  const security = `${securityOpen}${token}${timestamp}${marker}</wsse:Security>`;

  if (hasHeader) {
    const header = startTag(xml, q('Header'));
    const at = header.index + header[0].length;
    xml =
      header[1] === '/'
        ? `${xml.slice(0, header.index)}<${q('Header')}${header[0].slice(q('Header').length + 1, -2)}>${security}</${q('Header')}>${xml.slice(at)}`
        : `${xml.slice(0, at)}${security}${xml.slice(at)}`;
  } else {
    const bodyAt = startTag(xml, q('Body')).index;
    xml = `${xml.slice(0, bodyAt)}<${q('Header')}>${security}</${q('Header')}>${xml.slice(bodyAt)}`;
  }

  const unsigned = xml.replace(marker, '');
  const signature = signatureElement(ids, { timestamp: digest(unsigned, timestampId), body: digest(unsigned, bodyId) }, key.privateKeyPem);
  return xml.replace(marker, signature);
}
