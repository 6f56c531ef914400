import { finding, type Finding } from '../../status/finding.js';
import { decodeXml } from '../xml-decode.js';
import { screenXml, type XmlLimits } from '../xml-limits.js';

/** How much of a file is read to find its prolog (XML declaration, comments, PIs) before the root element. */
export const HEAD_BYTES = 64 * 1024;

// The validator's own screen is only about DOCTYPEs: size and depth are the caller's policy (validateKmehr and the
// batch reader apply XmlLimits); libxml2 enforces its own nesting limit (256).
const NO_SIZE_LIMIT: XmlLimits = Object.freeze({ maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: Number.MAX_SAFE_INTEGER });

// BOM, then any whitespace, XML declaration/PIs and comments, then the root element's `<` and a name start.
const PROLOG_THEN_ROOT = /^\uFEFF?(?:[ \t\r\n]+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<[^!?/\s]/;

/** Refuses any DOCTYPE (the only way entities, external subsets or DTDs can reach libxml2). */
export function screenDoctype(bytes: Buffer): Finding | undefined {
  return screenXml(bytes, NO_SIZE_LIMIT);
}

/**
 * Screens the first bytes of a file: a DOCTYPE is refused; and when the file is longer than `head`, the root element
 * must start inside it, or a DOCTYPE could hide after a giant comment where the prolog scan does not look.
 */
export function screenFileHead(head: Buffer, wholeFile: boolean): Finding | undefined {
  const doctype = screenDoctype(head);
  if (doctype !== undefined || wholeFile) return doctype;
  if (PROLOG_THEN_ROOT.test(decodeXml(head))) return undefined;
  return finding('XML_MALFORMED', {
    location: '/',
    params: { detail: `no root element in the first ${HEAD_BYTES} bytes (the prolog is too long to check)` },
  });
}
