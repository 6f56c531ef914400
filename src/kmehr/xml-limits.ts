import { finding, type Finding } from '../status/finding.js';
import { classifyDoctype, findPrologDoctype } from './xml-doctype.js';

/** How much XML the reader accepts before refusing: bytes of input and element nesting depth. */
export interface XmlLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

/** 10 MiB and 64 levels: a KMEHR vaccination message is a few KB and about 12 levels deep. */
export const DEFAULT_XML_LIMITS: XmlLimits = Object.freeze({ maxBytes: 10 * 1024 * 1024, maxDepth: 64 });

/**
 * The signature scanner's own bounds, whatever the caller's limits: its prefix lookup walks the bindings of every
 * open element, so unbounded depth would make it quadratic; one markup construct (a tag, a comment) may not exceed
 * 8 MiB, so a tag that never closes cannot hold a whole body in memory.
 */
export const SCANNER_LIMITS = Object.freeze({ maxDepth: 256, maxMarkupChars: 8 * 1024 * 1024 });

/** UTF-8 byte length of a string without encoding it when the answer is obvious. */
function byteLengthOver(input: string, max: number): boolean {
  if (input.length > max) return true; // every UTF-16 code unit is at least one byte
  if (input.length * 3 <= max) return false; // and at most three
  return Buffer.byteLength(input, 'utf8') > max;
}

/**
 * Cheap pre-check run before any parser (the KMEHR scanner or libxml2) sees the input: the size limit, then any DOCTYPE in
 * the prolog (XXE, entity declarations, or a plain DOCTYPE — all refused). Returns the first refusal, or undefined.
 */
export function screenXml(input: Buffer | string, limits: XmlLimits = DEFAULT_XML_LIMITS): Finding | undefined {
  const tooLarge = typeof input === 'string' ? byteLengthOver(input, limits.maxBytes) : input.length > limits.maxBytes;
  if (tooLarge) return finding('XML_TOO_LARGE', { location: '/', params: { limit: limits.maxBytes } });
  const doctype = findPrologDoctype(input);
  if (doctype !== undefined) return doctypeFinding(doctype);
  return undefined;
}

/** The finding for a DOCTYPE declaration text, shared with the SAX reader's `doctype` event. */
export function doctypeFinding(declaration: string, position?: { line: number; column: number }): Finding {
  return finding(classifyDoctype(declaration), { location: '/', ...position });
}
