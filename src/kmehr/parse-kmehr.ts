import { FindingError, type Finding } from '../status/finding.js';
import { KmehrSaxBuilder, type KmehrSink } from './kmehr-sax-builder.js';
import type { Folder, Header, KmehrMessage } from './model.js';
import { decodeXml } from './xml-decode.js';
import { DEFAULT_XML_LIMITS, screenXml, type XmlLimits } from './xml-limits.js';

export type ParseOutcome = { readonly ok: true; readonly message: KmehrMessage } | { readonly ok: false; readonly findings: readonly Finding[] };

/**
 * Reads a whole KMEHR message into the (readonly) model. Screens the input first (size, DOCTYPE), then parses with the
 * KMEHR XML scanner; never throws on bad input: every refusal comes back as one finding with its code and location.
 */
export function parseKmehr(input: Buffer | string, limits: XmlLimits = DEFAULT_XML_LIMITS): ParseOutcome {
  const screened = screenXml(input, limits);
  if (screened !== undefined) return refuse(screened);
  const collected = new CollectedMessage();
  const builder = new KmehrSaxBuilder(limits, collected);
  try {
    const text = typeof input === 'string' ? input : decodeXml(input);
    builder.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    builder.end();
  } catch (err) {
    if (err instanceof FindingError) return refuse(err.finding);
    throw err;
  }
  // end() has refused a message without header or folder, so the header is set here.
  return Object.freeze({ ok: true, message: Object.freeze({ header: collected.first!, folders: Object.freeze(collected.folders) }) });
}

/** The builder's sink for a whole message. */
class CollectedMessage implements KmehrSink {
  first: Header | undefined;
  readonly folders: Folder[] = [];

  header(h: Header): void {
    this.first = h;
  }

  folder(f: Folder): void {
    this.folders.push(f);
  }
}

function refuse(f: Finding): ParseOutcome {
  return Object.freeze({ ok: false, findings: Object.freeze([f]) });
}
