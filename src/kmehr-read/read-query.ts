import { calendarDate } from '../kmehr/rules/kmehr-date.js';
import { finding, type Finding } from '../status/finding.js';

export type ReadQuery = { readonly ok: true; readonly softwareId?: string; readonly since?: string } | { readonly ok: false; readonly finding: Finding };

/** The query parameters of the KMEHR read (docs/kmehr-read.md), each at most once. */
const KNOWN = ['softwareId', 'since'] as const;

/**
 * Strict, as the SOAP reads are (issue 11.2): an unknown or repeated parameter, or a `since` that is not a real
 * YYYY-MM-DD date, is refused rather than ignored — a misspelt `since` must not silently return everything.
 * A missing softwareId is left to the registry, which refuses it with SOFTWARE_ID_MALFORMED and audits the read.
 */
export function checkReadQuery(query: Readonly<Record<string, unknown>>): ReadQuery {
  for (const [name, value] of Object.entries(query)) {
    if (!(KNOWN as readonly string[]).includes(name)) return invalid(name, `unknown parameter; this read takes ${KNOWN.join(', ')}`);
    if (typeof value !== 'string') return invalid(name, 'given more than once');
  }
  const softwareId = query.softwareId as string | undefined;
  const since = query.since as string | undefined;
  if (since !== undefined && (since.length !== 10 || calendarDate(since) === undefined)) return invalid('since', 'not a date (YYYY-MM-DD)', since);
  return { ok: true, ...(softwareId !== undefined && { softwareId }), ...(since !== undefined && { since }) };
}

function invalid(name: string, detail: string, value?: string): ReadQuery {
  return { ok: false, finding: finding('REQUEST_PARAMETER_INVALID', { location: name, ...(value !== undefined && { value }), params: { detail } }) };
}
