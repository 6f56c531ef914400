import { checkCbe } from '../identifiers/cbe-check.js';
import { checkNihii } from '../identifiers/nihii-check.js';
import type { HcParty } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';

/**
 * Rule 11 (ours): the check digits of every `id[S=ID-HCPARTY]` (NIHII, 11 digits for persons, 8 for
 * organisations; the 97 and the 89 rule are both accepted) and every `id[S=ID-CBE]` (KBO/CBE) of a sender or author.
 * @param parties - the hcparty elements of one sender or author
 * @param base - XPath of their parent, e.g. `/kmehrmessage/header/sender`
 */
export function hcpartyIdRule(parties: readonly HcParty[], base: string): Finding[] {
  const out: Finding[] = [];
  parties.forEach((p, k) => {
    p.ids.forEach((id, j) => {
      const location = (): string => `${base}/hcparty[${k + 1}]/id[${j + 1}]`;
      const s = id.s === 'ID-HCPARTY' ? id.s : id.s.toUpperCase();
      if (s === 'ID-HCPARTY') {
        const r = checkNihii(id.value.trim());
        if (!r.ok) out.push(finding(r.code, { location: location(), value: id.value, params: { detail: r.detail } }));
      } else if (s === 'ID-CBE') {
        const r = checkCbe(id.value.trim());
        if (!r.ok) out.push(finding('CBE_INVALID', { location: location(), value: id.value, params: { detail: r.detail } }));
      }
    });
  });
  return out;
}

/**
 * The transaction author must name its NIHII (kmehr-vaccination.md: "author/hcparty … ID-HCPARTY mandatory").
 * @param base - XPath of the `author` element
 */
export function authorNihiiPresentRule(parties: readonly HcParty[], base: string): Finding[] {
  const has = parties.some((p) => p.ids.some((id) => id.s.toUpperCase() === 'ID-HCPARTY' && id.value.trim() !== ''));
  return has ? [] : [finding('KMEHR_FIELD_MISSING', { location: base, params: { field: 'hcparty/id[@S="ID-HCPARTY"]' } })];
}
