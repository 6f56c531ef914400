import { finding, type Finding, type FindingInput } from '../status/finding.js';
import { XmlReadError } from './xml-events.js';
import { MAX_XML_DEPTH } from './xml-scanner.js';

/** The finding for a document the scanner refused (not well-formed, a DOCTYPE, too deep); `at` its line and column. */
export function xmlReadFinding(err: XmlReadError, at?: Pick<FindingInput, 'line' | 'column'>): Finding {
  if (err.kind === 'doctype') return finding('XML_DOCTYPE_FORBIDDEN', { ...at });
  if (err.kind === 'too-deep') return finding('XML_TOO_DEEP', { ...at, params: { limit: MAX_XML_DEPTH } });
  return finding('XML_MALFORMED', { ...at, params: { detail: err.message.replace(/\.$/, '') } });
}
