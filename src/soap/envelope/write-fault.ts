import { CATALOGUE, type Language } from '../../status/catalogue.js';
import { echoedLocation, echoedValue, localise, type Finding } from '../../status/finding.js';
import { STATUS_DETAIL_NS } from '../../contracts/namespaces.js';
import { soapEnvelope } from '../../contracts/soap-envelope-writer.js';
import { escapeText } from '../../kmehr/xml-escape.js';

/** SOAP 1.1 §6.2: a fault travels with HTTP 500. */
export const SOAP_FAULT_HTTP_STATUS = 500;

/**
 * A SOAP 1.1 Fault for a request that is not a valid call at all. `faultcode` is `soap:Server` for our own failures
 * (catalogue HTTP status ≥ 500, e.g. INTERNAL_ERROR) and `soap:Client` otherwise; `faultstring` is
 * `CODE: message` in `language`; `detail` carries our code, severity, location, value, line/column and whether a
 * retry can help (value and location bounded and INSZ-masked as in every status text), in the namespace `urn:vaccinnet-open:status` (our choice). Never a stack trace: only the finding.
 *
 * @param f - the refusal
 * @param language - language of the faultstring (default English)
 */
export function writeFault(f: Finding, language: Language = 'en'): string {
  const entry = CATALOGUE[f.code];
  const faultcode = entry.http >= 500 ? 'soap:Server' : 'soap:Client';
  const opt = (name: string, value: string | number | undefined): string =>
    value === undefined ? '' : `<st:${name}>${escapeText(String(value))}</st:${name}>`;
  const detail =
    `<st:status xmlns:st="${STATUS_DETAIL_NS}">${opt('code', f.code)}${opt('severity', f.severity)}` +
    `${opt('location', echoedLocation(f))}${opt('value', echoedValue(f))}${opt('line', f.line)}${opt('column', f.column)}` +
    `${opt('retry', String(entry.retry))}</st:status>`;
  return soapEnvelope(
    `<soap:Fault><faultcode>${faultcode}</faultcode><faultstring>${escapeText(`${f.code}: ${localise(f, language)}`)}</faultstring>` +
      `<detail>${detail}</detail></soap:Fault>`,
  );
}
