import { parseKmehr } from '../../kmehr/parse-kmehr.js';
import type { KmehrMessage } from '../../kmehr/model.js';
import { screenXml, type XmlLimits } from '../../kmehr/xml-limits.js';
import type { XsdValidator } from '../../kmehr/xsd/xsd-validator.js';
import { finding, hasErrors, type Finding } from '../../status/finding.js';

export interface SubmittedMessageCheck {
  /** Parsed whenever readable, also when refused (its header id is echoed as KmehrId). */
  readonly message?: KmehrMessage;
  readonly findings: readonly Finding[];
  /** True when the message may go on to the registry's rules. */
  readonly accepted: boolean;
}

/**
 * The transport-side checks of one submitted KMEHR message: screen (size, DOCTYPE), XSD (rule 1, or the plain
 * notice that it is off), parse, and one dose per message (our choice). The registry's own rules run in the use case.
 */
export function checkSubmittedMessage(bytes: Buffer, xsd: XsdValidator | undefined, limits: XmlLimits): SubmittedMessageCheck {
  const screened = screenXml(bytes, limits);
  if (screened) return { findings: [screened], accepted: false };
  const findings: Finding[] = xsd ? xsd.validateBytes(bytes) : [finding('KMEHR_XSD_OFF')];
  const parsed = parseKmehr(bytes, limits);
  if (!parsed.ok) return { findings: [...findings, ...parsed.findings], accepted: false };
  const doses = parsed.message.folders.reduce((n, f) => n + f.transactions.length, 0);
  if (parsed.message.folders.length !== 1 || doses !== 1) {
    findings.push(
      finding('SOAP_ONE_DOSE_PER_MESSAGE', {
        location: '/kmehrmessage',
        value: `${parsed.message.folders.length} folder(s), ${doses} transaction(s)`,
      }),
    );
  }
  return { message: parsed.message, findings, accepted: !hasErrors(findings) };
}
