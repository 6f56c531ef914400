import { checkCbe } from '../identifiers/cbe-check.js';
import { checkNihii } from '../identifiers/nihii-check.js';
import type { HcParty } from '../model.js';
import { finding, type Finding } from '../../status/finding.js';

/**
 * The XPath of a sender, recipient or author element from the folder, transaction and item indexes it needs: a
 * module-level function, called only when a finding needs the path.
 */
export type PartyPlace = (f: number, t: number, i: number) => string;

/**
 * Rule 11 (ours): the check digits of every `id[S=ID-HCPARTY]` (NIHII, 11 digits for persons, 8 for
 * organisations; the 97 and the 89 rule are both accepted) and every `id[S=ID-CBE]` (KBO/CBE) of a sender or author.
 * @param parties - the hcparty elements of one sender or author
 * @param base - XPath of their parent, e.g. `/kmehrmessage/header/sender`, from `f`, `t`, `i` (computed only for a finding)
 */
export function hcpartyIdRule(parties: readonly HcParty[], base: PartyPlace, f = 0, t = 0, i = 0): Finding[] {
  const out: Finding[] = [];
  for (let k = 0; k < parties.length; k++) {
    const ids = parties[k]!.ids;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j]!;
      const s = id.s === 'ID-HCPARTY' ? id.s : id.s.toUpperCase();
      if (s === 'ID-HCPARTY') {
        const r = checkNihii(id.value.trim());
        if (!r.ok) out.push(finding(r.code, { location: `${base(f, t, i)}/hcparty[${k + 1}]/id[${j + 1}]`, value: id.value, params: { detail: r.detail } }));
      } else if (s === 'ID-CBE') {
        const r = checkCbe(id.value.trim());
        if (!r.ok)
          out.push(finding('CBE_INVALID', { location: `${base(f, t, i)}/hcparty[${k + 1}]/id[${j + 1}]`, value: id.value, params: { detail: r.detail } }));
      }
    }
  }
  return out;
}

/**
 * The transaction author must name its NIHII (kmehr-vaccination.md: "author/hcparty … ID-HCPARTY mandatory").
 * @param base - XPath of the `author` element, from `f`, `t`, `i` (computed only for a finding)
 */
export function authorNihiiPresentRule(parties: readonly HcParty[], base: PartyPlace, f = 0, t = 0, i = 0): Finding[] {
  for (let k = 0; k < parties.length; k++) {
    const ids = parties[k]!.ids;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j]!;
      if ((id.s === 'ID-HCPARTY' || id.s.toUpperCase() === 'ID-HCPARTY') && id.value.trim() !== '') return [];
    }
  }
  return [finding('KMEHR_FIELD_MISSING', { location: base(f, t, i), params: { field: 'hcparty/id[@S="ID-HCPARTY"]' } })];
}
