import { finding, type Finding, type FindingInput } from '../status/finding.js';
import { SCANNER_LIMITS } from '../kmehr/xml-limits.js';
import { XmlReadError } from './xml-events.js';

/**
 * The finding for a document the scanner refused (not well-formed, a DOCTYPE, too deep); `at` its line and column,
 * else the reader's own when it gave them.
 */
export function xmlReadFinding(err: XmlReadError, at: Pick<FindingInput, 'line' | 'column'> | undefined = readerPosition(err)): Finding {
  if (err.kind === 'doctype') return finding('XML_DOCTYPE_FORBIDDEN', { ...at });
  if (err.kind === 'too-deep') return finding('XML_TOO_DEEP', { ...at, params: { limit: SCANNER_LIMITS.maxDepth } });
  return finding('XML_MALFORMED', { ...at, params: { detail: err.message.replace(/\.$/, '') } });
}

function readerPosition(err: XmlReadError): Pick<FindingInput, 'line' | 'column'> | undefined {
  const { line, column } = err.detail;
  return line === undefined || column === undefined ? undefined : { line, column };
}
