import { finding, type Finding } from '../status/finding.js';

/** Deeper than any Immunization we accept (its deepest path, extension → extension → valueCodeableConcept → coding, is 6). */
export const MAX_JSON_DEPTH = 32;

export type JsonRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly finding: Finding };

/**
 * Parses a request body as JSON after one linear pass that measures its nesting (outside strings): 10 000 nested
 * arrays are refused before `JSON.parse` builds them, and no later walk over the value can recurse deeply. The body
 * size is bounded by the route's body limit before this runs.
 */
export function readJson(body: Buffer): JsonRead {
  const depth = nestingDepth(body, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH) return { ok: false, finding: finding('FHIR_JSON_TOO_DEEP', { params: { limit: MAX_JSON_DEPTH } }) };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch (error) {
    // V8's message names the position, never more than a few characters of the input.
    const detail = error instanceof Error ? error.message.slice(0, 120) : 'unreadable';
    return { ok: false, finding: finding('FHIR_NOT_JSON', { params: { detail } }) };
  }
}

/** The deepest `{`/`[` nesting of the bytes, stopping as soon as it passes `stopAbove`. */
function nestingDepth(body: Buffer, stopAbove: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (b === 0x7d || b === 0x5d) depth--;
  }
  return deepest;
}
