import { itemType, locate } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';
import type { TransactionScope } from './rule-context.js';

/**
 * What counts as adverse-event wording (our definition, EN/NL/FR): "adverse", "ADR", "AEFI", "side effect",
 * "bijwerking", "nevenwerking", "effet indésirable/secondaire", "réaction indésirable", "(pharmaco)vigilance",
 * "farmacovigilantie". Matched case-insensitively at a word start.
 */
export const ADVERSE_EVENT_WORDING =
  /(^|[^\p{L}\p{N}])(adverse|adr(?![\p{L}\p{N}])|aefi|side[- ]?effects?|bijwerking|nevenwerking|effets? (ind[ée]sirables?|secondaires?)|r[ée]actions? ind[ée]sirables?|(pharmaco|farmaco)-?vigilan|vigilance)/iu;

/**
 * Rule 3 (sourced): a COVID-19 vaccination carries no adverse-event data. What counts (our definition):
 * - an item with `cd[S=CD-ITEM]` = `adr`;
 * - a transaction-level `text` whose wording matches `ADVERSE_EVENT_WORDING`;
 * - a transaction-level `lnk` whose TYPE or URL matches it (e.g. a link to a pharmacovigilance report).
 * Free text inside the vaccine item itself is not inspected (senders put product names there).
 */
export function covidAdverseEventRule(s: TransactionScope): Finding[] {
  if (!s.covid) return [];
  const out: Finding[] = [];
  const { items, texts, links } = s.transaction;
  for (let i = 0; i < items.length; i++) {
    if (itemType(items[i]!) === 'adr') out.push(finding('COVID_ADVERSE_EVENT', { location: locate.item(s.f, s.t, i), value: 'adr' }));
  }
  for (let k = 0; k < texts.length; k++) {
    const text = texts[k]!;
    if (ADVERSE_EVENT_WORDING.test(text.value))
      out.push(finding('COVID_ADVERSE_EVENT', { location: `${locate.transaction(s.f, s.t)}/text[${k + 1}]`, value: text.value }));
  }
  for (let k = 0; k < links.length; k++) {
    const link = links[k]!;
    if (ADVERSE_EVENT_WORDING.test(link.type) || ADVERSE_EVENT_WORDING.test(link.url ?? '')) {
      out.push(finding('COVID_ADVERSE_EVENT', { location: `${locate.transaction(s.f, s.t)}/lnk[${k + 1}]`, value: link.url ?? link.type }));
    }
  }
  return out;
}
