import { finding, type Finding } from '../status/finding.js';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const COMMENT = Buffer.from('<!--');
const CDATA = Buffer.from('<![CDATA[');

const startsAt = (input: Buffer, i: number, prefix: Buffer): boolean => input.compare(prefix, 0, prefix.length, i, i + prefix.length) === 0;

/**
 * Our own nesting limit, applied to the raw bytes before libxml2 sees them (issue 11.9): libxml2 would refuse a
 * 10 000-deep document with its XML_MALFORMED "Excessive depth" first, and our reader stops at the first semantic
 * problem (a missing header) before it is deep enough to count. Start tags (outside comments, CDATA, PIs and quoted
 * attribute values) open a level, end tags close one, `/>` neither. Not a well-formedness check: a broken document
 * that is not too deep is left to the parsers.
 * @param input - the document's bytes (UTF-8 or anything ASCII-compatible)
 * @param maxDepth - the deepest nesting accepted
 * @returns XML_TOO_DEEP with the limit, or undefined
 */
export function screenDepth(input: Buffer, maxDepth: number): Finding | undefined {
  const n = input.length;
  let depth = 0;
  let i = input.indexOf(LT);
  while (i !== -1 && i + 1 < n) {
    const c = input[i + 1];
    let end: number;
    if (c === SLASH) {
      depth--;
      end = input.indexOf(GT, i + 2);
    } else if (c === QUESTION) {
      const close = input.indexOf('?>', i + 2);
      end = close === -1 ? -1 : close + 1;
    } else if (c === BANG) {
      // A comment or CDATA section ends at its own terminator (which may hide `<` and `>`); a declaration at `>`.
      const close = startsAt(input, i, COMMENT) ? input.indexOf('-->', i + 4) : startsAt(input, i, CDATA) ? input.indexOf(']]>', i + 9) : -2;
      end = close === -2 ? input.indexOf(GT, i + 2) : close === -1 ? -1 : close + 2;
    } else {
      end = startTagEnd(input, i + 1);
      if (end !== -1 && input[end - 1] !== SLASH && ++depth > maxDepth) return finding('XML_TOO_DEEP', { params: { limit: maxDepth } });
    }
    if (end === -1) return undefined;
    i = input.indexOf(LT, end + 1);
  }
  return undefined;
}

/** Position of the `>` closing the start tag that begins at `from`, skipping quoted attribute values; -1 if none. */
function startTagEnd(input: Buffer, from: number): number {
  let quote = 0;
  for (let j = from; j < input.length; j++) {
    const d = input[j]!;
    if (quote !== 0) {
      if (d === quote) quote = 0;
    } else if (d === DQUOTE || d === SQUOTE) quote = d;
    else if (d === GT) return j;
  }
  return -1;
}
