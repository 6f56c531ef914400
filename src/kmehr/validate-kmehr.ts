import { finding, type Finding } from '../status/finding.js';
import type { KmehrMessage } from './model.js';
import { parseKmehr } from './parse-kmehr.js';
import { checkMessage, type RuleContext } from './rules/check-message.js';
import { screenDepth } from './xml-depth.js';
import { DEFAULT_XML_LIMITS, screenXml, type XmlLimits } from './xml-limits.js';
import type { XsdValidator } from './xsd/xsd-validator.js';

export interface ValidateKmehrOptions {
  /** The KMEHR schema validator; without one, XSD validation is off and a KMEHR_XSD_OFF info finding says so. */
  readonly xsd?: XsdValidator;
  readonly ctx: RuleContext;
  readonly limits?: XmlLimits;
}

export interface KmehrValidation {
  /**
   * The parsed message whenever it could be read, ALSO when `findings` hold errors (a refused message's header is
   * still needed, e.g. to echo its KmehrId). Accept it only when `hasErrors(findings)` is false.
   */
  readonly message?: KmehrMessage;
  readonly findings: Finding[];
}

/**
 * The whole check of one KMEHR message: screen (size, DOCTYPE, our depth limit) → XSD (rule 1) → parse → the registry's own rules.
 *
 * Our choice: a message that fails the XSD is still parsed, and when that works its rule findings are reported too,
 * so the sender sees every problem in one round trip instead of fixing the schema errors first and then meeting the
 * registry rules. Only when libxml2 says the XML itself is broken (XML_* codes) is the parse skipped, because it
 * would only repeat that finding. A screen refusal stops everything: such bytes reach no parser.
 */
export function validateKmehr(input: Buffer | string, opts: ValidateKmehrOptions): KmehrValidation {
  const limits = opts.limits ?? DEFAULT_XML_LIMITS;
  const screened = screenXml(input, limits) ?? screenDepth(typeof input === 'string' ? Buffer.from(input, 'utf8') : input, limits.maxDepth);
  if (screened !== undefined) return { findings: [screened] };
  const findings: Finding[] = [];
  if (opts.xsd === undefined) {
    findings.push(finding('KMEHR_XSD_OFF'));
  } else {
    const xsd = opts.xsd.validateBytes(input);
    findings.push(...xsd);
    if (xsd.some((f) => f.code.startsWith('XML_'))) return { findings };
  }
  const parsed = parseKmehr(input, limits);
  if (!parsed.ok) return { findings: [...findings, ...parsed.findings] };
  return { message: parsed.message, findings: [...findings, ...checkMessage(parsed.message, opts.ctx)] };
}
