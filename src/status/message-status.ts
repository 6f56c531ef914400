import { formatMessage, type Language } from './catalogue.js';
import { localise, type Finding } from './finding.js';
import type { Severity } from './status-entry.js';

/** `StatusType` of the RegistratieService (and `resultCode`/`resultTekst` of BatchUpload): Code + Message. */
export interface StatusValue {
  readonly code: string;
  readonly message: string;
}

/** At most this many findings are spelled out in one Message; the rest are counted. */
export const MAX_FINDINGS_PER_MESSAGE = 20;
const SEPARATOR = ' | ';
const RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

// Findings that are themselves the outcome codes carry no extra information.
function informative(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.code !== 'OK' && f.code !== 'OK_WITH_WARNINGS');
}

/**
 * How several findings of one message share one `Message` (our choice): errors first, then warnings, then infos,
 * each in the order found; every one as `CODE: text` in the caller's language, joined with ` | `; beyond
 * {@link MAX_FINDINGS_PER_MESSAGE} a count `(+N more)`. An empty list gives the catalogue text of the code.
 */
export function joinFindings(findings: readonly Finding[], language: Language = 'en'): string {
  const sorted = informative(findings).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const shown = sorted.slice(0, MAX_FINDINGS_PER_MESSAGE).map((f) => `${f.code}: ${localise(f, language)}`);
  if (sorted.length > MAX_FINDINGS_PER_MESSAGE) shown.push(`(+${sorted.length - MAX_FINDINGS_PER_MESSAGE} more)`);
  return shown.join(SEPARATOR);
}

function withDefault(code: string, text: string, language: Language): string {
  return text === '' ? formatMessage(code as 'OK', {}, language) : text;
}

/**
 * Status of one submitted message (a `Results/Status`, or a BatchUpload transaction's `resultCode`/`resultTekst`):
 * the first error's code when there is an error; otherwise `OK_WITH_WARNINGS` when there is a warning; otherwise
 * `OK` (infos such as DUPLICATE_REPLAY do not change the code but are listed in the Message).
 *
 * @param findings - everything found about that message
 * @param language - language of the Message text
 */
export function messageStatus(findings: readonly Finding[], language: Language = 'en'): StatusValue {
  const list = informative(findings);
  const error = list.find((f) => f.severity === 'error');
  const code = error?.code ?? (list.some((f) => f.severity === 'warning') ? 'OK_WITH_WARNINGS' : 'OK');
  return Object.freeze({ code, message: withDefault(code, joinFindings(list, language), language) });
}

/**
 * Call-level `Status` of AddVaccinations (our choice):
 * - a call-level error (profile, softwareID, internal error, …) → that code; nothing was stored;
 * - otherwise, when every message was refused → `SOAP_ALL_REFUSED`; when some were → `SOAP_SOME_REFUSED`;
 * - otherwise `OK_WITH_WARNINGS` when the call or any message has a warning, else `OK`.
 *
 * @param callFindings - findings about the call as a whole
 * @param messageFindings - per submitted message, in order (empty for RemoveVaccination/GetVaccinations)
 * @param language - language of the Message text
 */
export function callStatus(callFindings: readonly Finding[], messageFindings: readonly (readonly Finding[])[] = [], language: Language = 'en'): StatusValue {
  const call = informative(callFindings);
  if (call.some((f) => f.severity === 'error')) return messageStatus(call, language);
  const total = messageFindings.length;
  const refused = messageFindings.filter((m) => m.some((f) => f.severity === 'error')).length;
  if (total > 0 && refused === total) {
    return Object.freeze({ code: 'SOAP_ALL_REFUSED', message: formatMessage('SOAP_ALL_REFUSED', { total }, language) });
  }
  if (refused > 0) {
    return Object.freeze({ code: 'SOAP_SOME_REFUSED', message: formatMessage('SOAP_SOME_REFUSED', { refused, total }, language) });
  }
  const warned = call.some((f) => f.severity === 'warning') || messageFindings.some((m) => m.some((f) => f.severity === 'warning'));
  const code = warned ? 'OK_WITH_WARNINGS' : 'OK';
  return Object.freeze({ code, message: withDefault(code, joinFindings(call, language), language) });
}
