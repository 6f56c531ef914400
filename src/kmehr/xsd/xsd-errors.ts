import { finding, type Finding } from '../../status/finding.js';
import { KMEHR_NS } from '../model.js';
import type { ErrorPosition } from './element-paths.js';
import { XML_ERR_WARNING, XML_FROM_SCHEMASV, type StructuredError } from './libxml2.js';

/** At most this many schema errors become findings; a 50 MB batch with a systematic error would otherwise list millions. */
export const MAX_XSD_FINDINGS = 100;

const NAMED_ELEMENT = /^Element '(?:\{[^}]*\})?([^']+)'/;
const KMEHR_PREFIX = `{${KMEHR_NS}}`;

/**
 * libxml2's message without the (long, always identical) KMEHR namespace, the trailing newline and the final full
 * stop (the catalogue's sentence adds its own).
 */
export function cleanMessage(message: string): string {
  return message.trim().replaceAll(KMEHR_PREFIX, '').replace(/\.$/, '');
}

/** The errors worth reporting: no warnings; if the XML is broken, only its first error (the rest are echoes). */
export function reportableErrors(errors: readonly StructuredError[]): StructuredError[] {
  const kept = errors.filter((e) => e.level > XML_ERR_WARNING);
  const malformed = kept.find((e) => e.domain !== XML_FROM_SCHEMASV);
  return malformed !== undefined ? [malformed] : kept;
}

export function errorPosition(e: StructuredError): ErrorPosition {
  const element = NAMED_ELEMENT.exec(e.message)?.[1];
  return { line: e.line, column: e.column, ...(element !== undefined && { element: element.slice(element.indexOf(':') + 1) }) };
}

/**
 * Maps libxml2 errors to findings: schema-validity errors to KMEHR_XSD_INVALID (location = the element's XPath, or
 * its name when it could not be placed), parser errors to XML_MALFORMED, with libxml2's line, column and message.
 * `totalErrors` counts the errors libxml2 raised, also the ones dropped past MAX_XSD_FINDINGS.
 */
export function xsdFindings(errors: readonly StructuredError[], paths: readonly (string | undefined)[], totalErrors: number, returnCode: number): Finding[] {
  const out = errors.map((e, i) => {
    const position = { ...(e.line > 0 && { line: e.line }), ...(e.column > 0 && { column: e.column }) };
    // Anything not from the schema validator (parser, namespace, encoding, I/O) means the bytes are not usable XML.
    if (e.domain !== XML_FROM_SCHEMASV) {
      return finding('XML_MALFORMED', { ...position, params: { detail: cleanMessage(e.message) } });
    }
    let detail = cleanMessage(e.message);
    if (i === errors.length - 1 && totalErrors > errors.length) {
      detail += ` (and ${totalErrors - errors.length} further schema errors not listed)`;
    }
    return finding('KMEHR_XSD_INVALID', {
      location: paths[i] ?? errorPosition(e).element ?? '/',
      ...position,
      params: { detail },
    });
  });
  if (out.length === 0 && returnCode > 0) {
    // libxml2 said invalid but raised nothing we kept (only warnings): still refuse, never pass silently.
    out.push(finding('KMEHR_XSD_INVALID', { location: '/', params: { detail: `libxml2 validation error ${returnCode}` } }));
  }
  return out;
}
